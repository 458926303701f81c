-- One row per decision, in chain order. No IP address, user agent or URL.
CREATE TABLE consent_records (
	seq       bigint      PRIMARY KEY,
	record_id text        NOT NULL UNIQUE,
	subject   text        NOT NULL,
	time      timestamptz NOT NULL,
	version   text        NOT NULL,
	revision  text        NOT NULL,
	language  text        NOT NULL,
	method    text        NOT NULL,
	choices   text        NOT NULL, -- canonical JSON object, sorted keys (hashed as text)
	gpc       boolean     NOT NULL,
	prev_hash text        NOT NULL,
	hash      text        NOT NULL
);
CREATE INDEX consent_records_subject ON consent_records (subject, seq);

-- The chain's two ends. Every append batch locks this row (FOR UPDATE), so
-- replicas sharing the database extend one linear chain.
CREATE TABLE consent_chain (
	id        int    PRIMARY KEY CHECK (id = 1),
	base_seq  bigint NOT NULL,
	base_hash text   NOT NULL,
	head_seq  bigint NOT NULL,
	head_hash text   NOT NULL
);
INSERT INTO consent_chain VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000',
                                     0, '0000000000000000000000000000000000000000000000000000000000000000');
