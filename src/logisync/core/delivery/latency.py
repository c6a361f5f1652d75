"""Delivery latency, kept as histogram buckets in the store by the workers that deliver.

Every worker process adds its deliveries to the same rows in the transaction that records
them, so the counts are durable, shared and only ever grow: what a Prometheus histogram needs,
whichever API process is scraped, and without scanning delivered rows at each scrape.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from logisync.core.clock import utc_text
from logisync.core.ports import DeliveryOutcome, DeliveryRecord

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
           900.0, 3600.0, float("inf"))  # fmt: skip
"""Upper bounds in seconds: from a fast local target to a target that was down for an hour."""


def bucket_of(seconds: float) -> float:
    """The smallest bound the latency fits under."""
    return BUCKETS[bisect.bisect_left(BUCKETS, seconds)]


def tally(
    latencies: Iterable[tuple[str, datetime, datetime]],
) -> tuple[dict[tuple[str, float], int], dict[str, tuple[int, float]]]:
    """(target, created, delivered) -> per (target, bucket) counts and per target (count, sum)."""
    buckets: dict[tuple[str, float], int] = {}
    totals: dict[str, tuple[int, float]] = {}
    for target, created, delivered in latencies:
        seconds = max(0.0, (delivered - created).total_seconds())
        key = (target, bucket_of(seconds))
        buckets[key] = buckets.get(key, 0) + 1
        count, total = totals.get(target, (0, 0.0))
        totals[target] = (count + 1, total + seconds)
    return buckets, totals


class BatchCounts(NamedTuple):
    """A batch's outcomes as the rows both backends add to the shared counters, in the
    transaction that records the outcomes."""

    buckets: list[tuple[str, float, int]]  # (target, bucket bound, deliveries)
    totals: list[tuple[str, int, float]]  # (target, deliveries, seconds)
    minutes: list[tuple[str, str, int, int, int, float]]  # (target, minute, ok, retry, dead, s)


def batch_counts(
    deliveries: Mapping[int, DeliveryRecord], outcomes: Sequence[DeliveryOutcome], now: datetime
) -> BatchCounts:
    """Count a batch once for the latency histogram and for its target's current minute (the
    dashboard's series), each delivery's latency computed once for both."""
    minute = utc_text(now)[:16]
    latencies: list[tuple[str, datetime, datetime]] = []
    tally_of: dict[str, list[float]] = {}
    for outcome in outcomes:
        delivery = deliveries[outcome.delivery_id]
        row = tally_of.setdefault(delivery.target, [0, 0, 0, 0.0])
        if outcome.kind == "delivered":
            created = datetime.fromisoformat(delivery.created_at)
            latencies.append((delivery.target, created, now))
            row[0] += 1
            row[3] += (now - created).total_seconds()
        elif outcome.kind == "retry":
            row[1] += 1
        else:
            row[2] += 1
    buckets, totals = tally(latencies)
    return BatchCounts(
        [(target, le, n) for (target, le), n in buckets.items()],
        [(target, n, seconds) for target, (n, seconds) in totals.items()],
        [
            (t, minute, int(ok), int(retry), int(dead), s)
            for t, (ok, retry, dead, s) in tally_of.items()
        ],
    )


def quantile(buckets: Iterable[tuple[float, int]], q: float) -> float | None:
    """The upper bound of the bucket that holds the ``q`` quantile (0 < q <= 1) of a histogram
    of non-cumulative ``(bound, count)`` buckets; None when it is empty. A bucketed figure is
    an upper bound, as Prometheus' ``histogram_quantile`` would read it without interpolation."""
    ordered = sorted(buckets)
    total = sum(count for _, count in ordered)
    if total == 0:
        return None
    seen = 0
    for bound, count in ordered:
        seen += count
        if seen >= q * total:
            return bound
    return ordered[-1][0]
