"""Claims, work loading and the one-transaction commit of processing results."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import orjson

from logisync.core.clock import utc_text
from logisync.core.ports import (
    EntityClaim,
    EntityResult,
    EntityWork,
    JournalRecord,
    Projection,
)
from logisync.errors import LeaseLost
from logisync.store.sqlite.queries import q

Row = tuple[Any, ...]


def record_from_row(row: Row) -> JournalRecord:
    return JournalRecord(
        seq=row[0],
        event_id=row[1],
        source=row[2],
        type=row[3],
        subject=row[4],
        time=row[5],
        sourceversion=row[6],
        version_key=row[7],
        correlationid=row[8],
        causationid=row[9],
        data=orjson.loads(row[10]),
        received_at=row[11],
    )


def projection_from_row(row: Row) -> Projection:
    return Projection(
        entity_key=row[0],
        version=row[1],
        state=orjson.loads(row[2]),
        provenance=orjson.loads(row[3]),
        meta=orjson.loads(row[4]),
        updated_at=row[5],
    )


INDEX_CHUNK = 50_000
"""Journal rows indexed per claim at most, so that one claim after a long stop stays short."""


def index_new_events(conn: sqlite3.Connection) -> int:
    """Bring entity_events, correlation_events and the pending marks up to the journal's end
    (by chunks).

    Appending does not touch the per-entity index (see migration 0006): the claim does, in
    the processor's transaction, where a batch of thousands of rows shares one commit. SQLite
    serialises writers and a row's seq is taken under the write lock, so every row after the
    cursor is committed in seq order and none can appear behind it later."""
    after, end = conn.execute(q("journal_indexed_upto")).fetchone()
    upto = min(end, after + INDEX_CHUNK)
    if upto <= after:
        return 0
    bounds = {"after": after, "upto": upto}
    conn.execute(q("index_entity_events"), bounds)
    conn.execute(q("index_correlation_events"), bounds)
    conn.execute(q("mark_entities_pending"), bounds)
    conn.execute(q("advance_journal_index"), bounds)
    return upto - after


def claim(
    conn: sqlite3.Connection, owner: str, limit: int, lease_seconds: float, now: datetime
) -> EntityClaim | None:
    """Lease up to ``limit`` waiting entities in one statement, oldest waiting first."""
    token = uuid.uuid4().hex
    expires = utc_text(now + timedelta(seconds=lease_seconds))
    rows = conn.execute(
        q("claimable_entities"),
        {
            "token": token,
            "owner": owner,
            "expires_at": expires,
            "now": utc_text(now),
            "limit": limit,
        },
    ).fetchall()
    if not rows:
        return None
    keys = tuple(key for key, _first in sorted(rows, key=lambda row: row[1]))
    return EntityClaim(token, owner, expires, keys)


def load(conn: sqlite3.Connection, entity_claim: EntityClaim, max_events: int) -> list[EntityWork]:
    keys = orjson.dumps(entity_claim.entity_keys).decode()
    projections = {
        row[0]: projection_from_row(row)
        for row in conn.execute(q("claimed_projections"), {"keys": keys})
    }
    events: dict[str, list[JournalRecord]] = {key: [] for key in entity_claim.entity_keys}
    for row in conn.execute(
        q("pending_for_entity"), {"keys": keys, "token": entity_claim.token, "limit": max_events}
    ):
        events[row[4]].append(record_from_row(row))
    return [
        EntityWork(projections.get(key), tuple(events[key]), key)
        for key in entity_claim.entity_keys
    ]


def commit(
    conn: sqlite3.Connection,
    entity_claim: EntityClaim,
    results: Sequence[EntityResult],
    now: datetime,
) -> None:
    """Write every result; the caller's transaction makes it all-or-nothing."""
    keys = orjson.dumps(entity_claim.entity_keys).decode()
    held = conn.execute(
        q("holds_claim"), {"keys": keys, "token": entity_claim.token, "now": utc_text(now)}
    ).fetchone()[0]
    if held != len(entity_claim.entity_keys):
        raise LeaseLost(
            f"claim {entity_claim.token} of {entity_claim.owner} expired or was taken over "
            f"({held} of {len(entity_claim.entity_keys)} entities still held); not committed"
        )
    dumps = orjson.dumps
    projections, processed, conflicts, links, events, states = [], [], [], [], [], []
    last_seq: dict[str, int] = {}
    for result in results:
        projection = result.projection
        if result.changed or projection.version:
            projections.append(
                (
                    projection.entity_key,
                    projection.entity_key.split(":", 1)[0],
                    projection.version,
                    dumps(projection.state),
                    dumps(projection.provenance),
                    dumps(projection.meta),
                    projection.updated_at,
                )
            )
        for marker in result.processed:
            processed.append(
                (
                    marker.seq,
                    marker.entity_key,
                    marker.outcome,
                    marker.version,
                    dumps(marker.detail),
                    projection.updated_at,
                )
            )
            last_seq[marker.entity_key] = max(marker.seq, last_seq.get(marker.entity_key, 0))
        for c in result.conflicts:
            conflicts.append(
                (
                    c.entity_key,
                    c.field,
                    c.kind,
                    c.policy,
                    c.event_seq,
                    c.event_id,
                    c.proposed_by,
                    dumps(c.proposed_value),
                    dumps(c.current_value),
                    c.current_source,
                    c.created_at,
                )
            )
        links.extend(
            (lk.system, lk.external_id, lk.entity_key, projection.updated_at) for lk in result.links
        )
        for d in result.deliveries:
            row = (
                d.target,
                d.flow,
                d.mode,
                d.priority,
                d.entity_key,
                d.entity_version,
                d.event_seq,
                d.event_id,
                d.correlationid,
                d.created_at,
                d.created_at,
            )
            if d.mode == "state":
                states.append((*row, d.absorbed))
            else:
                events.append(row)
    conn.executemany(q("upsert_projection"), projections)
    conn.executemany(q("insert_processed"), processed)
    conn.executemany(q("insert_conflict"), conflicts)
    conn.executemany(q("insert_link"), links)
    conn.executemany(q("insert_event_delivery"), events)
    conn.executemany(q("upsert_state_delivery"), states)
    _requeue(conn, entity_claim, last_seq, results, now)


def _requeue(
    conn: sqlite3.Connection,
    entity_claim: EntityClaim,
    last_seq: dict[str, int],
    results: Sequence[EntityResult],
    now: datetime,
) -> None:
    """Entities with no later events leave the queue; the others go back, unclaimed, with their
    first unprocessed event (one that arrived while the batch was being worked on). A parked
    entity stays, stopped at the event it could not process."""
    conn.executemany(
        q("park_entity"),
        [
            {
                "reason": r.parked,
                "now": utc_text(now),
                "entity_key": r.entity_key,
                "token": entity_claim.token,
            }
            for r in results
            if r.parked
        ],
    )
    conn.executemany(
        q("requeue_entity_after"),
        [
            {"entity_key": key, "last": last_seq.get(key), "token": entity_claim.token}
            for key in entity_claim.entity_keys
        ],
    )
    conn.execute(q("finish_entities"))
