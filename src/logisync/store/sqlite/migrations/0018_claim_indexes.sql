-- Issue 9, delivery claims (PostgreSQL's 0004).
-- The deliveries waiting (state 'pending'), by target in the order they fell due: the claim's
-- window is the front of this index up to now, and a delivery waiting out a retry is not read
-- by any claim before it is due. It replaces deliveries_due, which no query read and which
-- every state change of every delivery rewrote.
DROP INDEX deliveries_due;
CREATE INDEX deliveries_waiting ON deliveries (target, due_at, id) WHERE state = 'pending';

-- The deliveries out now (state 'claimed'), by target and lease expiry: a handful of rows
-- however long the queue. The claim looks here for expired leases to take over and counts a
-- target's batches in flight here.
CREATE INDEX deliveries_claimed ON deliveries (target, claim_expires_at) WHERE state = 'claimed';
