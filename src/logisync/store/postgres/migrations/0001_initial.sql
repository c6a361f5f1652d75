-- The schema of SQLite's migrations 0001-0015, in one step. Times are fixed-width UTC text
-- (core.clock.utc_text), as in SQLite: they sort as text, compare with the text the core
-- passes, and come back exactly as written. JSON that queries read is jsonb; the journal's
-- data is json, kept byte for byte as journaled.

-- Journal: append-only. seq is taken under the append lock (see store.append), so rows become
-- visible in seq order and the indexer's cursor (journal_indexed) never skips one.
CREATE TABLE journal (
    seq             bigint PRIMARY KEY,
    event_id        text NOT NULL,
    source          text NOT NULL,
    type            text NOT NULL,
    subject         text NOT NULL,
    time            text NOT NULL,
    sourceversion   text,
    version_key     text,
    correlationid   text,
    causationid     text,
    idempotency_key text,
    content_hash    text NOT NULL,
    data            json NOT NULL,
    raw             bytea,
    received_at     text NOT NULL,
    traceparent     text,
    tracestate      text
);
CREATE UNIQUE INDEX journal_event_id ON journal (event_id, source);
CREATE UNIQUE INDEX journal_idempotency ON journal (idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE journal_indexed (
    id  integer PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL
);
INSERT INTO journal_indexed (id, seq) VALUES (1, 0);

CREATE TABLE entity_events (
    entity_key text NOT NULL,
    seq        bigint NOT NULL,
    PRIMARY KEY (entity_key, seq)
);

CREATE TABLE correlation_events (
    correlationid text NOT NULL,
    seq           bigint NOT NULL,
    PRIMARY KEY (correlationid, seq)
);

CREATE TABLE source_activity (
    source           text PRIMARY KEY,
    last_seq         bigint NOT NULL,
    last_received_at text NOT NULL
);

-- Processing -------------------------------------------------------------------------------
CREATE TABLE pending_entities (
    entity_key       text PRIMARY KEY,
    first_seq        bigint NOT NULL,
    claim_token      text,
    claim_owner      text,
    claim_expires_at text,
    parked_reason    text,
    parked_at        text
);
CREATE INDEX pending_entities_due ON pending_entities (first_seq);

CREATE TABLE entities (
    entity_key text PRIMARY KEY,
    domain     text NOT NULL,
    version    bigint NOT NULL,
    state      jsonb NOT NULL,
    provenance jsonb NOT NULL,
    meta       jsonb NOT NULL,
    updated_at text NOT NULL
);
CREATE INDEX entities_status ON entities (
    domain,
    (coalesce(state #>> '{status,milestone}', state ->> 'status')),
    (provenance #>> '{status,time}')
);
CREATE INDEX entities_order ON entities (domain, (state ->> 'order_number'));

CREATE TABLE processed_events (
    seq          bigint PRIMARY KEY,
    entity_key   text NOT NULL,
    outcome      text NOT NULL,
    version      bigint NOT NULL,
    detail       jsonb NOT NULL,
    processed_at text NOT NULL
);

CREATE TABLE conflicts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity_key     text NOT NULL,
    field          text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('conflict', 'proposal')),
    policy         text NOT NULL,
    event_seq      bigint NOT NULL,
    event_id       text NOT NULL,
    proposed_by    text NOT NULL,
    proposed_value jsonb,
    current_value  jsonb,
    current_source text,
    state          text NOT NULL DEFAULT 'open',
    created_at     text NOT NULL
);
CREATE INDEX conflicts_entity ON conflicts (entity_key);
CREATE INDEX conflicts_state_id ON conflicts (state, id);

CREATE TABLE crosswalk (
    system      text NOT NULL,
    external_id text NOT NULL,
    entity_key  text NOT NULL,
    linked_at   text NOT NULL,
    PRIMARY KEY (system, external_id)
);
CREATE INDEX crosswalk_entity ON crosswalk (entity_key);
CREATE INDEX crosswalk_external_id ON crosswalk (external_id);

-- Deliveries -------------------------------------------------------------------------------
CREATE TABLE deliveries (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target           text NOT NULL,
    flow             text NOT NULL,
    mode             text NOT NULL CHECK (mode IN ('state', 'event')),
    priority         integer NOT NULL,
    entity_key       text NOT NULL,
    entity_version   bigint NOT NULL,
    event_seq        bigint NOT NULL,
    event_id         text NOT NULL,
    correlationid    text,
    state            text NOT NULL DEFAULT 'pending',
    attempts         integer NOT NULL DEFAULT 0,
    coalesced        integer NOT NULL DEFAULT 0,
    due_at           text NOT NULL,
    created_at       text NOT NULL,
    claim_token      text,
    claim_expires_at text,
    first_attempt_at text,
    last_error       text,
    delivered_at     text,
    target_ref       text
);
CREATE INDEX deliveries_queue ON deliveries (target, state, id);
CREATE INDEX deliveries_entity ON deliveries (entity_key, id);
CREATE INDEX deliveries_entity_order ON deliveries (target, entity_key, id)
    WHERE state IN ('pending', 'claimed');
CREATE UNIQUE INDEX deliveries_state_pending ON deliveries (target, entity_key)
    WHERE mode = 'state' AND state = 'pending';
CREATE INDEX deliveries_correlation ON deliveries (correlationid)
    WHERE correlationid IS NOT NULL;

CREATE TABLE delivery_attempts (
    delivery_id bigint NOT NULL,
    attempt     integer NOT NULL,
    at          text NOT NULL,
    outcome     text NOT NULL CHECK (outcome IN ('delivered', 'transient', 'permanent')),
    detail      text,
    PRIMARY KEY (delivery_id, attempt)
);

CREATE TABLE dead_letters (
    delivery_id bigint PRIMARY KEY,
    target      text NOT NULL,
    flow        text NOT NULL,
    entity_key  text NOT NULL,
    event_seq   bigint NOT NULL,
    event_id    text NOT NULL,
    attempts    integer NOT NULL,
    last_error  text NOT NULL,
    dead_at     text NOT NULL,
    state       text NOT NULL DEFAULT 'dead',
    replayed_at text
);
CREATE INDEX dead_letters_target ON dead_letters (target, dead_at);

CREATE TABLE target_state (
    target     text PRIMARY KEY,
    bucket     jsonb,
    breaker    jsonb,
    updated_at text NOT NULL
);

CREATE TABLE delivery_latency (
    target text NOT NULL,
    le     double precision NOT NULL,
    count  bigint NOT NULL,
    PRIMARY KEY (target, le)
);

CREATE TABLE delivery_latency_totals (
    target  text PRIMARY KEY,
    count   bigint NOT NULL,
    seconds double precision NOT NULL
);

CREATE TABLE delivery_minutes (
    target          text NOT NULL,
    minute          text NOT NULL,
    delivered       bigint NOT NULL DEFAULT 0,
    retried         bigint NOT NULL DEFAULT 0,
    dead            bigint NOT NULL DEFAULT 0,
    latency_seconds double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (minute, target)
);

-- Operations -------------------------------------------------------------------------------
CREATE TABLE audit (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      text NOT NULL,
    actor   text NOT NULL,
    action  text NOT NULL,
    subject text NOT NULL,
    reason  text NOT NULL,
    detail  jsonb,
    origin  text
);
CREATE INDEX audit_subject ON audit (subject, at);

CREATE TABLE api_keys (
    key_id      text PRIMARY KEY,
    system      text,
    scopes      text NOT NULL,
    event_types text NOT NULL,
    secret_hash text NOT NULL,
    label       text NOT NULL,
    created_at  text NOT NULL,
    expires_at  text,
    revoked_at  text,
    replaces    text,
    rate_limit  double precision
);

CREATE TABLE dashboard_users (
    name          text PRIMARY KEY,
    role          text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    password_hash text NOT NULL,
    created_at    text NOT NULL,
    disabled_at   text
);

CREATE TABLE source_cursors (
    source     text NOT NULL,
    stream     text NOT NULL,
    position   jsonb NOT NULL,
    updated_at text NOT NULL,
    PRIMARY KEY (source, stream)
);

CREATE TABLE edi_control_received (
    partner     text NOT NULL,
    standard    text NOT NULL,
    level       text NOT NULL,
    number      bigint NOT NULL,
    digest      text NOT NULL,
    received_at text NOT NULL,
    PRIMARY KEY (partner, standard, level, number)
);

CREATE TABLE edi_control_outbound (
    partner     text NOT NULL,
    standard    text NOT NULL,
    level       text NOT NULL,
    next_number bigint NOT NULL,
    PRIMARY KEY (partner, standard, level)
);

CREATE TABLE alerts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    monitor         text NOT NULL,
    subject         text NOT NULL,
    detail          text NOT NULL,
    raised_at       text NOT NULL,
    cleared_at      text,
    notice          text CHECK (notice IN ('raise', 'clear')),
    notice_attempts integer NOT NULL DEFAULT 0
);
CREATE INDEX alerts_notice ON alerts (id) WHERE notice IS NOT NULL;
CREATE UNIQUE INDEX alerts_open ON alerts (monitor, subject) WHERE cleared_at IS NULL;
