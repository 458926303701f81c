-- Subjects are found by subject_key, the subject id decrypted with this
-- store's key (consent/internal/subjectkey): for the ids this store issues
-- it starts with the issue time, so new visitors' entries go to the right
-- edge of the index instead of a random page each. subject keeps the id as
-- the visitor holds it. Rows written before this migration get their
-- subject_key from Open, in the same transaction.
CREATE TABLE store_key (
	id     INTEGER PRIMARY KEY CHECK (id = 1),
	secret BLOB    NOT NULL CHECK (length(secret) = 16)
) STRICT;
INSERT INTO store_key VALUES (1, randomblob(16));
ALTER TABLE records ADD COLUMN subject_key BLOB;
DROP INDEX records_subject;
CREATE INDEX records_subject_key ON records (subject_key);
