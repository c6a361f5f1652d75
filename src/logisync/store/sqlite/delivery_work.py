"""Delivery claims and outcomes on SQLite (the queries are in ``queries.sql``)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import orjson

from logisync.core.clock import utc_text
from logisync.core.delivery import latency
from logisync.core.ports import DeliveryClaim, DeliveryOutcome, DeliveryRecord, NextBatch
from logisync.errors import LeaseLost
from logisync.store.sqlite.queries import q


def claim(
    conn: sqlite3.Connection, target: str, owner: str, batch: NextBatch, now: datetime
) -> DeliveryClaim | None:
    """Lease a batch of ``target``'s due deliveries, unless its batches in flight are at the
    limit; the caller's transaction makes the check and the lease one step."""
    stamp = utc_text(now)
    if batch.max_in_flight is not None:
        out = conn.execute(q("deliveries_in_flight"), (target, stamp)).fetchone()
        if out[0] >= batch.max_in_flight:
            return None
    token = uuid.uuid4().hex
    expires = utc_text(now + timedelta(seconds=batch.lease_seconds))
    rows = conn.execute(
        q("claim_deliveries"),
        {
            "token": token,
            "expires_at": expires,
            "now": stamp,
            "target": target,
            "limit": batch.limit,
            "window": batch.window,
        },
    ).fetchall()
    if not rows:
        return None
    records = sorted((DeliveryRecord(*row) for row in rows), key=lambda d: (d.priority, d.id))
    return DeliveryClaim(token, owner, target, expires, tuple(records))


def finish(
    conn: sqlite3.Connection,
    delivery_claim: DeliveryClaim,
    outcomes: Sequence[DeliveryOutcome],
    now: datetime,
) -> None:
    """Write every outcome; the caller's transaction makes it all-or-nothing."""
    ids = [outcome.delivery_id for outcome in outcomes]
    held = conn.execute(
        q("holds_delivery"),
        {"ids": orjson.dumps(ids).decode(), "token": delivery_claim.token, "now": utc_text(now)},
    ).fetchone()[0]
    if held != len(ids):
        raise LeaseLost(
            f"delivery claim {delivery_claim.token} of {delivery_claim.owner} on "
            f"{delivery_claim.target} expired or was taken over; outcomes not recorded"
        )
    by_id = {d.id: d for d in delivery_claim.deliveries}
    stamp = utc_text(now)
    delivered = orjson.dumps(
        [[o.delivery_id, o.target_ref] for o in outcomes if o.kind == "delivered"]
    ).decode()
    token = delivery_claim.token
    # The common case, in two statements for the whole batch.
    conn.execute(q("deliveries_succeeded"), {"delivered": delivered, "token": token, "now": stamp})
    conn.execute(q("insert_success_after_failures"), {"delivered": delivered, "now": stamp})
    links = [
        (by_id[o.delivery_id].target, o.external_id, by_id[o.delivery_id].entity_key, stamp)
        for o in outcomes
        if o.kind == "delivered" and o.external_id
    ]
    if links:
        conn.executemany(q("insert_link"), links)
    counts = latency.batch_counts(by_id, outcomes, now)
    conn.executemany(q("add_latency_bucket"), counts.buckets)
    conn.executemany(q("add_latency_total"), counts.totals)
    conn.executemany(q("add_delivery_minutes"), counts.minutes)
    for outcome in outcomes:
        if outcome.kind != "delivered":
            _finish_one(conn, token, by_id[outcome.delivery_id], outcome, stamp)


def _finish_one(
    conn: sqlite3.Connection,
    token: str,
    delivery: DeliveryRecord,
    outcome: DeliveryOutcome,
    now: str,
) -> None:
    key = {"id": delivery.id, "token": token}
    if outcome.kind == "dead":
        conn.execute(q("delivery_died"), {**key, "error": outcome.error or "refused"})
        conn.execute(q("insert_dead_letter"), {"id": delivery.id, "now": now})
        attempt = "permanent"
    else:
        attempt = "transient"
        absorbed = (
            delivery.mode == "state"
            and conn.execute(
                q("absorb_into_newer_state"),
                {
                    "due_at": outcome.due_at,
                    "coalesced": delivery.coalesced,
                    "target": delivery.target,
                    "entity_key": delivery.entity_key,
                },
            ).rowcount
        )
        if absorbed:
            conn.execute(q("delivery_absorbed"), {**key, "error": outcome.error})
        else:
            conn.execute(
                q("delivery_retried"), {**key, "due_at": outcome.due_at, "error": outcome.error}
            )
    conn.execute(
        q("insert_attempt"),
        {
            "id": delivery.id,
            "now": now,
            "outcome": attempt,
            "detail": outcome.error,
        },
    )
