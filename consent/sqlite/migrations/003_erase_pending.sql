-- Purges before this migration ran without secure_delete: the rows they
-- deleted may still be readable in free pages and in the free space of
-- pages still in use. A database that was purged (its base has moved) is
-- marked here; Open then rewrites it once (VACUUM) and truncates the WAL,
-- outside the migration transaction, and clears the mark. A crash before
-- that leaves the mark, so the next Open does it again.
CREATE TABLE erase_pending (
	id INTEGER PRIMARY KEY CHECK (id = 1)
) STRICT;
INSERT INTO erase_pending SELECT 1 FROM chain WHERE base_seq > 0;
