"""Claims, work loading and the one-transaction commit of processing results."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import orjson

from logisync.core.clock import utc_text
from logisync.core.order_to_cash import order_number_of
from logisync.core.ports import (
    ConflictRecord,
    EntityClaim,
    EntityResult,
    EntityWork,
    JournalRecord,
)
from logisync.errors import LeaseLost
from logisync.store.rows import projection_from_row, record_from_row
from logisync.store.sqlite import order_stages
from logisync.store.sqlite.queries import q

Row = tuple[Any, ...]


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


class ProcessingRows(NamedTuple):
    """A batch's results as the rows ``commit`` writes, encoded before the write lock is taken."""

    projections: list[Row]
    processed: list[Row]
    conflicts: list[Row]
    links: list[Row]
    event_deliveries: list[Row]
    state_deliveries: list[Row]
    last_seq: dict[str, int]  # per entity, the last event processed
    parked: list[tuple[str, str]]  # (entity, reason)
    orders: set[str]  # orders whose documents changed: their order-to-cash stage is redone


def encode(results: Sequence[EntityResult]) -> ProcessingRows:
    """Encode every result as rows (pure: no connection). The tuples follow the columns of the
    queries ``commit`` runs; the ports' named tuples are already in that order."""
    dumps = orjson.dumps
    rows = ProcessingRows([], [], [], [], [], [], {}, [], set())
    for result in results:
        projection = result.projection
        if result.changed:
            order = order_number_of(projection.entity_key, projection.state)
            if order is not None:
                rows.orders.add(order)
        if result.changed or projection.version:
            rows.projections.append(
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
        for marker in result.processed:  # (seq, entity_key, outcome, version, detail)
            rows.processed.append((*marker[:4], dumps(marker.detail), projection.updated_at))
        if result.processed:
            rows.last_seq[result.entity_key] = max(marker.seq for marker in result.processed)
        rows.conflicts.extend(_conflict_row(c) for c in result.conflicts)
        rows.links.extend(
            (lk.system, lk.external_id, lk.entity_key, projection.updated_at) for lk in result.links
        )
        for d in result.deliveries:  # NewDelivery up to created_at, which is also due_at
            if d.mode == "state":
                rows.state_deliveries.append((*d[:10], d.created_at, d.absorbed))
            else:
                rows.event_deliveries.append((*d[:10], d.created_at))
        if result.parked:
            rows.parked.append((result.entity_key, result.parked))
    return rows


def _conflict_row(c: ConflictRecord) -> Row:
    return (
        c.entity_key,
        c.field,
        c.kind,
        c.policy,
        c.event_seq,
        c.event_id,
        c.proposed_by,
        orjson.dumps(c.proposed_value),
        orjson.dumps(c.current_value),
        c.current_source,
        c.created_at,
    )


def commit(
    conn: sqlite3.Connection,
    entity_claim: EntityClaim,
    rows: ProcessingRows,
    now: datetime,
) -> None:
    """Write a batch's rows (see ``encode``); the caller's transaction makes it all-or-nothing."""
    keys = orjson.dumps(entity_claim.entity_keys).decode()
    held = conn.execute(
        q("holds_claim"), {"keys": keys, "token": entity_claim.token, "now": utc_text(now)}
    ).fetchone()[0]
    if held != len(entity_claim.entity_keys):
        raise LeaseLost(
            f"claim {entity_claim.token} of {entity_claim.owner} expired or was taken over "
            f"({held} of {len(entity_claim.entity_keys)} entities still held); not committed"
        )
    # Rows in key order where the order is not observable: each b-tree is then written
    # front to back instead of at random places.
    conn.executemany(q("upsert_projection"), sorted(rows.projections))
    conn.executemany(q("insert_processed"), sorted(rows.processed))
    conn.executemany(q("insert_conflict"), rows.conflicts)
    # every tracking event of a shipment names the same link: insert each once
    conn.executemany(q("insert_link"), dict.fromkeys(rows.links))
    conn.executemany(q("insert_event_delivery"), rows.event_deliveries)
    conn.executemany(q("upsert_state_delivery"), rows.state_deliveries)
    order_stages.refresh(conn, rows.orders)
    _requeue(conn, entity_claim, rows, now)


def _requeue(
    conn: sqlite3.Connection,
    entity_claim: EntityClaim,
    rows: ProcessingRows,
    now: datetime,
) -> None:
    """Entities with no later events leave the queue; the others go back, unclaimed, with their
    first unprocessed event (one that arrived while the batch was being worked on). A parked
    entity stays, stopped at the event it could not process."""
    conn.executemany(
        q("park_entity"),
        [
            {"reason": reason, "now": utc_text(now), "entity_key": key, "token": entity_claim.token}
            for key, reason in rows.parked
        ],
    )
    conn.executemany(
        q("requeue_entity_after"),
        [
            {"entity_key": key, "last": rows.last_seq.get(key), "token": entity_claim.token}
            for key in entity_claim.entity_keys
        ],
    )
    conn.execute(q("finish_entities"))
