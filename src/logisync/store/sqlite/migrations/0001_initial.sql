-- The journal: append-only, one row per accepted event. seq is the global arrival order (rows
-- are never deleted from the top, so plain rowid allocation keeps it increasing).
CREATE TABLE journal (
    seq             INTEGER PRIMARY KEY,
    event_id        TEXT NOT NULL,
    source          TEXT NOT NULL,
    type            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    time            TEXT NOT NULL,
    sourceversion   TEXT,
    version_key     TEXT,
    correlationid   TEXT,
    causationid     TEXT,
    idempotency_key TEXT,
    content_hash    TEXT NOT NULL,
    data            BLOB NOT NULL,
    raw             BLOB,
    received_at     TEXT NOT NULL
);
-- (source, id) identifies a CloudEvent; an explicit idempotency key is a second identity.
CREATE UNIQUE INDEX journal_source_id ON journal (source, event_id);
CREATE UNIQUE INDEX journal_idempotency ON journal (idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX journal_subject ON journal (subject, seq);

-- Entities with unprocessed events: what workers claim, oldest waiting first. first_seq is the
-- entity's first unprocessed event; the processing commit moves it past what it processed.
-- An entity whose event cannot be processed (a poison event) is parked: it keeps its place and
-- its order, is not claimed until an operator releases it, and blocks no other entity.
CREATE TABLE pending_entities (
    entity_key       TEXT PRIMARY KEY,
    first_seq        INTEGER NOT NULL,
    claim_token      TEXT,
    claim_owner      TEXT,
    claim_expires_at TEXT,
    parked_reason    TEXT,
    parked_at        TEXT
) WITHOUT ROWID;
CREATE INDEX pending_entities_due ON pending_entities (first_seq);

-- Projections: current canonical state with provenance per field.
CREATE TABLE entities (
    entity_key TEXT PRIMARY KEY,
    domain     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    state      BLOB NOT NULL,
    provenance BLOB NOT NULL,
    meta       BLOB NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- Processed markers, one per event, with what the event did: the entity's history.
-- (An entity's history is found through journal_subject; seq is the primary key, so an event
-- can never be marked processed twice.)
CREATE TABLE processed_events (
    seq          INTEGER PRIMARY KEY,
    entity_key   TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    version      INTEGER NOT NULL,
    detail       BLOB NOT NULL,
    processed_at TEXT NOT NULL
);

-- Writes refused by governance, and proposals waiting for a data steward.
CREATE TABLE conflicts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_key     TEXT NOT NULL,
    field          TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('conflict', 'proposal')),
    policy         TEXT NOT NULL,
    event_seq      INTEGER NOT NULL,
    event_id       TEXT NOT NULL,
    proposed_by    TEXT NOT NULL,
    proposed_value BLOB,
    current_value  BLOB,
    current_source TEXT,
    state          TEXT NOT NULL DEFAULT 'open',
    created_at     TEXT NOT NULL
);
CREATE INDEX conflicts_entity ON conflicts (entity_key);
CREATE INDEX conflicts_open ON conflicts (state, created_at);

-- Every system's id for an entity.
CREATE TABLE crosswalk (
    system      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    entity_key  TEXT NOT NULL,
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (system, external_id)
) WITHOUT ROWID;
CREATE INDEX crosswalk_entity ON crosswalk (entity_key);

-- Deliveries: one row per routed fact and target. A pending state-mode delivery is unique per
-- target and entity, so later changes coalesce into it.
CREATE TABLE deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    target           TEXT NOT NULL,
    flow             TEXT NOT NULL,
    mode             TEXT NOT NULL CHECK (mode IN ('state', 'event')),
    priority         INTEGER NOT NULL,
    entity_key       TEXT NOT NULL,
    entity_version   INTEGER NOT NULL,
    event_seq        INTEGER NOT NULL,
    event_id         TEXT NOT NULL,
    correlationid    TEXT,
    state            TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    coalesced        INTEGER NOT NULL DEFAULT 0,
    due_at           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    claim_token      TEXT,
    claim_expires_at TEXT
);
CREATE UNIQUE INDEX deliveries_state_pending ON deliveries (target, entity_key)
    WHERE mode = 'state' AND state = 'pending';
CREATE INDEX deliveries_due ON deliveries (state, target, priority, due_at);
