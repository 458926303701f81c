-- The digest of what the visitor read (the notice's pages, banner and
-- settings texts in every language, as released: "sha256:…"), so that a
-- record names the archived version it was given on. Rows written before
-- this migration have none (''): their hash was computed without it, and
-- Canonical leaves an empty digest out.
ALTER TABLE consent_records ADD COLUMN digest text NOT NULL DEFAULT '';
