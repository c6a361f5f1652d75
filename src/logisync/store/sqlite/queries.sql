-- Every statement the SQLite backend runs, by name. Read this file to know the storage contract.

-- name: find_duplicates
-- Existing events with the given explicit idempotency keys (:keys is a JSON array).
SELECT idempotency_key, event_id, seq, content_hash, source
FROM journal
WHERE idempotency_key IN (SELECT value FROM json_each(:keys));

-- name: find_source_ids
-- Existing events with the given (source, id) pairs ($pairs is a JSON array of [source, id]).
SELECT source, event_id, seq, content_hash, idempotency_key
FROM journal
WHERE (source, event_id) IN (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:pairs)
);

-- name: insert_journal
INSERT INTO journal (event_id, source, type, subject, time, sourceversion, version_key,
                     correlationid, causationid, idempotency_key, content_hash, data, raw,
                     received_at, traceparent, tracestate)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);


-- name: insert_journal_if_new
-- The fast path of a batch: when every row is new, nothing needs looking up first.
INSERT INTO journal (event_id, source, type, subject, time, sourceversion, version_key,
                     correlationid, causationid, idempotency_key, content_hash, data, raw,
                     received_at, traceparent, tracestate)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT DO NOTHING;

-- name: note_source_activity
-- When a source was last heard from and how many events it sent, one row per source of an
-- append: (source, last seq, last received_at, events), counted by the appender.
INSERT INTO source_activity (source, last_seq, last_received_at, events)
VALUES (?, ?, ?, ?)
ON CONFLICT (source) DO UPDATE SET
    last_seq = excluded.last_seq, last_received_at = excluded.last_received_at,
    events = source_activity.events + excluded.events;

-- name: journal_indexed_upto
-- Journal rows after this sequence number are not yet in entity_events nor marked pending.
SELECT seq, (SELECT coalesce(max(seq), 0) FROM journal) FROM journal_indexed WHERE id = 1;

-- name: index_entity_events
INSERT INTO entity_events (entity_key, seq)
SELECT subject, seq FROM journal WHERE seq > :after AND seq <= :upto ORDER BY subject, seq;

-- name: mark_entities_pending
-- An entity already waiting keeps its earlier first event.
INSERT INTO pending_entities (entity_key, first_seq)
SELECT subject, min(seq) FROM journal WHERE seq > :after AND seq <= :upto GROUP BY subject
ON CONFLICT (entity_key) DO NOTHING;

-- name: index_correlation_events
INSERT INTO correlation_events (correlationid, seq)
SELECT correlationid, seq FROM journal
WHERE seq > :after AND seq <= :upto AND correlationid IS NOT NULL
ORDER BY correlationid, seq;

-- name: advance_journal_index
UPDATE journal_indexed SET seq = :upto WHERE id = 1;

-- name: anything_to_claim
-- Whether claimable_entities could lease anything now: journal rows not yet indexed, or a
-- waiting entity that no live claim holds and no poison event parks. Read without the write
-- lock, so that an idle processor, which every other writer's commit wakes, does not take a
-- turn at the write lock each time to find nothing.
-- (A missing journal_indexed row, a damaged file, says yes: the claim then fails loudly.)
SELECT coalesce((SELECT seq FROM journal_indexed WHERE id = 1), -1)
       < (SELECT coalesce(max(seq), 0) FROM journal)
    OR EXISTS (SELECT 1 FROM pending_entities
               WHERE (claim_token IS NULL OR claim_expires_at < :now) AND parked_reason IS NULL);

-- name: claimable_entities
-- Lease the entities waiting longest that no live claim holds, in one statement.
UPDATE pending_entities
SET claim_token = :token, claim_owner = :owner, claim_expires_at = :expires_at
WHERE entity_key IN (
    SELECT entity_key FROM pending_entities
    WHERE (claim_token IS NULL OR claim_expires_at < :now) AND parked_reason IS NULL
    ORDER BY first_seq
    LIMIT :limit
)
RETURNING entity_key, first_seq;

-- name: release_claim
UPDATE pending_entities SET claim_token = NULL, claim_owner = NULL, claim_expires_at = NULL
WHERE entity_key IN (SELECT value FROM json_each(:keys)) AND claim_token = :token;

-- name: holds_claim
SELECT count(*) FROM json_each(:keys) AS k
JOIN pending_entities p ON p.entity_key = k.value
WHERE p.claim_token = :token AND p.claim_expires_at >= :now;

-- name: pending_for_entity
-- The claimed entities' (:keys, a JSON array) unprocessed events, at most :limit each, in
-- journal order. Every step is an index search: cost follows the work, not the journal size.
-- Each entity's last event to load is looked up once (materialized), not once per event: per
-- event, the OFFSET walk made an entity with many pending events cost quadratic time.
WITH claimed AS MATERIALIZED (
    SELECT k.key AS position, p.entity_key, p.first_seq,
           coalesce(
               (SELECT seq FROM entity_events
                WHERE entity_key = p.entity_key AND seq >= p.first_seq
                ORDER BY seq LIMIT 1 OFFSET :limit - 1),
               9223372036854775807) AS last_seq  -- fewer than :limit: no bound
    FROM json_each(:keys) AS k
    JOIN pending_entities p ON p.entity_key = k.value
    WHERE p.claim_token = :token
)
SELECT j.seq, j.event_id, j.source, j.type, j.subject, j.time, j.sourceversion, j.version_key,
       j.correlationid, j.causationid, j.data, j.received_at,
       j.traceparent, j.tracestate
FROM claimed c
JOIN entity_events e ON e.entity_key = c.entity_key AND e.seq BETWEEN c.first_seq AND c.last_seq
JOIN journal j ON j.seq = e.seq
ORDER BY c.position, e.seq;

-- name: get_projection
SELECT entity_key, version, state, provenance, meta, updated_at FROM entities
WHERE entity_key = ?;

-- name: projections_of_domain
SELECT entity_key, version, state, provenance, meta, updated_at FROM entities
WHERE entity_key > :after AND entity_key < :end ORDER BY entity_key LIMIT :limit;

-- name: claimed_projections
SELECT e.entity_key, e.version, e.state, e.provenance, e.meta, e.updated_at
FROM json_each(:keys) AS k JOIN entities e ON e.entity_key = k.value;

-- name: upsert_projection
INSERT INTO entities (entity_key, domain, version, state, provenance, meta, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (entity_key) DO UPDATE SET
    version = excluded.version, state = excluded.state, provenance = excluded.provenance,
    meta = excluded.meta, updated_at = excluded.updated_at;

-- name: insert_processed
INSERT INTO processed_events (seq, entity_key, outcome, version, detail, processed_at)
VALUES (?, ?, ?, ?, ?, ?);


-- name: requeue_entity_after
-- After a commit: move each claimed entity past what was processed, and release it; -1 marks
-- an entity with nothing left (deleted by finish_entities).
UPDATE pending_entities
SET first_seq = coalesce(
        (SELECT min(seq) FROM entity_events
         WHERE entity_key = :entity_key AND seq > coalesce(:last, pending_entities.first_seq - 1)),
        -1),
    claim_token = NULL, claim_owner = NULL, claim_expires_at = NULL
WHERE entity_key = :entity_key AND claim_token = :token;

-- name: park_entity
UPDATE pending_entities SET parked_reason = :reason, parked_at = :now
WHERE entity_key = :entity_key AND claim_token = :token;

-- name: parked_entities
SELECT entity_key, first_seq, parked_reason, parked_at FROM pending_entities
WHERE parked_reason IS NOT NULL ORDER BY parked_at;

-- name: unpark_entity
UPDATE pending_entities SET parked_reason = NULL, parked_at = NULL WHERE entity_key = ?;

-- name: finish_entities
DELETE FROM pending_entities WHERE first_seq = -1;

-- name: insert_conflict
INSERT INTO conflicts (entity_key, field, kind, policy, event_seq, event_id, proposed_by,
                       proposed_value, current_value, current_source, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: insert_link
INSERT INTO crosswalk (system, external_id, entity_key, linked_at) VALUES (?, ?, ?, ?)
ON CONFLICT (system, external_id) DO NOTHING;

-- name: find_link
SELECT entity_key FROM crosswalk WHERE system = ? AND external_id = ?;

-- name: links_of_entity
SELECT system, external_id, entity_key FROM crosswalk WHERE entity_key = ? ORDER BY system;

-- name: links_of_external_id
SELECT system, external_id, entity_key FROM crosswalk WHERE external_id = ?
ORDER BY system, entity_key LIMIT ?;

-- name: insert_event_delivery
INSERT INTO deliveries (target, flow, mode, priority, entity_key, entity_version, event_seq,
                        event_id, correlationid, due_at, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: upsert_state_delivery
-- A pending state delivery for the same target and entity absorbs the newer version.
INSERT INTO deliveries (target, flow, mode, priority, entity_key, entity_version, event_seq,
                        event_id, correlationid, due_at, created_at, coalesced)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (target, entity_key) WHERE mode = 'state' AND state = 'pending' DO UPDATE SET
    flow = excluded.flow,
    priority = min(priority, excluded.priority),
    entity_version = excluded.entity_version,
    event_seq = excluded.event_seq,
    event_id = excluded.event_id,
    correlationid = excluded.correlationid,
    coalesced = coalesced + 1 + excluded.coalesced;

-- name: get_event_by_source_id
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal WHERE source = ? AND event_id = ?;

-- name: events_for_entities
-- Indexed events through entity_events, plus the not yet indexed tail of the journal (read
-- once for all the keys: under a backlog the tail is up to a chunk of the journal long).
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal WHERE seq IN (
    SELECT seq FROM entity_events WHERE entity_key IN (SELECT value FROM json_each(:keys)))
UNION ALL
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal WHERE seq > (SELECT seq FROM journal_indexed WHERE id = 1)
    AND subject IN (SELECT value FROM json_each(:keys))
ORDER BY seq;

-- name: events_with_id
-- Every source's event with this id (ids are unique per source only), by the dedup index.
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal WHERE event_id = ? ORDER BY source;

-- name: events_for_correlation
-- One business transaction's events: indexed through correlation_events, plus the not yet
-- indexed tail of the journal (as events_for_entity).
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal WHERE seq IN (SELECT seq FROM correlation_events WHERE correlationid = :cid)
UNION ALL
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal WHERE seq > (SELECT seq FROM journal_indexed WHERE id = 1) AND correlationid = :cid
ORDER BY seq;

-- name: events_by_seq
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal WHERE seq IN (SELECT value FROM json_each(:seqs));

-- name: raw_payload
SELECT raw FROM journal WHERE seq = ?;

-- name: history
SELECT p.seq, p.entity_key, p.outcome, p.version, p.detail, p.processed_at
FROM entity_events e JOIN processed_events p ON p.seq = e.seq
WHERE e.entity_key = ?
ORDER BY e.seq;

-- name: processing_of
-- What processing did with each of the given events (:seqs, a JSON array); absent: not yet.
SELECT seq, entity_key, outcome, version, detail, processed_at FROM processed_events
WHERE seq IN (SELECT value FROM json_each(:seqs));

-- name: all_conflicts
-- A page of every conflict and proposal, open or decided, by id (a range of the rowid).
SELECT entity_key, field, kind, policy, event_seq, event_id, proposed_by, proposed_value,
       current_value, current_source, created_at, state, id, decided_by, decided_at
FROM conflicts WHERE id > :after ORDER BY id LIMIT :limit;

-- name: entity_conflicts
SELECT entity_key, field, kind, policy, event_seq, event_id, proposed_by, proposed_value,
       current_value, current_source, created_at, state, id, decided_by, decided_at
FROM conflicts WHERE entity_key = :entity_key AND id > :after ORDER BY id LIMIT :limit;

-- name: deliveries
SELECT id, target, flow, mode, priority, entity_key, entity_version, event_seq, event_id, state,
       attempts, due_at, created_at, coalesced, first_attempt_at
FROM deliveries
WHERE (:target IS NULL OR target = :target) AND (:entity_key IS NULL OR entity_key = :entity_key)
ORDER BY id
LIMIT :limit;

-- name: deliveries_of_entity
SELECT id, target, flow, mode, priority, entity_key, entity_version, event_seq, event_id, state,
       attempts, due_at, created_at, coalesced, first_attempt_at
FROM deliveries
WHERE entity_key = :entity_key AND (:target IS NULL OR target = :target)
ORDER BY id
LIMIT :limit;

-- name: delivery_by_id
SELECT d.id, d.target, d.flow, d.mode, d.priority, d.entity_key, d.entity_version, d.event_seq,
       d.event_id, d.state, d.attempts, d.due_at, d.created_at, d.coalesced, d.first_attempt_at,
       d.last_error, d.delivered_at, l.dead_at
FROM deliveries d LEFT JOIN dead_letters l ON l.delivery_id = d.id AND l.state = 'dead'
WHERE d.id = ?;

-- name: deliveries_in_state
SELECT d.id, d.target, d.flow, d.mode, d.priority, d.entity_key, d.entity_version, d.event_seq,
       d.event_id, d.state, d.attempts, d.due_at, d.created_at, d.coalesced, d.first_attempt_at,
       d.last_error, d.delivered_at, l.dead_at
FROM deliveries d LEFT JOIN dead_letters l ON l.delivery_id = d.id AND l.state = 'dead'
WHERE d.state = :state AND d.id > :after
ORDER BY d.id
LIMIT :limit;

-- name: target_deliveries_in_state
-- As deliveries_in_state, for one target: a range of deliveries_queue (target, state, id).
SELECT d.id, d.target, d.flow, d.mode, d.priority, d.entity_key, d.entity_version, d.event_seq,
       d.event_id, d.state, d.attempts, d.due_at, d.created_at, d.coalesced, d.first_attempt_at,
       d.last_error, d.delivered_at, l.dead_at
FROM deliveries d LEFT JOIN dead_letters l ON l.delivery_id = d.id AND l.state = 'dead'
WHERE d.target = :target AND d.state = :state AND d.id > :after
ORDER BY d.id
LIMIT :limit;

-- name: deliveries_for_correlation
SELECT d.id, d.target, d.flow, d.mode, d.priority, d.entity_key, d.entity_version, d.event_seq,
       d.event_id, d.state, d.attempts, d.due_at, d.created_at, d.coalesced, d.first_attempt_at,
       d.last_error, d.delivered_at, l.dead_at
FROM deliveries d LEFT JOIN dead_letters l ON l.delivery_id = d.id AND l.state = 'dead'
WHERE d.correlationid = :cid
ORDER BY d.id;

-- name: counts
SELECT (SELECT coalesce(max(seq), 0) FROM journal),
       (SELECT count(*) FROM pending_entities p JOIN entity_events e
            ON e.entity_key = p.entity_key AND e.seq >= p.first_seq)
         + (SELECT count(*) FROM journal WHERE seq > (SELECT seq FROM journal_indexed)),
       (SELECT count(*) FROM pending_entities)
         + (SELECT count(DISTINCT subject) FROM journal
            WHERE seq > (SELECT seq FROM journal_indexed)
              AND subject NOT IN (SELECT entity_key FROM pending_entities)),
       (SELECT count(*) FROM entities),
       (SELECT count(*) FROM deliveries WHERE state = 'pending'),
       (SELECT count(*) FROM conflicts WHERE state = 'open'),
       (SELECT count(*) FROM pending_entities WHERE parked_reason IS NOT NULL);

-- name: claim_deliveries
-- Lease the most urgent due deliveries of one target, at most one per entity and only an
-- entity's oldest undelivered one, so that no two workers deliver one entity at once and each
-- entity's deliveries reach the target in order. Expired leases are taken over. Candidates
-- are the target's oldest :window due deliveries (deliveries_queue, an index range, not a
-- sort of the queue); only the first of each entity among them can be that entity's oldest
-- undelivered one, so only those are checked (a backlog of ten per entity costs a tenth of
-- the checks). Among the candidates priority decides, aged by waiting: one step per minute,
-- so nothing starves.
UPDATE deliveries
SET state = 'claimed', claim_token = :token, claim_expires_at = :expires_at,
    first_attempt_at = coalesce(first_attempt_at, :now)
WHERE id IN (
    SELECT id FROM (
        SELECT c.id, c.priority, c.created_at FROM (
            SELECT min(id) AS id, entity_key FROM (
                SELECT id, entity_key FROM deliveries
                WHERE target = :target AND state = 'pending' AND due_at <= :now
                ORDER BY id LIMIT :window
            ) GROUP BY entity_key
        ) AS h
        JOIN deliveries c ON c.id = h.id
        WHERE NOT EXISTS (
            SELECT 1 FROM deliveries e
            WHERE e.target = :target AND e.entity_key = h.entity_key AND e.id < h.id
              AND e.state IN ('pending', 'claimed'))
        UNION ALL
        SELECT id, priority, created_at FROM deliveries
        WHERE target = :target AND state = 'claimed' AND claim_expires_at < :now
    )
    ORDER BY priority - (julianday(:now) - julianday(created_at)) * 1440, id
    LIMIT :limit
)
RETURNING id, target, flow, mode, priority, entity_key, entity_version, event_seq, event_id,
          state, attempts, due_at, created_at, coalesced, first_attempt_at;

-- name: deliveries_in_flight
SELECT count(DISTINCT claim_token) FROM deliveries
WHERE target = ? AND state = 'claimed' AND claim_expires_at >= ?;

-- name: holds_delivery
SELECT count(*) FROM deliveries
WHERE id IN (SELECT value FROM json_each(:ids)) AND claim_token = :token
  AND claim_expires_at >= :now;

-- name: deliveries_succeeded
-- A batch's successes in one statement; :delivered is a JSON array of [id, target_ref].
UPDATE deliveries
SET state = 'delivered', attempts = attempts + 1, delivered_at = :now,
    target_ref = d.value ->> '$[1]', claim_token = NULL, claim_expires_at = NULL
FROM json_each(:delivered) AS d
WHERE deliveries.id = d.value ->> '$[0]' AND deliveries.claim_token = :token;

-- name: insert_success_after_failures
-- A success is an attempt row only where the delivery has earlier rows (it failed before, or
-- was replayed): a first-try success is told by the delivery row itself (see attempts_of).
INSERT INTO delivery_attempts (delivery_id, attempt, at, outcome, detail)
SELECT d.value ->> '$[0]', max(a.attempt) + 1, :now, 'delivered', d.value ->> '$[1]'
FROM json_each(:delivered) AS d
JOIN delivery_attempts a ON a.delivery_id = d.value ->> '$[0]'
GROUP BY d.value ->> '$[0]';

-- name: delivery_retried
UPDATE deliveries
SET state = 'pending', attempts = attempts + 1, due_at = :due_at, last_error = :error,
    claim_token = NULL, claim_expires_at = NULL
WHERE id = :id AND claim_token = :token;

-- name: delivery_died
UPDATE deliveries
SET state = 'dead', attempts = attempts + 1, last_error = :error,
    claim_token = NULL, claim_expires_at = NULL
WHERE id = :id AND claim_token = :token;

-- name: insert_dead_letter
-- A replayed delivery that dies again is dead again (one letter per delivery, the latest death).
INSERT INTO dead_letters (delivery_id, target, flow, entity_key, event_seq, event_id, attempts,
                          last_error, dead_at)
SELECT id, target, flow, entity_key, event_seq, event_id, attempts, last_error, :now
FROM deliveries WHERE id = :id
ON CONFLICT (delivery_id) DO UPDATE SET
    flow = excluded.flow, event_seq = excluded.event_seq, event_id = excluded.event_id,
    attempts = excluded.attempts, last_error = excluded.last_error, dead_at = excluded.dead_at,
    state = 'dead', replayed_at = NULL;

-- name: insert_attempt
-- Numbered across replays: a replay resets the retry budget, not the history.
INSERT INTO delivery_attempts (delivery_id, attempt, at, outcome, detail)
SELECT :id, coalesce(max(attempt), 0) + 1, :now, :outcome, :detail
FROM delivery_attempts WHERE delivery_id = :id;

-- name: dead_letters
SELECT delivery_id, target, flow, entity_key, event_seq, event_id, attempts, last_error, dead_at,
       state
FROM dead_letters
WHERE (:target IS NULL OR target = :target) AND (:state IS NULL OR state = :state)
ORDER BY dead_at, delivery_id
LIMIT :limit;

-- name: attempts_of
-- The recorded attempts, or, for a delivery that went through at its first try (no rows), that
-- one attempt as its row tells it.
SELECT attempt, at, outcome, detail FROM delivery_attempts WHERE delivery_id = :id
UNION ALL
SELECT 1, delivered_at, 'delivered', target_ref FROM deliveries
WHERE id = :id AND state = 'delivered'
  AND NOT EXISTS (SELECT 1 FROM delivery_attempts WHERE delivery_id = :id)
ORDER BY 1;

-- name: absorb_into_newer_state
-- A state delivery that failed while a newer state of the same entity was queued: the newer
-- one carries the latest state, so it absorbs the failed one, keeping its backoff.
UPDATE deliveries
SET due_at = max(due_at, :due_at), coalesced = coalesced + 1 + :coalesced
WHERE target = :target AND entity_key = :entity_key AND mode = 'state' AND state = 'pending';

-- name: delivery_absorbed
UPDATE deliveries
SET state = 'coalesced', attempts = attempts + 1, last_error = :error,
    claim_token = NULL, claim_expires_at = NULL
WHERE id = :id AND claim_token = :token;

-- name: target_state
SELECT bucket, breaker FROM target_state WHERE target = ?;

-- name: save_target_state
INSERT INTO target_state (target, bucket, breaker, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (target) DO UPDATE SET
    bucket = excluded.bucket, breaker = excluded.breaker, updated_at = excluded.updated_at;

-- name: replay_dead_letter
-- Put a dead delivery back in its queue, due now, with a fresh attempt budget (attempts and
-- age: its retry age counts from the replay, not from its first attempt days ago). ``current``
-- turns an event delivery into a state delivery of the entity's current projection.
UPDATE deliveries
SET state = 'pending', attempts = 0, due_at = :now, last_error = NULL, first_attempt_at = NULL,
    mode = CASE WHEN :current THEN 'state' ELSE mode END
WHERE id = :id AND state = 'dead'
  AND NOT ((:current OR mode = 'state') AND EXISTS (
      SELECT 1 FROM deliveries p WHERE p.target = deliveries.target
        AND p.entity_key = deliveries.entity_key AND p.mode = 'state' AND p.state = 'pending'));

-- name: mark_replayed
UPDATE dead_letters SET state = 'replayed', replayed_at = :now WHERE delivery_id = :id;

-- name: insert_audit
INSERT INTO audit (at, actor, action, subject, reason, detail) VALUES (?, ?, ?, ?, ?, ?);

-- name: audit_log
SELECT at, actor, action, subject, reason, detail, origin FROM audit ORDER BY id DESC LIMIT ?;

-- name: insert_audit_from
INSERT INTO audit (at, actor, action, subject, reason, detail, origin)
VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: save_api_key
INSERT INTO api_keys (key_id, system, scopes, event_types, secret_hash, label, created_at,
                      expires_at, revoked_at, replaces, rate_limit)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (key_id) DO UPDATE SET
    expires_at = excluded.expires_at, revoked_at = excluded.revoked_at;

-- name: api_key
SELECT key_id, system, scopes, event_types, secret_hash, label, created_at, expires_at,
       revoked_at, replaces, rate_limit
FROM api_keys WHERE key_id = ?;

-- name: api_keys
SELECT key_id, system, scopes, event_types, secret_hash, label, created_at, expires_at,
       revoked_at, replaces, rate_limit
FROM api_keys ORDER BY created_at, key_id;

-- name: redrive_target
-- Queue the current state of every entity (of one domain, or all) for a target again.
INSERT INTO deliveries (target, flow, mode, priority, entity_key, entity_version, event_seq,
                        event_id, correlationid, due_at, created_at)
SELECT :target, 'redrive', 'state', 2, e.entity_key, e.version, 0, 'redrive', NULL, :now, :now
FROM entities e
WHERE (:domain IS NULL OR e.domain = :domain)
ON CONFLICT (target, entity_key) WHERE mode = 'state' AND state = 'pending' DO NOTHING;

-- name: dead_letters_matching
SELECT l.delivery_id FROM dead_letters l JOIN journal j ON j.seq = l.event_seq
WHERE l.state = 'dead'
  AND (:target IS NULL OR l.target = :target)
  AND (:event_type IS NULL OR j.type = :event_type)
  AND (:error IS NULL OR instr(lower(l.last_error), lower(:error)) > 0)
  AND (:since IS NULL OR l.dead_at >= :since)
  AND (:until IS NULL OR l.dead_at < :until)
ORDER BY l.delivery_id;

-- name: add_latency_bucket
INSERT INTO delivery_latency (target, le, count) VALUES (?, ?, ?)
ON CONFLICT (target, le) DO UPDATE SET count = count + excluded.count;

-- name: add_latency_total
INSERT INTO delivery_latency_totals (target, count, seconds) VALUES (?, ?, ?)
ON CONFLICT (target) DO UPDATE SET
    count = count + excluded.count, seconds = seconds + excluded.seconds;

-- name: latency_buckets
SELECT target, le, count FROM delivery_latency ORDER BY target, le;

-- name: latency_totals
SELECT target, count, seconds FROM delivery_latency_totals ORDER BY target;

-- name: target_health
-- Per target: waiting and in-flight deliveries, dead letters, the oldest waiting delivery and
-- the shared breaker state. Targets are found by skipping through the queue index (one probe
-- per target, not a scan of the deliveries).
WITH RECURSIVE queued(target) AS (
    SELECT min(target) FROM deliveries
    UNION ALL
    SELECT (SELECT min(target) FROM deliveries WHERE target > queued.target)
    FROM queued WHERE queued.target IS NOT NULL
),
targets AS (
    SELECT target FROM queued WHERE target IS NOT NULL
    UNION SELECT target FROM target_state
)
SELECT t.target,
       (SELECT count(*) FROM deliveries WHERE target = t.target AND state = 'pending'),
       (SELECT count(*) FROM deliveries WHERE target = t.target AND state = 'claimed'),
       (SELECT count(*) FROM dead_letters WHERE target = t.target AND state = 'dead'),
       (SELECT created_at FROM deliveries WHERE target = t.target AND state = 'pending'
        ORDER BY id LIMIT 1),
       (SELECT breaker ->> '$.status' FROM target_state WHERE target = t.target)
FROM targets t
ORDER BY t.target;

-- name: last_audit_of
SELECT at, actor, action, subject, reason, detail, origin FROM audit
WHERE action = ? ORDER BY id DESC LIMIT 1;

-- name: source_cursor
SELECT position FROM source_cursors WHERE source = ? AND stream = ?;

-- name: save_source_cursor
INSERT INTO source_cursors (source, stream, position, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (source, stream) DO UPDATE SET position = excluded.position,
                                           updated_at = excluded.updated_at;

-- name: source_cursors
SELECT source, stream, position, updated_at FROM source_cursors ORDER BY source, stream;

-- name: source_activity
-- The per-source rows every append keeps (migrations 0013, 0016): never the journal.
SELECT source, events, last_received_at FROM source_activity ORDER BY source;

-- name: oldest_pending_received_at
-- The first event of the entity waiting longest, or the first event not yet indexed.
SELECT min(received_at) FROM journal
WHERE seq IN ((SELECT min(first_seq) FROM pending_entities WHERE parked_reason IS NULL),
              (SELECT min(seq) FROM journal
               WHERE seq > (SELECT seq FROM journal_indexed WHERE id = 1)));

-- name: received_control_number
SELECT digest FROM edi_control_received
WHERE partner = ? AND standard = ? AND level = ? AND number = ?;

-- name: highest_received_control_number
SELECT max(number) FROM edi_control_received WHERE partner = ? AND standard = ? AND level = ?;

-- name: record_received_control_number
INSERT INTO edi_control_received (partner, standard, level, number, digest, received_at)
VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING;

-- name: take_outbound_control_number
INSERT INTO edi_control_outbound (partner, standard, level, next_number) VALUES (?, ?, ?, 2)
ON CONFLICT (partner, standard, level) DO UPDATE SET next_number = next_number + 1
RETURNING next_number - 1;

-- name: stuck_entities
-- Monitors: entities of :domain in :status since before :before, through entities_status (the
-- expressions are the index's, spelled the same); the optional conditions filter those rows
-- only, and the related-entity test goes through entities_order.
SELECT s.entity_key,
       coalesce(json_extract(CAST(s.state AS TEXT), '$.status.milestone'),
                json_extract(CAST(s.state AS TEXT), '$.status')) AS status,
       json_extract(CAST(s.provenance AS TEXT), '$.status.time') AS since,
       coalesce(json_extract(CAST(s.state AS TEXT), '$.order_number'),
                CASE WHEN s.domain = 'sales_order'
                     THEN json_extract(CAST(s.state AS TEXT), '$.number') END) AS order_number
FROM entities s
WHERE s.domain = :domain
  AND coalesce(json_extract(CAST(s.state AS TEXT), '$.status.milestone'),
               json_extract(CAST(s.state AS TEXT), '$.status')) = :status
  AND json_extract(CAST(s.provenance AS TEXT), '$.status.time') <= :before
  AND (:not_set_by IS NULL
       OR json_extract(CAST(s.provenance AS TEXT), '$.status.system') IS NOT :not_set_by)
  AND (:missing_domain IS NULL OR NOT EXISTS (
        SELECT 1 FROM entities r
        WHERE r.domain = :missing_domain
          AND json_extract(CAST(r.state AS TEXT), '$.order_number') =
              coalesce(json_extract(CAST(s.state AS TEXT), '$.order_number'),
                       CASE WHEN s.domain = 'sales_order'
                            THEN json_extract(CAST(s.state AS TEXT), '$.number') END)
          AND coalesce(json_extract(CAST(r.state AS TEXT), '$.status.milestone'),
                       json_extract(CAST(r.state AS TEXT), '$.status'))
              IN (SELECT value FROM json_each(:missing_statuses))))
ORDER BY since
LIMIT :limit;

-- name: last_heard
SELECT last_received_at FROM source_activity WHERE source = ?;

-- name: open_alerts_of
-- The open alerts of the monitors in :monitors (a JSON array), through alerts_open.
SELECT id, monitor, subject, detail, raised_at, cleared_at, notice, notice_attempts
FROM alerts WHERE cleared_at IS NULL AND monitor IN (SELECT value FROM json_each(:monitors));

-- name: raise_alert
INSERT INTO alerts (monitor, subject, detail, raised_at, notice)
VALUES (:monitor, :subject, :detail, :now, :notice)
RETURNING id, monitor, subject, detail, raised_at, cleared_at, notice, notice_attempts;

-- name: clear_alert
-- A clear whose raise notice was never sent tells nobody anything: both are dropped.
UPDATE alerts SET cleared_at = :now,
    notice = CASE WHEN :notify = 0 OR notice = 'raise' THEN NULL ELSE 'clear' END,
    notice_attempts = 0
WHERE id = :id AND cleared_at IS NULL
RETURNING id, monitor, subject, detail, raised_at, cleared_at, notice, notice_attempts;

-- name: active_alerts
SELECT id, monitor, subject, detail, raised_at, cleared_at, notice, notice_attempts
FROM alerts WHERE cleared_at IS NULL AND (:monitor IS NULL OR monitor = :monitor)
ORDER BY raised_at, id;

-- name: alerts_to_notify
SELECT id, monitor, subject, detail, raised_at, cleared_at, notice, notice_attempts
FROM alerts WHERE notice IS NOT NULL ORDER BY id LIMIT ?;

-- name: finish_notice
UPDATE alerts SET
    notice = CASE WHEN :sent OR :give_up THEN NULL ELSE notice END,
    notice_attempts = CASE WHEN :sent OR :give_up THEN notice_attempts
                           ELSE notice_attempts + 1 END
WHERE id = :id AND notice = :notice;
-- Dashboard (migration 0014) ---------------------------------------------------------------

-- name: save_dashboard_user
INSERT INTO dashboard_users (name, role, password_hash, created_at, disabled_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET
    role = excluded.role, password_hash = excluded.password_hash,
    disabled_at = excluded.disabled_at;

-- name: dashboard_user
SELECT name, role, password_hash, created_at, disabled_at FROM dashboard_users WHERE name = ?;

-- name: dashboard_users
SELECT name, role, password_hash, created_at, disabled_at FROM dashboard_users ORDER BY name;

-- name: open_conflicts
-- A page of open conflicts and proposals by id: a range of conflicts_state_id.
SELECT entity_key, field, kind, policy, event_seq, event_id, proposed_by, proposed_value,
       current_value, current_source, created_at, state, id, decided_by, decided_at
FROM conflicts WHERE state = 'open' AND id > :after ORDER BY id LIMIT :limit;

-- name: decide_conflict
UPDATE conflicts SET state = :state, decided_by = :actor, decided_at = :now
WHERE id = :id AND state = 'open';

-- name: journal_seq_bounds
SELECT min(seq), max(seq) FROM journal;

-- name: journal_received_at_or_after
SELECT received_at FROM journal WHERE seq >= ? ORDER BY seq LIMIT 1;

-- name: received_per_minute
-- Journal rows from :first on (found by bisecting seq, which grows with received_at): reads
-- only the window's rows, by rowid range, never the whole journal.
SELECT substr(received_at, 1, 16) AS minute, source, count(*) FROM journal
WHERE seq >= :first AND received_at >= :since
GROUP BY minute, source ORDER BY minute, source;

-- name: add_delivery_minutes
INSERT INTO delivery_minutes (target, minute, delivered, retried, dead, latency_seconds)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (minute, target) DO UPDATE SET
    delivered = delivered + excluded.delivered, retried = retried + excluded.retried,
    dead = dead + excluded.dead, latency_seconds = latency_seconds + excluded.latency_seconds;

-- name: prune_delivery_minutes
-- At most :limit of the oldest rows from before :before (a range of the primary key), so that
-- a long backlog goes in short transactions that let the writers of the hot path in between.
DELETE FROM delivery_minutes WHERE (minute, target) IN (
    SELECT minute, target FROM delivery_minutes WHERE minute < :before
    ORDER BY minute LIMIT :limit
);

-- name: deliveries_per_minute
SELECT minute, target, delivered, retried, dead, latency_seconds FROM delivery_minutes
WHERE minute >= :since ORDER BY minute, target;

-- name: stage_counts
-- Entities of one domain (a key range) by lifecycle stage: how many, and since when the
-- longest-waiting one has been there (its status's fact time, else its last change).
SELECT CASE json_type(state, '$.status') WHEN 'object' THEN state ->> '$.status.milestone'
            ELSE state ->> '$.status' END AS stage,
       count(*),
       min(coalesce(provenance ->> '$.status.time', updated_at))
FROM entities WHERE entity_key > :start AND entity_key < :end
GROUP BY stage ORDER BY stage;

-- name: entities_in_stage
SELECT entity_key, version, state, provenance, meta, updated_at FROM (
    SELECT *, coalesce(provenance ->> '$.status.time', updated_at) AS since,
           CASE json_type(state, '$.status') WHEN 'object' THEN state ->> '$.status.milestone'
                ELSE state ->> '$.status' END AS stage
    FROM entities WHERE entity_key > :start AND entity_key < :end
)
WHERE stage IN (SELECT value FROM json_each(:stages))
  AND (:before IS NULL OR since < :before)
ORDER BY since, entity_key LIMIT :limit;

-- name: documents_of_orders
-- An order's shipments, invoices or returns (one domain): a search of entities_order (the
-- expression is the index's, spelled the same) instead of a pass over the domain's projections.
SELECT entity_key, version, state, provenance, meta, updated_at FROM entities
WHERE domain = :domain
  AND json_extract(CAST(state AS TEXT), '$.order_number') IN (SELECT value FROM json_each(:values))
ORDER BY entity_key LIMIT :limit;

-- name: undelivered_to_target
-- Deliveries of one domain's entities to :target dead, or still queued or in flight and
-- routed before :before, whose entity is now in one of :stages: ranges of deliveries_queue.
SELECT d.id, d.target, d.flow, d.mode, d.priority, d.entity_key, d.entity_version, d.event_seq,
       d.event_id, d.state, d.attempts, d.due_at, d.created_at, d.coalesced, d.first_attempt_at,
       d.last_error, d.delivered_at, NULL
FROM deliveries d JOIN entities e ON e.entity_key = d.entity_key
WHERE d.target = :target AND d.state IN ('pending', 'claimed', 'dead')
  AND d.entity_key > :start AND d.entity_key < :end
  AND (d.state = 'dead' OR d.created_at < :before)
  AND (CASE json_type(e.state, '$.status') WHEN 'object' THEN e.state ->> '$.status.milestone'
            ELSE e.state ->> '$.status' END) IN (SELECT value FROM json_each(:stages))
ORDER BY d.id LIMIT :limit;

-- Order-to-cash, one stage per order (migration 0016, core.order_to_cash) -------------------

-- name: order_documents
-- The status of each document of the orders in :orders (a JSON array of order numbers): the
-- order by its key, its shipments and invoices through entities_order (the expressions are
-- the index's, spelled the same). Columns: order number, domain, status code, since.
SELECT o.value, 'sales_order',
       coalesce(json_extract(CAST(e.state AS TEXT), '$.status.milestone'),
                json_extract(CAST(e.state AS TEXT), '$.status')),
       coalesce(json_extract(CAST(e.provenance AS TEXT), '$.status.time'), e.updated_at)
FROM json_each(:orders) AS o JOIN entities e ON e.entity_key = 'sales_order:' || o.value
UNION ALL
SELECT o.value, e.domain,
       coalesce(json_extract(CAST(e.state AS TEXT), '$.status.milestone'),
                json_extract(CAST(e.state AS TEXT), '$.status')),
       coalesce(json_extract(CAST(e.provenance AS TEXT), '$.status.time'), e.updated_at)
-- CROSS JOIN keeps the order list outside: SQLite would otherwise probe entities_order by
-- domain alone and read every shipment and invoice for each order.
FROM json_each(:orders) AS o CROSS JOIN entities e
  ON e.domain IN ('shipment', 'invoice')
 AND json_extract(CAST(e.state AS TEXT), '$.order_number') = o.value;

-- name: all_order_documents
-- Every order document, as order_documents: once, to fill order_stages (migration 0016).
SELECT CASE e.domain WHEN 'sales_order' THEN substr(e.entity_key, length('sales_order:') + 1)
       ELSE json_extract(CAST(e.state AS TEXT), '$.order_number') END,
       e.domain,
       coalesce(json_extract(CAST(e.state AS TEXT), '$.status.milestone'),
                json_extract(CAST(e.state AS TEXT), '$.status')),
       coalesce(json_extract(CAST(e.provenance AS TEXT), '$.status.time'), e.updated_at)
FROM entities e WHERE e.domain IN ('sales_order', 'shipment', 'invoice');

-- name: save_order_stage
-- Rewritten only when it changed: the index entry of an order that stays put is not touched.
INSERT INTO order_stages (order_number, stage, since) VALUES (?, ?, ?)
ON CONFLICT (order_number) DO UPDATE SET stage = excluded.stage, since = excluded.since
WHERE stage IS NOT excluded.stage OR since IS NOT excluded.since;

-- name: forget_order_stage
DELETE FROM order_stages WHERE order_number = ?;

-- name: order_stage_counts
-- Orders per stage and the oldest's time: one pass over order_stages_by_stage (covering).
SELECT stage, count(*), min(since) FROM order_stages GROUP BY stage ORDER BY stage;

-- name: orders_at_stages
-- The orders at one of :stages (a JSON array) since before :before, longest there first: a
-- search of order_stages_by_stage per stage.
SELECT order_number, stage, since FROM order_stages
WHERE stage IN (SELECT value FROM json_each(:stages)) AND since < :before
ORDER BY since LIMIT :limit;

-- name: order_stage_median
-- The median order's time at :stage: an index search, stepping :offset entries in.
SELECT since FROM order_stages WHERE stage = :stage ORDER BY since LIMIT 1 OFFSET :offset;
