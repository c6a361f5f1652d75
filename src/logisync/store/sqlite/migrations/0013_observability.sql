-- Issue 8, observability.
-- W3C trace context received with an event (HTTP header or the CloudEvents Distributed Tracing
-- attributes), kept so that every delivery of the event continues its trace.
ALTER TABLE journal ADD COLUMN traceparent TEXT;
ALTER TABLE journal ADD COLUMN tracestate TEXT;

-- "Source silent for 30 min": when each source was last heard from, kept by every append
-- (one upsert per source of a batch) rather than by a journal index that every row would pay.
CREATE TABLE source_activity (
    source           TEXT PRIMARY KEY,
    last_seq         INTEGER NOT NULL,
    last_received_at TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO source_activity (source, last_seq, last_received_at)
SELECT source, max(seq), max(received_at) FROM journal GROUP BY source;

-- Business SLA monitors read projections by status and by order, through these expression
-- indexes (the queries spell the same expressions): a tick reads the entities that breach, not
-- every entity. A shipment's status is an object ({"milestone": ...}), an order's a string.
CREATE INDEX entities_status ON entities (
    domain,
    coalesce(json_extract(CAST(state AS TEXT), '$.status.milestone'),
             json_extract(CAST(state AS TEXT), '$.status')),
    json_extract(CAST(provenance AS TEXT), '$.status.time')
);
CREATE INDEX entities_order ON entities (
    domain, json_extract(CAST(state AS TEXT), '$.order_number')
);

-- Alerts raised by monitors: at most one open per monitor and subject; a cleared alert is kept
-- (history) and the same breach later opens a new one. notice is the webhook notice still to
-- send ('raise' or 'clear'), notice_attempts how often it failed so far.
CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    monitor         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    detail          TEXT NOT NULL,
    raised_at       TEXT NOT NULL,
    cleared_at      TEXT,
    notice          TEXT CHECK (notice IN ('raise', 'clear')),
    notice_attempts INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX alerts_open ON alerts (monitor, subject) WHERE cleared_at IS NULL;
CREATE INDEX alerts_notice ON alerts (id) WHERE notice IS NOT NULL;
