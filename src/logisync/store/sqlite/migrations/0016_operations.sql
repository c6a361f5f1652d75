-- Issue 8, operations.
-- `logisync status` shows each source's event count: kept by every append in the per-source
-- row of migration 0013 (one upsert per source of a batch), so that status reads a row per
-- source instead of counting the whole journal. Existing journals are counted once, here.
ALTER TABLE source_activity ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
UPDATE source_activity SET events = c.n
FROM (SELECT source, count(*) AS n FROM journal GROUP BY source) AS c
WHERE c.source = source_activity.source;
