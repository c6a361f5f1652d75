-- Claims look at a bounded window of a target's oldest due deliveries instead of sorting all
-- of them: this index gives that window in order.
CREATE INDEX deliveries_queue ON deliveries (target, state, id);
