-- Delivery latency as histogram buckets (see core/delivery/latency.py), added to by the
-- transaction that records deliveries, read by /metrics without scanning deliveries.
CREATE TABLE delivery_latency (
    target TEXT NOT NULL,
    le     REAL NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (target, le)
) WITHOUT ROWID;

CREATE TABLE delivery_latency_totals (
    target  TEXT PRIMARY KEY,
    count   INTEGER NOT NULL,
    seconds REAL NOT NULL
) WITHOUT ROWID;
