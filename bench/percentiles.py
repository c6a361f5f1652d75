"""One definition of the latency percentiles every benchmark prints, so that a p99 from one
runner means what it means in another (they used three different index rules)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable


def percentiles(delays: Iterable[float]) -> dict[str, float]:
    """p50, p95, p99 and max, in milliseconds, of delays given in seconds (the inclusive
    method: the p99 of 100 values lies between the 99th and the 100th, never beyond them)."""
    ms = sorted(d * 1000 for d in delays)
    if len(ms) < 2:
        raise ValueError(f"{len(ms)} latencies measured: too few for percentiles")
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": ms[-1], "n": len(ms)}
