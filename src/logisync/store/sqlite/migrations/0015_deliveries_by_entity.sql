-- One entity's deliveries in every state (its trace, the read API): without this the search
-- scans every delivery ever made. The columns never change after insert, so the index costs
-- one entry per delivery and nothing on the state updates of the hot path.
CREATE INDEX deliveries_entity ON deliveries (entity_key, id);
