-- The id the visitor's browser made for a decision (32 lowercase hex), sent
-- again until its receipt arrives: a store keeps one record per decision,
-- and answers a repeat with it. Rows written before this migration have
-- none (NULL: SQLite's unique index takes any number of them); their hash
-- was computed without it, and Canonical leaves an empty decision id out.
ALTER TABLE records ADD COLUMN decision TEXT;
CREATE UNIQUE INDEX records_decision ON records (decision);
