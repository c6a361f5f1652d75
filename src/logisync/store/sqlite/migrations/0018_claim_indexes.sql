-- Issue 9, delivery claims (PostgreSQL's 0004).
-- The deliveries waiting (state 'pending'), by target in queue order: where the claim's window
-- starts, without reading past the deliveries out now or done.
CREATE INDEX deliveries_waiting ON deliveries (target, id) WHERE state = 'pending';

-- The deliveries out now (state 'claimed'), by target and lease expiry: a handful of rows
-- however long the queue. The claim looks here for expired leases to take over and counts a
-- target's batches in flight here.
CREATE INDEX deliveries_claimed ON deliveries (target, claim_expires_at) WHERE state = 'claimed';

-- Deliveries by state across targets, in queue order (the dashboard's lists, the counts):
-- replaces deliveries_due, whose priority and due_at columns no query searched.
DROP INDEX deliveries_due;
CREATE INDEX deliveries_state ON deliveries (state, id);
