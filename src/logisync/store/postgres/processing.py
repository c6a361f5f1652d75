"""Claims, work loading and the one-transaction commit of processing results.

The queries mirror SQLite's; what differs is concurrency. SQLite has one writer at a time;
here claims skip rows another process is locking (``FOR UPDATE SKIP LOCKED``), a commit locks
its claimed rows first (so neither a takeover nor the indexer can slip in between its check
and its requeue), and one process at a time indexes the journal.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import orjson

from logisync.core.clock import utc_text
from logisync.core.ports import EntityClaim, EntityWork, JournalRecord
from logisync.errors import LeaseLost
from logisync.store.postgres import order_stages
from logisync.store.postgres.connection import Connection
from logisync.store.postgres.queries import q
from logisync.store.processing_rows import ProcessingRows
from logisync.store.rows import projection_from_row, record_from_row

Row = tuple[Any, ...]

INDEX_CHUNK = 50_000
"""Journal rows indexed per claim at most, so that one claim after a long stop stays short."""


def dumps(value: Any) -> str:
    """JSON text for a json/jsonb parameter."""
    return orjson.dumps(value).decode()


def index_new_events(conn: Connection) -> int:
    """Bring entity_events, correlation_events and the pending marks up to the journal's end,
    unless another process is doing it right now (its claim then finds them).

    Appends take turns and take their seqs in turn (see ``store.append``), so every row up to
    the newest visible one is committed: none can appear behind the cursor later."""
    row = conn.execute(q("journal_indexed_upto")).fetchone()
    if row is None:
        return 0
    after, end = row
    upto = min(end, after + INDEX_CHUNK)
    if upto <= after:
        return 0
    bounds = {"after": after, "upto": upto}
    conn.execute(q("index_entity_events"), bounds)
    conn.execute(q("index_correlation_events"), bounds)
    conn.execute(q("mark_entities_pending"), bounds)
    conn.execute(q("advance_journal_index"), bounds)
    return int(upto - after)


def claim(
    conn: Connection, owner: str, limit: int, lease_seconds: float, now: datetime
) -> EntityClaim | None:
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


def load(conn: Connection, entity_claim: EntityClaim, max_events: int) -> list[EntityWork]:
    keys = list(entity_claim.entity_keys)
    projections = {
        row[0]: projection_from_row(row)
        for row in conn.execute(q("claimed_projections"), {"keys": keys})
    }
    events: dict[str, list[JournalRecord]] = {key: [] for key in keys}
    for row in conn.execute(
        q("pending_for_entity"), {"keys": keys, "token": entity_claim.token, "limit": max_events}
    ):
        events[row[4]].append(record_from_row(row))
    return [EntityWork(projections.get(key), tuple(events[key]), key) for key in keys]


def commit(
    conn: Connection, entity_claim: EntityClaim, rows: ProcessingRows, now: datetime
) -> bool:
    """Write a batch's rows in the caller's transaction; True when it routed deliveries."""
    keys = list(entity_claim.entity_keys)
    held = conn.execute(
        q("holds_claim"), {"keys": keys, "token": entity_claim.token, "now": utc_text(now)}
    ).fetchone()
    if held is None or held[0] != len(keys):
        raise LeaseLost(
            f"claim {entity_claim.token} of {entity_claim.owner} expired or was taken over "
            f"({0 if held is None else held[0]} of {len(keys)} entities still held); "
            "not committed"
        )
    # Rows in key order: concurrent transactions then lock index entries in the same order.
    for name, batch in (
        ("upsert_projection", sorted(rows.projections)),
        ("insert_processed", sorted(rows.processed)),
        ("insert_event_deliveries", rows.event_deliveries),  # in order: ids follow events
        ("upsert_state_deliveries", rows.state_deliveries),
    ):
        if batch:
            columns = [list(column) for column in zip(*batch, strict=True)]
            conn.execute(q(name), columns)
    with conn.cursor() as cursor:
        for name, batch in (
            ("insert_conflict", rows.conflicts),
            ("insert_link", list(dict.fromkeys(rows.links))),
        ):
            if batch:
                cursor.executemany(q(name), batch)
        _requeue(cursor, entity_claim, rows, now)
    order_stages.refresh(conn, rows.orders)
    return bool(rows.event_deliveries or rows.state_deliveries)


def _requeue(cursor: Any, entity_claim: EntityClaim, rows: ProcessingRows, now: datetime) -> None:
    """As SQLite's: entities with no later events leave the queue, the others go back
    unclaimed at their first unprocessed event; a parked entity stays where it stopped."""
    token = entity_claim.token
    if rows.parked:
        cursor.executemany(
            q("park_entity"),
            [
                {"reason": reason, "now": utc_text(now), "entity_key": key, "token": token}
                for key, reason in rows.parked
            ],
        )
    keys = sorted(entity_claim.entity_keys)
    lasts = [rows.last_seq.get(key) for key in keys]
    cursor.execute(q("requeue_entity_after"), {"keys": keys, "lasts": lasts, "token": token})
    cursor.execute(q("finish_entities"), {"keys": list(entity_claim.entity_keys)})
