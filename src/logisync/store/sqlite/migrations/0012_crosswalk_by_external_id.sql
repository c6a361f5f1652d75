-- Operators search by a number without knowing whose it is (an order number, a tracking
-- number, a WMS id): look the crosswalk up by external id alone.
CREATE INDEX crosswalk_external_id ON crosswalk (external_id);
