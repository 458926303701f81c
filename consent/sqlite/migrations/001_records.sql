-- One row per decision, in chain order. No IP address, user agent or URL.
CREATE TABLE records (
	seq       INTEGER PRIMARY KEY,
	record_id TEXT    NOT NULL, -- random 128 bits; no index: nothing looks records up by id
	subject   TEXT    NOT NULL,
	time_ms   INTEGER NOT NULL, -- Unix milliseconds, UTC
	version   TEXT    NOT NULL,
	revision  TEXT    NOT NULL,
	language  TEXT    NOT NULL,
	method    TEXT    NOT NULL,
	choices   TEXT    NOT NULL, -- canonical JSON object, sorted keys
	gpc       INTEGER NOT NULL,
	prev_hash TEXT    NOT NULL,
	hash      TEXT    NOT NULL
) STRICT;
CREATE INDEX records_subject ON records (subject, seq);

-- The chain's two ends: base (moved by purge) and head (moved by append).
CREATE TABLE chain (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	base_seq  INTEGER NOT NULL,
	base_hash TEXT    NOT NULL,
	head_seq  INTEGER NOT NULL,
	head_hash TEXT    NOT NULL
) STRICT;
INSERT INTO chain VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000',
                             0, '0000000000000000000000000000000000000000000000000000000000000000');
