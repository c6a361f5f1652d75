-- Reads by event id and by correlation id (the read API), without a new index on the journal.
--
-- The dedup index is turned around: (event_id, source) keeps the same uniqueness and the same
-- append cost (one unique index), and serves both a look-up by (source, id) and by id alone
-- (CloudEvents ids are unique per source only, so an id may name several events).
CREATE UNIQUE INDEX journal_event_id ON journal (event_id, source);

DROP INDEX journal_source_id;

-- Correlation ids are indexed like entity keys (migration 0006): by the processor's claim,
-- for journal rows after journal_indexed.seq, so that appending stays append-ordered. Only
-- events that carry a correlation id have a row.
CREATE TABLE correlation_events (
    correlationid TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    PRIMARY KEY (correlationid, seq)
) WITHOUT ROWID;

INSERT INTO correlation_events (correlationid, seq)
SELECT correlationid, seq FROM journal
WHERE correlationid IS NOT NULL AND seq <= (SELECT seq FROM journal_indexed WHERE id = 1);

-- The trace finds a transaction's deliveries by correlation id. Deliveries are written by the
-- processor, not by append; this index did not make `bench/run.py --only process` measurably
-- slower (processor CPU time per event within 1 % over five alternating runs).
CREATE INDEX deliveries_correlation ON deliveries (correlationid) WHERE correlationid IS NOT NULL;
