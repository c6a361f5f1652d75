"""Claims, work loading and the one-transaction commit of processing results."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime, timedelta
from typing import Any

import orjson

from logisync.core.clock import utc_text
from logisync.core.ports import (
    EntityClaim,
    EntityWork,
    JournalRecord,
)
from logisync.errors import LeaseLost
from logisync.store.processing_rows import ProcessingRows
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


def anything_to_claim(conn: sqlite3.Connection, now: datetime) -> bool:
    """Whether ``claim`` could lease anything now, read without the write lock. An idle
    processor is woken by every commit to the file (``wait_for_work``), the delivery
    workers' included; taking a write turn each time to find nothing cost those workers a
    turn handoff per batch (bench/RESULTS.md, session 13). A claim that finds nothing after a
    yes is harmless: the check only spares the empty ones."""
    return bool(conn.execute(q("anything_to_claim"), {"now": utc_text(now)}).fetchone()[0])


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
