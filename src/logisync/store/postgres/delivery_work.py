"""Delivery claims and outcomes on PostgreSQL (the queries are in ``queries.sql``).

Claims lock their rows with ``FOR UPDATE SKIP LOCKED``: workers in many processes take
different deliveries without waiting for each other, and an entity's next delivery is not
claimable while an earlier one is pending or claimed, so each entity reaches a target in order.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import psycopg

from logisync.core.clock import utc_text
from logisync.core.delivery import latency
from logisync.core.ports import DeliveryClaim, DeliveryOutcome, DeliveryRecord, NextBatch
from logisync.errors import LeaseLost
from logisync.store.postgres.connection import Connection
from logisync.store.postgres.queries import q


def claim(
    conn: Connection, target: str, owner: str, batch: NextBatch, now: datetime
) -> DeliveryClaim | None:
    """Lease a batch of ``target``'s due deliveries, unless its batches in flight are at the
    limit. With a limit, the batch is claimed in a savepoint first, then the target's claimants
    take turns to count what is out besides it, and a batch over the limit is undone: the turn
    lasts for the count and the commit, not for the claim's search as well."""
    stamp = utc_text(now)
    token = uuid.uuid4().hex
    expires = utc_text(now + timedelta(seconds=batch.lease_seconds))
    params = {
        "token": token,
        "expires_at": expires,
        "now": stamp,
        "target": target,
        "limit": batch.limit,
        "window": batch.window,
    }
    if batch.max_in_flight is None:
        rows = conn.execute(q("claim_deliveries"), params).fetchall()
    else:
        full = False
        with conn.transaction():  # a savepoint
            rows = conn.execute(q("claim_deliveries"), params).fetchall()
            if rows:
                conn.execute(q("lock_target"), (target,))
                out = conn.execute(q("deliveries_in_flight"), params).fetchone()
                full = out is not None and out[0] >= batch.max_in_flight
                if full:
                    raise psycopg.Rollback()  # to the savepoint: the rows are not claimed
        if full:
            return None
    if not rows:
        return None
    records = sorted((DeliveryRecord(*row) for row in rows), key=lambda d: (d.priority, d.id))
    return DeliveryClaim(token, owner, target, expires, tuple(records))


def finish(
    conn: Connection,
    delivery_claim: DeliveryClaim,
    outcomes: Sequence[DeliveryOutcome],
    now: datetime,
) -> None:
    """Write every outcome, after locking the claimed rows and checking they are still held.
    The tallies are ``count``'s: the caller writes them last in its transaction."""
    ids = [outcome.delivery_id for outcome in outcomes]
    token, stamp = delivery_claim.token, utc_text(now)
    held = conn.execute(q("holds_delivery"), {"ids": ids, "token": token, "now": stamp}).fetchone()
    if held is None or held[0] != len(ids):
        raise LeaseLost(
            f"delivery claim {token} of {delivery_claim.owner} on "
            f"{delivery_claim.target} expired or was taken over; outcomes not recorded"
        )
    by_id = {d.id: d for d in delivery_claim.deliveries}
    done = [o for o in outcomes if o.kind == "delivered"]
    if done:
        succeeded = {
            "ids": [o.delivery_id for o in done],
            "refs": [o.target_ref for o in done],
            "token": token,
            "now": stamp,
        }
        conn.execute(q("deliveries_succeeded"), succeeded)
        conn.execute(q("insert_success_after_failures"), succeeded)
    links = [
        (by_id[o.delivery_id].target, o.external_id, by_id[o.delivery_id].entity_key, stamp)
        for o in done
        if o.external_id
    ]
    if links:
        conn.cursor().executemany(q("insert_link"), links)
    for outcome in outcomes:
        if outcome.kind != "delivered":
            _finish_one(conn, token, by_id[outcome.delivery_id], outcome, stamp)


def count(
    conn: Connection,
    delivery_claim: DeliveryClaim,
    outcomes: Sequence[DeliveryOutcome],
    now: datetime,
) -> None:
    """Add a batch's outcomes to its target's latency histogram and current minute.

    Every worker's batch updates these same few rows, and a row stays locked until its
    transaction commits: written last, just before the commit, another process's batch waits
    for a commit, not for this one's next claim as well."""
    by_id = {d.id: d for d in delivery_claim.deliveries}
    counts = latency.batch_counts(by_id, outcomes, now)
    with conn.cursor() as cursor:
        if counts.buckets:
            cursor.executemany(q("add_latency_bucket"), counts.buckets)
            cursor.executemany(q("add_latency_total"), counts.totals)
        cursor.executemany(q("add_delivery_minutes"), counts.minutes)


def _finish_one(
    conn: Connection, token: str, delivery: DeliveryRecord, outcome: DeliveryOutcome, now: str
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
        {"id": delivery.id, "now": now, "outcome": attempt, "detail": outcome.error},
    )
