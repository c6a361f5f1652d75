CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    monitor         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    detail          TEXT NOT NULL,
    raised_at       TEXT NOT NULL,
    cleared_at      TEXT,
    notice          TEXT CHECK (notice IN ('raise', 'clear')),
    notice_attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE api_keys (
    key_id      TEXT PRIMARY KEY,
    system      TEXT,
    scopes      TEXT NOT NULL,
    event_types TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    label       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT,
    revoked_at  TEXT,
    replaces    TEXT,
    rate_limit  REAL
) WITHOUT ROWID;
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    reason  TEXT NOT NULL,
    detail  BLOB
, origin TEXT);
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
, decided_by TEXT, decided_at TEXT);
CREATE TABLE correlation_events (
    correlationid TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    PRIMARY KEY (correlationid, seq)
) WITHOUT ROWID;
CREATE TABLE crosswalk (
    system      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    entity_key  TEXT NOT NULL,
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (system, external_id)
) WITHOUT ROWID;
CREATE TABLE dashboard_users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
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
, replayed_at TEXT);
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
, first_attempt_at TEXT, last_error TEXT, delivered_at TEXT, target_ref TEXT);
CREATE TABLE delivery_attempts (
    delivery_id INTEGER NOT NULL,
    attempt     INTEGER NOT NULL,
    at          TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('delivered', 'transient', 'permanent')),
    detail      TEXT,
    PRIMARY KEY (delivery_id, attempt)
) WITHOUT ROWID;
CREATE TABLE delivery_latency (
    target TEXT NOT NULL,
    le     REAL NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (target, le)
) WITHOUT ROWID;
CREATE TABLE delivery_latency_totals (
    target  TEXT PRIMARY KEY,
    count   INTEGER NOT NULL,
    seconds REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE delivery_minutes (
    target          TEXT NOT NULL,
    minute          TEXT NOT NULL,
    delivered       INTEGER NOT NULL DEFAULT 0,
    retried         INTEGER NOT NULL DEFAULT 0,
    dead            INTEGER NOT NULL DEFAULT 0,
    latency_seconds REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (minute, target)
) WITHOUT ROWID;
CREATE TABLE edi_control_outbound (
    partner     TEXT NOT NULL,
    standard    TEXT NOT NULL,
    level       TEXT NOT NULL,
    next_number INTEGER NOT NULL,
    PRIMARY KEY (partner, standard, level)
) WITHOUT ROWID;
CREATE TABLE edi_control_received (
    partner     TEXT NOT NULL,
    standard    TEXT NOT NULL,
    level       TEXT NOT NULL,
    number      INTEGER NOT NULL,
    digest      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (partner, standard, level, number)
) WITHOUT ROWID;
CREATE TABLE entities (
    entity_key TEXT PRIMARY KEY,
    domain     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    state      BLOB NOT NULL,
    provenance BLOB NOT NULL,
    meta       BLOB NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE entity_events (
    entity_key TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (entity_key, seq)
) WITHOUT ROWID;
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
, traceparent TEXT, tracestate TEXT);
CREATE TABLE journal_indexed (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
CREATE TABLE order_stages (
    order_number TEXT PRIMARY KEY,
    stage        TEXT NOT NULL,
    since        TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE pending_entities (
    entity_key       TEXT PRIMARY KEY,
    first_seq        INTEGER NOT NULL,
    claim_token      TEXT,
    claim_owner      TEXT,
    claim_expires_at TEXT,
    parked_reason    TEXT,
    parked_at        TEXT
) WITHOUT ROWID;
CREATE TABLE "processed_events" (
    seq          INTEGER NOT NULL,
    entity_key   TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    version      INTEGER NOT NULL,
    detail       BLOB NOT NULL,
    processed_at TEXT NOT NULL
);
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
CREATE TABLE source_activity (
    source           TEXT PRIMARY KEY,
    last_seq         INTEGER NOT NULL,
    last_received_at TEXT NOT NULL
, events INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE source_cursors (
    source     TEXT NOT NULL,
    stream     TEXT NOT NULL,
    position   BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (source, stream)
) WITHOUT ROWID;
CREATE TABLE target_state (
    target     TEXT PRIMARY KEY,
    bucket     BLOB,
    breaker    BLOB,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX alerts_notice ON alerts (id) WHERE notice IS NOT NULL;
CREATE UNIQUE INDEX alerts_open ON alerts (monitor, subject) WHERE cleared_at IS NULL;
CREATE INDEX audit_subject ON audit (subject, at);
CREATE INDEX conflicts_entity ON conflicts (entity_key);
CREATE INDEX conflicts_open ON conflicts (state, created_at);
CREATE INDEX conflicts_state_id ON conflicts (state, id);
CREATE INDEX crosswalk_entity ON crosswalk (entity_key);
CREATE INDEX crosswalk_external_id ON crosswalk (external_id);
CREATE INDEX dead_letters_target ON dead_letters (target, dead_at);
CREATE INDEX deliveries_claimed ON deliveries (target, claim_expires_at) WHERE state = 'claimed';
CREATE INDEX deliveries_correlation ON deliveries (correlationid) WHERE correlationid IS NOT NULL;
CREATE INDEX deliveries_entity ON deliveries (entity_key, id);
CREATE INDEX deliveries_entity_order ON deliveries (target, entity_key, id)
    WHERE state IN ('pending', 'claimed');
CREATE INDEX deliveries_queue ON deliveries (target, state, id);
CREATE INDEX deliveries_state ON deliveries (state, id);
CREATE UNIQUE INDEX deliveries_state_pending ON deliveries (target, entity_key)
    WHERE mode = 'state' AND state = 'pending';
CREATE INDEX entities_order ON entities (
    domain, json_extract(CAST(state AS TEXT), '$.order_number')
);
CREATE INDEX entities_status ON entities (
    domain,
    coalesce(json_extract(CAST(state AS TEXT), '$.status.milestone'),
             json_extract(CAST(state AS TEXT), '$.status')),
    json_extract(CAST(provenance AS TEXT), '$.status.time')
);
CREATE UNIQUE INDEX journal_event_id ON journal (event_id, source);
CREATE UNIQUE INDEX journal_idempotency ON journal (idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX order_stages_by_stage ON order_stages (stage, since);
CREATE INDEX pending_entities_due ON pending_entities (first_seq);
CREATE UNIQUE INDEX processed_events_seq ON processed_events (seq);
