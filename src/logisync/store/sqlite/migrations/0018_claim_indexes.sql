-- Issue 9, delivery claims (PostgreSQL's 0004; the claim's window is a range of
-- deliveries_queue here: SQLite plans without statistics, so the partial index PostgreSQL
-- needs to keep its planner on that range would only cost writes).
-- The deliveries out now (state 'claimed'), by target and lease expiry: a handful of rows
-- however long the queue. The claim looks here for expired leases to take over and counts a
-- target's batches in flight here.
CREATE INDEX deliveries_claimed ON deliveries (target, claim_expires_at) WHERE state = 'claimed';

-- Deliveries by state across targets, in queue order (the dashboard's lists, the counts):
-- replaces deliveries_due, whose priority and due_at columns no query searched.
DROP INDEX deliveries_due;
CREATE INDEX deliveries_state ON deliveries (state, id);
