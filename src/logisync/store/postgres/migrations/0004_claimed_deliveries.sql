-- Issue 9, delivery claims. The deliveries out now (state 'claimed'), by target and lease
-- expiry: a handful of rows however long the queue. The claim looks here for expired leases to
-- take over and counts a target's batches in flight here. Without it, on statistics taken
-- while the table was small, the planner read the target's whole queue for both (50,000 rows,
-- 18 ms a claim).
CREATE INDEX deliveries_claimed ON deliveries (target, claim_expires_at)
    WHERE state = 'claimed';

-- The deliveries waiting (state 'pending'), by target in the order they fell due: the claim's
-- window is the front of this index up to now. Ordered by due time, a delivery waiting out a
-- retry is not read by any claim before it is due, and no other index yields this order, so
-- the planner cannot read the window through the primary key instead (which it did on
-- statistics taken while every row was pending: each claim then walked past every delivery
-- made since).
CREATE INDEX deliveries_waiting ON deliveries (target, due_at, id) WHERE state = 'pending';
