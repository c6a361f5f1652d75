-- Issue 8, operations (SQLite's 0016).
-- `logisync status` shows each source's event count: kept by every append in the per-source
-- row (one upsert per source of a batch), so that status reads a row per source instead of
-- counting the whole journal. Existing journals are counted once, here.
ALTER TABLE source_activity ADD COLUMN events bigint NOT NULL DEFAULT 0;
UPDATE source_activity SET events = c.n
FROM (SELECT source, count(*) AS n FROM journal GROUP BY source) AS c
WHERE c.source = source_activity.source;

-- The business view counts each order once, at its furthest order-to-cash stage (see
-- core.order_to_cash): one row per order, rewritten in the processing transaction that changes
-- the order or a shipment or invoice naming it, so that the view reads one index, not every
-- projection. Filled for the existing projections by this migration's Python step
-- (migrations.py, order_stages.rebuild), in the same transaction.
CREATE TABLE order_stages (
    order_number text PRIMARY KEY,
    stage        text NOT NULL,
    since        text NOT NULL
);
CREATE INDEX order_stages_by_stage ON order_stages (stage, since);
