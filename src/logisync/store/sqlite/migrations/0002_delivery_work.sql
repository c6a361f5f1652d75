-- Delivery work (issue 4): claims per target that keep each entity's deliveries in order,
-- outcomes, attempt history and the dead-letter queue.
ALTER TABLE deliveries ADD COLUMN first_attempt_at TEXT;
ALTER TABLE deliveries ADD COLUMN last_error TEXT;
ALTER TABLE deliveries ADD COLUMN delivered_at TEXT;
ALTER TABLE deliveries ADD COLUMN target_ref TEXT;

-- "Is there an older undelivered delivery of this entity to this target?" must be a seek.
CREATE INDEX deliveries_entity_order ON deliveries (target, entity_key, id)
    WHERE state IN ('pending', 'claimed');

CREATE TABLE delivery_attempts (
    delivery_id INTEGER NOT NULL,
    attempt     INTEGER NOT NULL,
    at          TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('delivered', 'transient', 'permanent')),
    detail      TEXT,
    PRIMARY KEY (delivery_id, attempt)
) WITHOUT ROWID;

CREATE TABLE dead_letters (
    delivery_id INTEGER PRIMARY KEY,
    target      TEXT NOT NULL,
    flow        TEXT NOT NULL,
    entity_key  TEXT NOT NULL,
    event_seq   INTEGER NOT NULL,
    event_id    TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    last_error  TEXT NOT NULL,
    dead_at     TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'dead'
);
CREATE INDEX dead_letters_target ON dead_letters (target, dead_at);
