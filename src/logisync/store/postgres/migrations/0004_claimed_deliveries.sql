-- Issue 9, delivery claims. The deliveries out now (state 'claimed'), by target and lease
-- expiry: a handful of rows however long the queue. The claim looks here for expired leases to
-- take over and counts a target's batches in flight here. Without it, on statistics taken
-- while the table was small, the planner read the target's whole queue for both (50,000 rows,
-- 18 ms a claim). Its condition names claim_expires_at (never NULL while claimed) so that only
-- searches bounding the expiry use it, not the per-entity check (see deliveries_waiting).
CREATE INDEX deliveries_claimed ON deliveries (target, claim_expires_at)
    WHERE state = 'claimed' AND claim_expires_at IS NOT NULL;

-- The deliveries waiting (state 'pending'), by target in queue order: where the claim's window
-- starts. deliveries_queue holds every state; on statistics that said most rows were pending,
-- the planner read the window through the primary key instead, walking past every delivered
-- row on each claim. (Queue order, not due order: an entity's oldest undelivered delivery,
-- even one waiting out a retry, comes before the later ones it holds back, so a window full
-- of held-back deliveries cannot hide it.) Its condition names due_at (never NULL) so that
-- only a search bounding due_at, the window's, can use it: the claim's per-entity check would
-- otherwise find "the entity's oldest pending one" by walking this index from the front of
-- the queue until the entity shows up (0.8 ms a candidate, 400 ms a claim).
CREATE INDEX deliveries_waiting ON deliveries (target, id)
    WHERE state = 'pending' AND due_at IS NOT NULL;

-- An entity's undelivered deliveries to a target: the claim finds the entity's oldest one here,
-- one descent. Rebuilt with entity_key (never NULL) named in its condition, so that only a
-- search for one entity can use it: statistics taken while no row was pending recorded the
-- old index as empty, whatever it held later, and the planner then read it whole for the
-- claim's window and for its locking step (10,000 rows per claim).
DROP INDEX deliveries_entity_order;
CREATE INDEX deliveries_entity_order ON deliveries (target, entity_key, id)
    WHERE state IN ('pending', 'claimed') AND entity_key IS NOT NULL;

-- No statistics for the columns a delivery's life changes. A queue is empty one minute and
-- 10,000 deep the next: statistics taken while it was empty said "no row is pending", and on
-- them the planner searched the queue index of one target and state for one entity's rows,
-- once per claim candidate (2,500 x 10,000 rows, 11 s a claim). Without statistics the
-- planner assumes a small fixed share of rows match, and picks the entity's own index entries.
ALTER TABLE deliveries ALTER COLUMN state SET STATISTICS 0,
    ALTER COLUMN claim_token SET STATISTICS 0,
    ALTER COLUMN claim_expires_at SET STATISTICS 0,
    ALTER COLUMN due_at SET STATISTICS 0;
-- (On a database analyzed before this migration the old statistics of these columns stay
-- until dropped by hand: ANALYZE skips a column without a statistics target, it does not
-- clear it.)
