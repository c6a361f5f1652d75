-- Every statement the PostgreSQL backend runs, by name (psycopg placeholders: %s, %(name)s).
-- The same names as store/sqlite/queries.sql; lists are passed as arrays.

-- Journal ----------------------------------------------------------------------------------

-- name: lock_journal
-- Appenders take turns (see store.append): seqs are handed out and committed in order. A
-- statement of its own: the next statement's snapshot then sees the previous appender's rows.
SELECT pg_advisory_xact_lock(1819240300);

-- name: journal_max_seq
SELECT coalesce(max(seq), 0) FROM journal;

-- name: find_duplicates
SELECT idempotency_key, event_id, seq, content_hash, source
FROM journal WHERE idempotency_key = ANY(%(keys)s::text[]);

-- name: find_source_ids
SELECT j.source, j.event_id, j.seq, j.content_hash, j.idempotency_key
FROM unnest(%(sources)s::text[], %(ids)s::text[]) AS p(source, event_id)
JOIN journal j ON j.event_id = p.event_id AND j.source = p.source;

-- name: insert_journal
-- A batch as one statement: column arrays, unnested, in binary (the JSON is not escaped).
INSERT INTO journal (seq, event_id, source, type, subject, time, sourceversion, version_key,
                     correlationid, causationid, idempotency_key, content_hash, data, raw,
                     received_at, traceparent, tracestate)
SELECT * FROM unnest(%b::bigint[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[],
                     %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[],
                     %b::json[], %b::bytea[], %b::text[], %b::text[], %b::text[]);

-- name: note_source_activity
-- When a source was last heard from and how many events it sent, one row per source of an
-- append: (source, last seq, last received_at, events), counted by the appender.
INSERT INTO source_activity (source, last_seq, last_received_at, events)
VALUES (%s, %s, %s, %s)
ON CONFLICT (source) DO UPDATE SET
    last_seq = excluded.last_seq, last_received_at = excluded.last_received_at,
    events = source_activity.events + excluded.events;

-- name: notify_work
SELECT pg_notify('logisync_work', %s);

-- name: journal_indexed_upto
-- Journal rows after this sequence number are not yet in entity_events nor marked pending.
-- One indexer at a time: the others skip indexing (the row is locked) and just claim.
SELECT seq, (SELECT coalesce(max(seq), 0) FROM journal) FROM journal_indexed WHERE id = 1
FOR UPDATE SKIP LOCKED;

-- name: journal_indexed_seq
SELECT seq FROM journal_indexed WHERE id = 1;

-- name: index_entity_events
INSERT INTO entity_events (entity_key, seq)
SELECT subject, seq FROM journal WHERE seq > %(after)s AND seq <= %(upto)s;

-- name: mark_entities_pending
-- An entity already waiting keeps its earlier first event. DO UPDATE (not DO NOTHING) locks
-- the row: a processing commit of that entity then waits for this one, and its requeue sees
-- the events indexed here (see processing.commit).
INSERT INTO pending_entities (entity_key, first_seq)
SELECT subject, min(seq) FROM journal WHERE seq > %(after)s AND seq <= %(upto)s
GROUP BY subject ORDER BY subject
ON CONFLICT (entity_key) DO UPDATE SET
    first_seq = least(pending_entities.first_seq, excluded.first_seq);

-- name: index_correlation_events
INSERT INTO correlation_events (correlationid, seq)
SELECT correlationid, seq FROM journal
WHERE seq > %(after)s AND seq <= %(upto)s AND correlationid IS NOT NULL;

-- name: advance_journal_index
UPDATE journal_indexed SET seq = %(upto)s WHERE id = 1;

-- Processing -------------------------------------------------------------------------------

-- name: claimable_entities
-- Lease the entities waiting longest that no live claim holds; rows another claimant is
-- locking right now are skipped, not waited for.
-- The entities go as an array (found and locked once, then one primary-key search each):
-- joined, a plan made on statistics taken while the queue was empty ran the locking search
-- again for every row of the table (1,730 x 978 rows, 3.8 s a claim in the latency benchmark).
UPDATE pending_entities p
SET claim_token = %(token)s, claim_owner = %(owner)s, claim_expires_at = %(expires_at)s
WHERE p.entity_key = ANY (ARRAY(
    SELECT entity_key FROM pending_entities
    WHERE (claim_token IS NULL OR claim_expires_at < %(now)s) AND parked_reason IS NULL
    ORDER BY first_seq
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED))
RETURNING p.entity_key, p.first_seq;

-- name: release_claim
UPDATE pending_entities SET claim_token = NULL, claim_owner = NULL, claim_expires_at = NULL
WHERE entity_key = ANY(%(keys)s::text[]) AND claim_token = %(token)s;

-- name: holds_claim
-- Locks the claimed rows until the commit: nobody can take them over meanwhile.
SELECT count(*) FROM (
    SELECT entity_key FROM pending_entities
    WHERE entity_key = ANY(%(keys)s::text[]) AND claim_token = %(token)s
      AND claim_expires_at >= %(now)s
    ORDER BY entity_key
    FOR UPDATE
) AS held;

-- name: pending_for_entity
WITH claimed AS MATERIALIZED (
    SELECT k.position, p.entity_key, p.first_seq,
           coalesce(
               (SELECT seq FROM entity_events
                WHERE entity_key = p.entity_key AND seq >= p.first_seq
                ORDER BY seq LIMIT 1 OFFSET %(limit)s - 1),
               9223372036854775807) AS last_seq
    FROM unnest(%(keys)s::text[]) WITH ORDINALITY AS k(entity_key, position)
    JOIN pending_entities p ON p.entity_key = k.entity_key
    WHERE p.claim_token = %(token)s
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
WHERE entity_key = %s;

-- name: projections_of_domain
SELECT entity_key, version, state, provenance, meta, updated_at FROM entities
WHERE entity_key > %(after)s AND entity_key < %(end)s ORDER BY entity_key LIMIT %(limit)s;

-- name: claimed_projections
SELECT entity_key, version, state, provenance, meta, updated_at FROM entities
WHERE entity_key = ANY(%(keys)s::text[]);

-- The commit's per-entity rows go as one statement per table: arrays of columns, unnested,
-- sent in binary (%b): the JSON text goes as it is, not escaped into an array literal.

-- name: upsert_projection
INSERT INTO entities (entity_key, domain, version, state, provenance, meta, updated_at)
SELECT * FROM unnest(%b::text[], %b::text[], %b::bigint[], %b::jsonb[], %b::jsonb[],
                     %b::jsonb[], %b::text[])
ON CONFLICT (entity_key) DO UPDATE SET
    version = excluded.version, state = excluded.state, provenance = excluded.provenance,
    meta = excluded.meta, updated_at = excluded.updated_at;

-- name: insert_processed
INSERT INTO processed_events (seq, entity_key, outcome, version, detail, processed_at)
SELECT * FROM unnest(%b::bigint[], %b::text[], %b::text[], %b::bigint[], %b::jsonb[],
                     %b::text[]);

-- name: requeue_entity_after
-- After a commit: move each claimed entity (:keys) past what was processed (:lasts, NULL for
-- none) and release it; -1 marks an entity with nothing left (deleted by finish_entities).
UPDATE pending_entities p
SET first_seq = coalesce(
        (SELECT min(e.seq) FROM entity_events e
         WHERE e.entity_key = p.entity_key AND e.seq > coalesce(r.last, p.first_seq - 1)),
        -1),
    claim_token = NULL, claim_owner = NULL, claim_expires_at = NULL
FROM unnest(%(keys)s::text[], %(lasts)s::bigint[]) AS r(entity_key, last)
WHERE p.entity_key = r.entity_key AND p.claim_token = %(token)s;

-- name: park_entity
UPDATE pending_entities SET parked_reason = %(reason)s, parked_at = %(now)s
WHERE entity_key = %(entity_key)s AND claim_token = %(token)s;

-- name: parked_entities
SELECT entity_key, first_seq, parked_reason, parked_at FROM pending_entities
WHERE parked_reason IS NOT NULL ORDER BY parked_at;

-- name: unpark_entity
UPDATE pending_entities SET parked_reason = NULL, parked_at = NULL WHERE entity_key = %s;

-- name: finish_entities
DELETE FROM pending_entities WHERE entity_key = ANY(%(keys)s::text[]) AND first_seq = -1;

-- name: insert_conflict
INSERT INTO conflicts (entity_key, field, kind, policy, event_seq, event_id, proposed_by,
                       proposed_value, current_value, current_source, created_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s);

-- name: insert_link
INSERT INTO crosswalk (system, external_id, entity_key, linked_at) VALUES (%s, %s, %s, %s)
ON CONFLICT (system, external_id) DO NOTHING;

-- name: find_link
SELECT entity_key FROM crosswalk WHERE system = %s AND external_id = %s;

-- name: links_of_entity
SELECT system, external_id, entity_key FROM crosswalk WHERE entity_key = %s ORDER BY system;

-- name: links_of_external_id
SELECT system, external_id, entity_key FROM crosswalk WHERE external_id = %s
ORDER BY system, entity_key LIMIT %s;

-- name: insert_event_deliveries
-- A batch's event deliveries in one statement (one array per column), numbered in the
-- batch's order: each entity's deliveries keep the order of its events.
INSERT INTO deliveries (target, flow, mode, priority, entity_key, entity_version, event_seq,
                        event_id, correlationid, due_at, created_at)
SELECT target, flow, mode, priority, entity_key, entity_version, event_seq, event_id,
       correlationid, due_at, created_at
FROM unnest(%s::text[], %s::text[], %s::text[], %s::integer[], %s::text[], %s::bigint[],
            %s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
     WITH ORDINALITY AS d(target, flow, mode, priority, entity_key, entity_version, event_seq,
                          event_id, correlationid, due_at, created_at, position)
ORDER BY position;

-- name: upsert_state_deliveries
-- A batch's state deliveries in one statement; a pending state delivery for the same target
-- and entity absorbs the newer version. A batch holds one per target and entity (routing
-- keeps the last per target), so no row is hit twice by one statement.
INSERT INTO deliveries (target, flow, mode, priority, entity_key, entity_version, event_seq,
                        event_id, correlationid, due_at, created_at, coalesced)
SELECT target, flow, mode, priority, entity_key, entity_version, event_seq, event_id,
       correlationid, due_at, created_at, coalesced
FROM unnest(%s::text[], %s::text[], %s::text[], %s::integer[], %s::text[], %s::bigint[],
            %s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::integer[])
     WITH ORDINALITY AS d(target, flow, mode, priority, entity_key, entity_version, event_seq,
                          event_id, correlationid, due_at, created_at, coalesced, position)
ORDER BY position
ON CONFLICT (target, entity_key) WHERE mode = 'state' AND state = 'pending' DO UPDATE SET
    flow = excluded.flow,
    priority = least(deliveries.priority, excluded.priority),
    entity_version = excluded.entity_version,
    event_seq = excluded.event_seq,
    event_id = excluded.event_id,
    correlationid = excluded.correlationid,
    coalesced = deliveries.coalesced + 1 + excluded.coalesced;

-- Journal reads ----------------------------------------------------------------------------

-- name: get_event_by_source_id
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal WHERE source = %s AND event_id = %s;

-- name: events_for_entities
-- Indexed events through entity_events, plus the not yet indexed tail of the journal (read
-- once for all the keys: under a backlog the tail is up to a chunk of the journal long).
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal WHERE seq IN (SELECT seq FROM entity_events WHERE entity_key = ANY(%(keys)s))
UNION ALL
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal
WHERE seq > (SELECT seq FROM journal_indexed WHERE id = 1) AND subject = ANY(%(keys)s)
ORDER BY seq;

-- name: events_with_id
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal WHERE event_id = %s ORDER BY source;

-- name: events_for_correlation
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal WHERE seq IN (SELECT seq FROM correlation_events WHERE correlationid = %(cid)s)
UNION ALL
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal
WHERE seq > (SELECT seq FROM journal_indexed WHERE id = 1) AND correlationid = %(cid)s
ORDER BY seq;

-- name: events_by_seq
SELECT seq, event_id, source, type, subject, time, sourceversion, version_key, correlationid,
       causationid, data, received_at, traceparent, tracestate
FROM journal WHERE seq = ANY(%(seqs)s::bigint[]);

-- name: raw_payload
SELECT raw FROM journal WHERE seq = %s;

-- name: history
SELECT p.seq, p.entity_key, p.outcome, p.version, p.detail, p.processed_at
FROM entity_events e JOIN processed_events p ON p.seq = e.seq
WHERE e.entity_key = %s
ORDER BY e.seq;

-- name: processing_of
SELECT seq, entity_key, outcome, version, detail, processed_at FROM processed_events
WHERE seq = ANY(%(seqs)s::bigint[]);

-- name: all_conflicts
-- A page of every conflict and proposal, open or decided, by id (a range of the primary key).
SELECT entity_key, field, kind, policy, event_seq, event_id, proposed_by, proposed_value,
       current_value, current_source, created_at, state, id, decided_by, decided_at
FROM conflicts WHERE id > %(after)s ORDER BY id LIMIT %(limit)s;

-- name: entity_conflicts
SELECT entity_key, field, kind, policy, event_seq, event_id, proposed_by, proposed_value,
       current_value, current_source, created_at, state, id, decided_by, decided_at
FROM conflicts WHERE entity_key = %(entity_key)s AND id > %(after)s ORDER BY id
LIMIT %(limit)s;

-- name: counts
SELECT (SELECT coalesce(max(seq), 0) FROM journal),
       (SELECT count(*) FROM pending_entities p JOIN entity_events e
            ON e.entity_key = p.entity_key AND e.seq >= p.first_seq)
         + (SELECT count(*) FROM journal WHERE seq > (SELECT seq FROM journal_indexed)),
       (SELECT count(*) FROM pending_entities)
         + (SELECT count(DISTINCT subject) FROM journal j
            WHERE seq > (SELECT seq FROM journal_indexed)
              AND NOT EXISTS (SELECT 1 FROM pending_entities p WHERE p.entity_key = j.subject)),
       (SELECT count(*) FROM entities),
       (SELECT count(*) FROM deliveries WHERE state = 'pending'),
       (SELECT count(*) FROM conflicts WHERE state = 'open'),
       (SELECT count(*) FROM pending_entities WHERE parked_reason IS NOT NULL);

-- Delivery reads ---------------------------------------------------------------------------

-- name: deliveries
SELECT id, target, flow, mode, priority, entity_key, entity_version, event_seq, event_id, state,
       attempts, due_at, created_at, coalesced, first_attempt_at
FROM deliveries
WHERE (%(target)s::text IS NULL OR target = %(target)s)
ORDER BY id
LIMIT %(limit)s;

-- name: deliveries_of_entity
SELECT id, target, flow, mode, priority, entity_key, entity_version, event_seq, event_id, state,
       attempts, due_at, created_at, coalesced, first_attempt_at
FROM deliveries
WHERE entity_key = %(entity_key)s AND (%(target)s::text IS NULL OR target = %(target)s)
ORDER BY id
LIMIT %(limit)s;

-- name: delivery_by_id
SELECT d.id, d.target, d.flow, d.mode, d.priority, d.entity_key, d.entity_version, d.event_seq,
       d.event_id, d.state, d.attempts, d.due_at, d.created_at, d.coalesced, d.first_attempt_at,
       d.last_error, d.delivered_at, l.dead_at
FROM deliveries d LEFT JOIN dead_letters l ON l.delivery_id = d.id AND l.state = 'dead'
WHERE d.id = %s;

-- name: deliveries_in_state
SELECT d.id, d.target, d.flow, d.mode, d.priority, d.entity_key, d.entity_version, d.event_seq,
       d.event_id, d.state, d.attempts, d.due_at, d.created_at, d.coalesced, d.first_attempt_at,
       d.last_error, d.delivered_at, l.dead_at
FROM deliveries d LEFT JOIN dead_letters l ON l.delivery_id = d.id AND l.state = 'dead'
WHERE d.state = %(state)s AND d.id > %(after)s
ORDER BY d.id
LIMIT %(limit)s;

-- name: target_deliveries_in_state
SELECT d.id, d.target, d.flow, d.mode, d.priority, d.entity_key, d.entity_version, d.event_seq,
       d.event_id, d.state, d.attempts, d.due_at, d.created_at, d.coalesced, d.first_attempt_at,
       d.last_error, d.delivered_at, l.dead_at
FROM deliveries d LEFT JOIN dead_letters l ON l.delivery_id = d.id AND l.state = 'dead'
WHERE d.target = %(target)s AND d.state = %(state)s AND d.id > %(after)s
ORDER BY d.id
LIMIT %(limit)s;

-- name: deliveries_for_correlation
SELECT d.id, d.target, d.flow, d.mode, d.priority, d.entity_key, d.entity_version, d.event_seq,
       d.event_id, d.state, d.attempts, d.due_at, d.created_at, d.coalesced, d.first_attempt_at,
       d.last_error, d.delivered_at, l.dead_at
FROM deliveries d LEFT JOIN dead_letters l ON l.delivery_id = d.id AND l.state = 'dead'
WHERE d.correlationid = %(cid)s
ORDER BY d.id;

-- Delivery work ----------------------------------------------------------------------------

-- name: lock_target
-- Claims of one target take turns while an in-flight limit is counted, so that the limit holds
-- across processes. Taken after the claim's rows, so that it is held for the count and the
-- commit only, not for the claim's search as well.
SELECT pg_advisory_xact_lock(hashtext('logisync.target:' || %s));

-- name: claim_deliveries
-- As SQLite's claim_deliveries: at most one delivery per entity and only an entity's oldest
-- undelivered one; expired leases are taken over; priority ages by one step a minute. Rows
-- another claimant holds are skipped; the conditions are checked again on the locked row.
-- The window is the target's oldest :window due deliveries (deliveries_waiting). Only the
-- first of each entity in it can be that entity's oldest undelivered one, so only those are
-- checked: a backlog of ten per entity costs a tenth of the checks. The check is a correlated
-- min(), not NOT EXISTS: the planner may turn NOT EXISTS into an anti-join that reads the
-- target's whole index once per candidate when the table's statistics are stale (just after
-- a bulk load: 140 ms a claim instead of 1 ms); the min() is one descent of
-- deliveries_entity_order, whatever the entity's backlog or history. Each step is
-- MATERIALIZED: inlined, a plan made on stale statistics ran the candidates again for every
-- row of the outer scan (90 candidates: 8,100 descents, 150 ms a claim instead of 2).
WITH due AS MATERIALIZED (
    SELECT id, entity_key FROM deliveries
    WHERE target = %(target)s AND state = 'pending' AND due_at <= %(now)s
    ORDER BY id LIMIT %(window)s
),
candidates AS MATERIALIZED (
    SELECT c.id FROM (
        SELECT DISTINCT ON (entity_key) id, entity_key FROM due ORDER BY entity_key, id
    ) AS c
    WHERE c.id = (
        SELECT min(e.id) FROM deliveries e
        WHERE e.target = %(target)s AND e.entity_key = c.entity_key
          AND e.state IN ('pending', 'claimed'))
    UNION ALL
    SELECT id FROM deliveries  -- expired leases: deliveries_claimed
    WHERE target = %(target)s AND state = 'claimed' AND claim_expires_at < %(now)s
),
taken AS (
    -- The candidates as an array, and no condition on state here: the primary key is then the
    -- only index that can find them. Joined, a plan on stale statistics compared every
    -- candidate with every pending row (2,500 x 7,500, 7 s a claim at 630,000 deliveries);
    -- with the state conditions here, statistics taken while the queue was empty sent the
    -- search through a partial index of the whole queue (2,500 x 10,000, 1.2 s). The
    -- conditions are checked by the UPDATE below, on the row as locked, written as a CASE
    -- for the same reason: the planner cannot read "state is pending or claimed" out of it,
    -- so no partial index of the queue qualifies for finding the rows to update either. A
    -- candidate that another claimant took meanwhile is locked here and refused below: under
    -- contention a batch can come out short, never wrong.
    SELECT d.id FROM deliveries d
    WHERE d.id = ANY (ARRAY(SELECT id FROM candidates))
    ORDER BY d.priority - extract(epoch FROM %(now)s::timestamptz - d.created_at::timestamptz)
                          / 60,
             d.id
    LIMIT %(limit)s
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE deliveries
SET state = 'claimed', claim_token = %(token)s, claim_expires_at = %(expires_at)s,
    first_attempt_at = coalesce(first_attempt_at, %(now)s)
FROM taken
WHERE deliveries.id = taken.id
  AND CASE deliveries.state
          WHEN 'pending' THEN deliveries.due_at <= %(now)s
          WHEN 'claimed' THEN deliveries.claim_expires_at < %(now)s
          ELSE false
      END
RETURNING deliveries.id, target, flow, mode, priority, entity_key, entity_version, event_seq,
          event_id, state, attempts, due_at, created_at, coalesced, first_attempt_at;

-- name: deliveries_in_flight
-- Batches of the target out now besides the one being claimed (its token is :token).
SELECT count(DISTINCT claim_token) FROM deliveries
WHERE target = %(target)s AND state = 'claimed' AND claim_expires_at >= %(now)s
  AND claim_token <> %(token)s;

-- name: holds_delivery
SELECT count(*) FROM (
    SELECT id FROM deliveries
    WHERE id = ANY(%(ids)s::bigint[]) AND claim_token = %(token)s
      AND claim_expires_at >= %(now)s
    ORDER BY id
    FOR UPDATE
) AS held;

-- name: deliveries_succeeded
-- No claim_token condition: holds_delivery has checked and locked these rows in this
-- transaction. With it, statistics that have seen claim_token all NULL make the planner expect
-- one row, read the table and compare every row with every id (500 ids: 250,000 comparisons,
-- 120 ms); without it, one primary-key search per id.
UPDATE deliveries
SET state = 'delivered', attempts = attempts + 1, delivered_at = %(now)s,
    target_ref = d.target_ref, claim_token = NULL, claim_expires_at = NULL
FROM unnest(%(ids)s::bigint[], %(refs)s::text[]) AS d(id, target_ref)
WHERE deliveries.id = d.id;

-- name: insert_success_after_failures
INSERT INTO delivery_attempts (delivery_id, attempt, at, outcome, detail)
SELECT d.id, max(a.attempt) + 1, %(now)s, 'delivered', min(d.target_ref)
FROM unnest(%(ids)s::bigint[], %(refs)s::text[]) AS d(id, target_ref)
JOIN delivery_attempts a ON a.delivery_id = d.id
GROUP BY d.id;

-- name: delivery_retried
UPDATE deliveries
SET state = 'pending', attempts = attempts + 1, due_at = %(due_at)s, last_error = %(error)s,
    claim_token = NULL, claim_expires_at = NULL
WHERE id = %(id)s AND claim_token = %(token)s;

-- name: delivery_died
UPDATE deliveries
SET state = 'dead', attempts = attempts + 1, last_error = %(error)s,
    claim_token = NULL, claim_expires_at = NULL
WHERE id = %(id)s AND claim_token = %(token)s;

-- name: insert_dead_letter
INSERT INTO dead_letters (delivery_id, target, flow, entity_key, event_seq, event_id, attempts,
                          last_error, dead_at)
SELECT id, target, flow, entity_key, event_seq, event_id, attempts, last_error, %(now)s
FROM deliveries WHERE id = %(id)s
ON CONFLICT (delivery_id) DO UPDATE SET
    flow = excluded.flow, event_seq = excluded.event_seq, event_id = excluded.event_id,
    attempts = excluded.attempts, last_error = excluded.last_error, dead_at = excluded.dead_at,
    state = 'dead', replayed_at = NULL;

-- name: insert_attempt
INSERT INTO delivery_attempts (delivery_id, attempt, at, outcome, detail)
SELECT %(id)s, coalesce(max(attempt), 0) + 1, %(now)s, %(outcome)s, %(detail)s
FROM delivery_attempts WHERE delivery_id = %(id)s;

-- name: dead_letters
SELECT delivery_id, target, flow, entity_key, event_seq, event_id, attempts, last_error, dead_at,
       state
FROM dead_letters
WHERE (%(target)s::text IS NULL OR target = %(target)s)
  AND (%(state)s::text IS NULL OR state = %(state)s)
ORDER BY dead_at, delivery_id
LIMIT %(limit)s;

-- name: attempts_of
SELECT attempt, at, outcome, detail FROM delivery_attempts WHERE delivery_id = %(id)s
UNION ALL
SELECT 1, delivered_at, 'delivered', target_ref FROM deliveries
WHERE id = %(id)s AND state = 'delivered'
  AND NOT EXISTS (SELECT 1 FROM delivery_attempts WHERE delivery_id = %(id)s)
ORDER BY 1;

-- name: absorb_into_newer_state
UPDATE deliveries
SET due_at = greatest(due_at, %(due_at)s), coalesced = coalesced + 1 + %(coalesced)s
WHERE target = %(target)s AND entity_key = %(entity_key)s AND mode = 'state'
  AND state = 'pending';

-- name: delivery_absorbed
UPDATE deliveries
SET state = 'coalesced', attempts = attempts + 1, last_error = %(error)s,
    claim_token = NULL, claim_expires_at = NULL
WHERE id = %(id)s AND claim_token = %(token)s;

-- name: lock_target_state
SELECT pg_advisory_xact_lock(hashtext('logisync.target_state:' || %s));

-- name: target_state
SELECT bucket, breaker FROM target_state WHERE target = %s;

-- name: save_target_state
INSERT INTO target_state (target, bucket, breaker, updated_at) VALUES (%s, %s, %s, %s)
ON CONFLICT (target) DO UPDATE SET
    bucket = excluded.bucket, breaker = excluded.breaker, updated_at = excluded.updated_at;

-- name: replay_dead_letter
UPDATE deliveries
SET state = 'pending', attempts = 0, due_at = %(now)s, last_error = NULL,
    first_attempt_at = NULL,
    mode = CASE WHEN %(current)s THEN 'state' ELSE mode END
WHERE id = %(id)s AND state = 'dead'
  AND NOT ((%(current)s OR mode = 'state') AND EXISTS (
      SELECT 1 FROM deliveries p WHERE p.target = deliveries.target
        AND p.entity_key = deliveries.entity_key AND p.mode = 'state' AND p.state = 'pending'));

-- name: mark_replayed
UPDATE dead_letters SET state = 'replayed', replayed_at = %(now)s WHERE delivery_id = %(id)s;

-- name: redrive_target
INSERT INTO deliveries (target, flow, mode, priority, entity_key, entity_version, event_seq,
                        event_id, correlationid, due_at, created_at)
SELECT %(target)s, 'redrive', 'state', 2, e.entity_key, e.version, 0, 'redrive', NULL,
       %(now)s, %(now)s
FROM entities e
WHERE (%(domain)s::text IS NULL OR e.domain = %(domain)s)
ON CONFLICT (target, entity_key) WHERE mode = 'state' AND state = 'pending' DO NOTHING;

-- name: dead_letters_matching
SELECT l.delivery_id FROM dead_letters l JOIN journal j ON j.seq = l.event_seq
WHERE l.state = 'dead'
  AND (%(target)s::text IS NULL OR l.target = %(target)s)
  AND (%(event_type)s::text IS NULL OR j.type = %(event_type)s)
  AND (%(error)s::text IS NULL OR strpos(lower(l.last_error), lower(%(error)s)) > 0)
  AND (%(since)s::text IS NULL OR l.dead_at >= %(since)s)
  AND (%(until)s::text IS NULL OR l.dead_at < %(until)s)
ORDER BY l.delivery_id;

-- name: add_latency_bucket
INSERT INTO delivery_latency (target, le, count) VALUES (%s, %s, %s)
ON CONFLICT (target, le) DO UPDATE SET count = delivery_latency.count + excluded.count;

-- name: add_latency_total
INSERT INTO delivery_latency_totals (target, count, seconds) VALUES (%s, %s, %s)
ON CONFLICT (target) DO UPDATE SET
    count = delivery_latency_totals.count + excluded.count,
    seconds = delivery_latency_totals.seconds + excluded.seconds;

-- name: latency_buckets
SELECT target, le, count FROM delivery_latency ORDER BY target, le;

-- name: latency_totals
SELECT target, count, seconds FROM delivery_latency_totals ORDER BY target;

-- name: target_health
-- Targets found by skipping through the queue index (one probe per target, not a scan).
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
       (SELECT breaker ->> 'status' FROM target_state WHERE target = t.target)
FROM targets t
ORDER BY t.target;

-- Operations -------------------------------------------------------------------------------

-- name: insert_audit
INSERT INTO audit (at, actor, action, subject, reason, detail) VALUES (%s, %s, %s, %s, %s, %s);

-- name: insert_audit_from
INSERT INTO audit (at, actor, action, subject, reason, detail, origin)
VALUES (%s, %s, %s, %s, %s, %s, %s);

-- name: audit_log
SELECT at, actor, action, subject, reason, detail, origin FROM audit ORDER BY id DESC LIMIT %s;

-- name: last_audit_of
SELECT at, actor, action, subject, reason, detail, origin FROM audit
WHERE action = %s ORDER BY id DESC LIMIT 1;

-- name: save_api_key
INSERT INTO api_keys (key_id, system, scopes, event_types, secret_hash, label, created_at,
                      expires_at, revoked_at, replaces, rate_limit)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (key_id) DO UPDATE SET
    expires_at = excluded.expires_at, revoked_at = excluded.revoked_at;

-- name: api_key
SELECT key_id, system, scopes, event_types, secret_hash, label, created_at, expires_at,
       revoked_at, replaces, rate_limit
FROM api_keys WHERE key_id = %s;

-- name: api_keys
SELECT key_id, system, scopes, event_types, secret_hash, label, created_at, expires_at,
       revoked_at, replaces, rate_limit
FROM api_keys ORDER BY created_at, key_id;

-- name: source_cursor
SELECT position FROM source_cursors WHERE source = %s AND stream = %s;

-- name: save_source_cursor
INSERT INTO source_cursors (source, stream, position, updated_at) VALUES (%s, %s, %s, %s)
ON CONFLICT (source, stream) DO UPDATE SET position = excluded.position,
                                           updated_at = excluded.updated_at;

-- name: source_cursors
SELECT source, stream, position, updated_at FROM source_cursors ORDER BY source, stream;

-- name: source_activity
-- The per-source rows every append keeps (migration 0003): never the journal.
SELECT source, events, last_received_at FROM source_activity ORDER BY source;

-- name: oldest_pending_received_at
SELECT min(received_at) FROM journal
WHERE seq IN ((SELECT min(first_seq) FROM pending_entities WHERE parked_reason IS NULL),
              (SELECT min(seq) FROM journal
               WHERE seq > (SELECT seq FROM journal_indexed WHERE id = 1)));

-- name: received_control_number
SELECT digest FROM edi_control_received
WHERE partner = %s AND standard = %s AND level = %s AND number = %s;

-- name: highest_received_control_number
SELECT max(number) FROM edi_control_received
WHERE partner = %s AND standard = %s AND level = %s;

-- name: record_received_control_number
INSERT INTO edi_control_received (partner, standard, level, number, digest, received_at)
VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING;

-- name: take_outbound_control_number
INSERT INTO edi_control_outbound (partner, standard, level, next_number) VALUES (%s, %s, %s, 2)
ON CONFLICT (partner, standard, level) DO UPDATE
    SET next_number = edi_control_outbound.next_number + 1
RETURNING next_number - 1;

-- Monitors ---------------------------------------------------------------------------------

-- name: stuck_entities
-- Through entities_status (the expressions are the index's, spelled the same); the related
-- entity test goes through entities_order.
SELECT s.entity_key,
       coalesce(s.state #>> '{status,milestone}', s.state ->> 'status') AS status,
       s.provenance #>> '{status,time}' AS since,
       coalesce(s.state ->> 'order_number',
                CASE WHEN s.domain = 'sales_order' THEN s.state ->> 'number' END) AS order_number
FROM entities s
WHERE s.domain = %(domain)s
  AND coalesce(s.state #>> '{status,milestone}', s.state ->> 'status') = %(status)s
  AND s.provenance #>> '{status,time}' <= %(before)s
  AND (%(not_set_by)s::text IS NULL
       OR s.provenance #>> '{status,system}' IS DISTINCT FROM %(not_set_by)s)
  AND (%(missing_domain)s::text IS NULL OR NOT EXISTS (
        SELECT 1 FROM entities r
        WHERE r.domain = %(missing_domain)s
          AND r.state ->> 'order_number' =
              coalesce(s.state ->> 'order_number',
                       CASE WHEN s.domain = 'sales_order' THEN s.state ->> 'number' END)
          AND coalesce(r.state #>> '{status,milestone}', r.state ->> 'status')
              = ANY(%(missing_statuses)s::text[])))
ORDER BY since
LIMIT %(limit)s;

-- name: last_heard
SELECT last_received_at FROM source_activity WHERE source = %s;

-- name: lock_alerts
-- Monitors in several processes record their alerts in turn.
SELECT pg_advisory_xact_lock(1819240301);

-- name: open_alerts_of
SELECT id, monitor, subject, detail, raised_at, cleared_at, notice, notice_attempts
FROM alerts WHERE cleared_at IS NULL AND monitor = ANY(%(monitors)s::text[]);

-- name: raise_alert
INSERT INTO alerts (monitor, subject, detail, raised_at, notice)
VALUES (%(monitor)s, %(subject)s, %(detail)s, %(now)s, %(notice)s)
RETURNING id, monitor, subject, detail, raised_at, cleared_at, notice, notice_attempts;

-- name: clear_alert
UPDATE alerts SET cleared_at = %(now)s,
    notice = CASE WHEN NOT %(notify)s OR notice = 'raise' THEN NULL ELSE 'clear' END,
    notice_attempts = 0
WHERE id = %(id)s AND cleared_at IS NULL
RETURNING id, monitor, subject, detail, raised_at, cleared_at, notice, notice_attempts;

-- name: active_alerts
SELECT id, monitor, subject, detail, raised_at, cleared_at, notice, notice_attempts
FROM alerts WHERE cleared_at IS NULL AND (%(monitor)s::text IS NULL OR monitor = %(monitor)s)
ORDER BY raised_at, id;

-- name: alerts_to_notify
SELECT id, monitor, subject, detail, raised_at, cleared_at, notice, notice_attempts
FROM alerts WHERE notice IS NOT NULL ORDER BY id LIMIT %s;

-- name: finish_notice
UPDATE alerts SET
    notice = CASE WHEN %(sent)s OR %(give_up)s THEN NULL ELSE notice END,
    notice_attempts = CASE WHEN %(sent)s OR %(give_up)s THEN notice_attempts
                           ELSE notice_attempts + 1 END
WHERE id = %(id)s AND notice = %(notice)s;

-- Dashboard --------------------------------------------------------------------------------

-- name: save_dashboard_user
INSERT INTO dashboard_users (name, role, password_hash, created_at, disabled_at)
VALUES (%s, %s, %s, %s, %s)
ON CONFLICT (name) DO UPDATE SET
    role = excluded.role, password_hash = excluded.password_hash,
    disabled_at = excluded.disabled_at;

-- name: dashboard_user
SELECT name, role, password_hash, created_at, disabled_at FROM dashboard_users
WHERE name = %s;

-- name: dashboard_users
SELECT name, role, password_hash, created_at, disabled_at FROM dashboard_users ORDER BY name;

-- name: open_conflicts
SELECT entity_key, field, kind, policy, event_seq, event_id, proposed_by, proposed_value,
       current_value, current_source, created_at, state, id, decided_by, decided_at
FROM conflicts WHERE state = 'open' AND id > %(after)s ORDER BY id LIMIT %(limit)s;

-- name: decide_conflict
UPDATE conflicts SET state = %(state)s, decided_by = %(actor)s, decided_at = %(now)s
WHERE id = %(id)s AND state = 'open';

-- name: journal_seq_bounds
SELECT min(seq), max(seq) FROM journal;

-- name: journal_received_at_or_after
SELECT received_at FROM journal WHERE seq >= %s ORDER BY seq LIMIT 1;

-- name: received_per_minute
-- Journal rows from :first on (found by bisecting seq, which grows with received_at): reads
-- only the window's rows, by a range of the primary key, never the whole journal.
SELECT substr(received_at, 1, 16) AS minute, source, count(*) FROM journal
WHERE seq >= %(first)s AND received_at >= %(since)s
GROUP BY minute, source ORDER BY minute, source;

-- name: add_delivery_minutes
INSERT INTO delivery_minutes (target, minute, delivered, retried, dead, latency_seconds)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (minute, target) DO UPDATE SET
    delivered = delivery_minutes.delivered + excluded.delivered,
    retried = delivery_minutes.retried + excluded.retried,
    dead = delivery_minutes.dead + excluded.dead,
    latency_seconds = delivery_minutes.latency_seconds + excluded.latency_seconds;

-- name: prune_delivery_minutes
-- At most :limit of the oldest rows from before :before (a range of the primary key), so that
-- a long backlog goes in short transactions.
DELETE FROM delivery_minutes WHERE (minute, target) IN (
    SELECT minute, target FROM delivery_minutes WHERE minute < %(before)s
    ORDER BY minute LIMIT %(limit)s
);

-- name: deliveries_per_minute
SELECT minute, target, delivered, retried, dead, latency_seconds FROM delivery_minutes
WHERE minute >= %(since)s ORDER BY minute, target;

-- name: stage_counts
SELECT CASE jsonb_typeof(state -> 'status') WHEN 'object' THEN state #>> '{status,milestone}'
            ELSE state ->> 'status' END AS stage,
       count(*),
       min(coalesce(provenance #>> '{status,time}', updated_at))
FROM entities WHERE entity_key > %(start)s AND entity_key < %(end)s
GROUP BY stage ORDER BY stage;

-- name: entities_in_stage
SELECT entity_key, version, state, provenance, meta, updated_at FROM (
    SELECT *, coalesce(provenance #>> '{status,time}', updated_at) AS since,
           CASE jsonb_typeof(state -> 'status') WHEN 'object'
                THEN state #>> '{status,milestone}' ELSE state ->> 'status' END AS stage
    FROM entities WHERE entity_key > %(start)s AND entity_key < %(end)s
) AS staged
WHERE stage = ANY(%(stages)s::text[])
  AND (%(before)s::text IS NULL OR since < %(before)s)
ORDER BY since, entity_key LIMIT %(limit)s;

-- name: documents_of_orders
-- An order's shipments, invoices or returns (one domain): a search of entities_order (the
-- expression is the index's, spelled the same) instead of a pass over the domain's projections.
SELECT entity_key, version, state, provenance, meta, updated_at FROM entities
WHERE domain = %(domain)s AND (state ->> 'order_number') = ANY(%(values)s::text[])
ORDER BY entity_key LIMIT %(limit)s;

-- name: undelivered_to_target
SELECT d.id, d.target, d.flow, d.mode, d.priority, d.entity_key, d.entity_version, d.event_seq,
       d.event_id, d.state, d.attempts, d.due_at, d.created_at, d.coalesced, d.first_attempt_at,
       d.last_error, d.delivered_at, NULL
FROM deliveries d JOIN entities e ON e.entity_key = d.entity_key
WHERE d.target = %(target)s AND d.state IN ('pending', 'claimed', 'dead')
  AND d.entity_key > %(start)s AND d.entity_key < %(end)s
  AND (d.state = 'dead' OR d.created_at < %(before)s)
  AND (CASE jsonb_typeof(e.state -> 'status') WHEN 'object' THEN e.state #>> '{status,milestone}'
            ELSE e.state ->> 'status' END) = ANY(%(stages)s::text[])
ORDER BY d.id LIMIT %(limit)s;

-- name: writable
-- False on a standby (recovery) and where transactions are read-only by default.
SELECT current_setting('transaction_read_only') = 'off' AND NOT pg_is_in_recovery();

-- Order-to-cash, one stage per order (migration 0003, core.order_to_cash) -------------------

-- name: lock_orders
-- Commits that change documents of the same order take turns on it (an advisory lock per
-- order, in one order: no deadlock), so that each reads the others' committed documents and
-- the last writer's stage counts them all. The sorted subquery fixes the locking order.
SELECT pg_advisory_xact_lock(1869771636, h)
FROM (SELECT DISTINCT hashtext(n) AS h FROM unnest(%(orders)s::text[]) AS n ORDER BY h) AS s;

-- name: order_documents
-- The status of each document of the orders in :orders: the order by its key, its shipments
-- and invoices through entities_order (the expressions are the index's, spelled the same).
-- Columns: order number, domain, status code, since.
SELECT o.n, 'sales_order',
       coalesce(e.state #>> '{status,milestone}', e.state ->> 'status'),
       coalesce(e.provenance #>> '{status,time}', e.updated_at)
FROM unnest(%(orders)s::text[]) AS o(n) JOIN entities e ON e.entity_key = 'sales_order:' || o.n
UNION ALL
SELECT o.n, e.domain,
       coalesce(e.state #>> '{status,milestone}', e.state ->> 'status'),
       coalesce(e.provenance #>> '{status,time}', e.updated_at)
FROM unnest(%(orders)s::text[]) AS o(n) JOIN entities e
  ON e.domain IN ('shipment', 'invoice') AND (e.state ->> 'order_number') = o.n;

-- name: all_order_documents
-- Every order document, as order_documents: once, to fill order_stages (migration 0003).
SELECT CASE e.domain WHEN 'sales_order' THEN substr(e.entity_key, length('sales_order:') + 1)
       ELSE e.state ->> 'order_number' END,
       e.domain,
       coalesce(e.state #>> '{status,milestone}', e.state ->> 'status'),
       coalesce(e.provenance #>> '{status,time}', e.updated_at)
FROM entities e WHERE e.domain IN ('sales_order', 'shipment', 'invoice');

-- name: save_order_stage
-- Rewritten only when it changed: the index entry of an order that stays put is not touched.
INSERT INTO order_stages (order_number, stage, since)
SELECT * FROM unnest(%(orders)s::text[], %(stages)s::text[], %(since)s::text[])
ON CONFLICT (order_number) DO UPDATE SET stage = excluded.stage, since = excluded.since
WHERE order_stages.stage IS DISTINCT FROM excluded.stage
   OR order_stages.since IS DISTINCT FROM excluded.since;

-- name: forget_order_stages
DELETE FROM order_stages WHERE order_number = ANY(%(orders)s::text[]);

-- name: orders_at_stages
-- The orders at one of :stages since before :before, longest there first: a search of
-- order_stages_by_stage per stage.
SELECT order_number, stage, since FROM order_stages
WHERE stage = ANY(%(stages)s::text[]) AND since < %(before)s
ORDER BY since LIMIT %(limit)s;

-- name: order_stage_counts
-- Orders per stage, the oldest's time and the median one's (the lower median, as SQLite's
-- offset (n - 1) / 2): one pass over order_stages_by_stage, in one snapshot.
SELECT stage, count(*), min(since), percentile_disc(0.5) WITHIN GROUP (ORDER BY since)
FROM order_stages GROUP BY stage ORDER BY stage;
