-- The id the visitor's browser made for a decision (32 lowercase hex), sent
-- again until its receipt arrives: a store keeps one record per decision,
-- and answers a repeat with it. Rows written before this migration have
-- none (NULL: a unique constraint takes any number of them); their hash
-- was computed without it, and Canonical leaves an empty decision id out.
ALTER TABLE consent_records ADD COLUMN decision text UNIQUE;
