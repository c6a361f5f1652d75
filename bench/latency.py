"""Latency accepted -> delivered at a steady rate on PostgreSQL (issue 9), beside pgqueuer's
enqueued -> run latency at the same rate on the same server, in one run.

    python bench/latency.py [--rate 1000] [--seconds 30] [--processes 2] [--products 5000]
                            [--size 500] [--only logisync,pgqueuer] [--postgres durable]

- logisync: ``logisync worker --processes N`` on a fresh PostgreSQL database, a ``kind: null``
  target fed by a ``mode: event`` flow. The benchmark appends ``rate / 100`` events to the
  journal every 10 ms on its own clock (as the HTTP intake would, in small batches); an event
  is *accepted* when its append has returned (committed), and *delivered* at the
  ``delivered_at`` the worker writes in the same transaction as the outcome.
- pgqueuer (baseline, when installed): the same payloads enqueued on the same clock,
  ``N`` consumer processes with a no-op entrypoint (LISTEN/NOTIFY wakes them); a job is
  accepted when its enqueue has returned and done when its entrypoint runs.

``logisync-tuned`` is the same on a fresh database whose autovacuum analyzes the queue tables
within seconds (see queue_compare.py). Both use the system clock of one machine. Idle worker
loops wait on ``Store.wait_for_work`` (LISTEN/NOTIFY), their poll intervals (50 ms, 100 ms)
only as the bound.
The server is durable (fsync, synchronous commit and full page writes on, as in production);
``--postgres fsync-off`` runs it as the tests' throw-away servers do (``hub_fleet.SERVERS``).
Goal: p99 <= 100 ms.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hub_fleet import (
    SERVERS,
    HubWorkers,
    hub_config,
    postgres_servers,
    reset_autovacuum,
    tune_autovacuum,
)
from logisync.core.journal import Journal
from logisync.store import open_store
from logisync.testing.postgres import postgres_cluster
from logisync.testing.workload import product_changes
from percentiles import percentiles
from pgqueuer_fleet import Consumers, Enqueuer, driver_name, require_pgqueuer


def steady(
    send: Callable[[int, int], Sequence[int]], total: int, rate: int
) -> tuple[dict[int, float], float]:
    """Call ``send(first, count)`` every 10 ms on the load's own clock, so that ``total`` items
    go at ``rate`` per second; returns when each returned key was accepted, and the rate
    achieved (lower than asked when a send takes longer than its slot)."""
    batch = max(1, rate // 100)
    accepted: dict[int, float] = {}
    started = time.monotonic()
    for first in range(0, total, batch):
        time.sleep(max(0.0, started + first / rate - time.monotonic()))
        keys = send(first, min(batch, total - first))
        now = time.time()
        accepted.update((key, now) for key in keys)
    return accepted, total / (time.monotonic() - started)


def logisync_latency(
    url: str,
    folder: Path,
    rate: int,
    seconds: float,
    processes: int,
    products: int,
    size: int,
    *,
    tuned: bool = False,
) -> tuple[dict[str, float], float]:
    total = int(rate * seconds)
    events = product_changes(0, total, products, size)
    journal = Journal(open_store(url))
    if tuned:
        tune_autovacuum(url)
    workers = HubWorkers(hub_config(folder / "latency.yaml", url, concurrency=processes), processes)
    try:
        workers.wait_ready()
        accepted, achieved = steady(
            lambda first, count: [r.seq for r in journal.append(events[first : first + count])],
            total,
            rate,
        )
        done = workers.wait_delivered(url, total, timeout=300)
    finally:
        workers.stop()
        if tuned:
            reset_autovacuum(url)
    return percentiles([at - accepted[seq] for seq, at in done]), achieved


def pgqueuer_latency(
    url: str, rate: int, seconds: float, processes: int, products: int, size: int
) -> tuple[dict[str, float], float]:
    total = int(rate * seconds)
    payloads = [
        e.model_dump_json(exclude_none=True).encode()
        for e in product_changes(0, total, products, size)
    ]
    enqueuer = Enqueuer(url)  # installs the schema before the consumers check for it
    consumers = Consumers(url, processes, 10, "follow")
    consumers.tell("go")
    accepted, achieved = steady(
        lambda first, count: enqueuer.enqueue(payloads[first : first + count]), total, rate
    )
    deadline = time.monotonic() + 120
    while enqueuer.waiting() and time.monotonic() < deadline:
        time.sleep(0.05)
    consumers.tell("stop")
    ran = consumers.results(timeout=120)
    enqueuer.close()
    if len(ran) != total:
        raise SystemExit(f"pgqueuer ran {len(ran):,} of {total:,} jobs")
    return percentiles([at - accepted[job] for job, at in ran]), achieved


def _line(label: str, figures: dict[str, float], achieved: float, asked: int) -> str:
    return (
        f"{label}: accepted -> done at {achieved:,.0f}/s (asked {asked:,}), {figures['n']:,.0f}: "
        f"p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms, p99 {figures['p99']:.0f} ms, "
        f"max {figures['max']:.0f} ms"
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--products", type=int, default=5_000)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--only", default="pgqueuer,logisync,logisync-tuned")
    parser.add_argument("--postgres", default="durable", help="the server: durable or fsync-off")
    args = parser.parse_args(argv)
    wanted = set(args.only.split(","))
    if "pgqueuer" in wanted:
        version = require_pgqueuer()
    out: dict[str, Any] = {}
    servers = postgres_servers(args.postgres)
    if len(servers) != 1:
        raise SystemExit("--postgres: latency runs on one server, durable or fsync-off")
    server = servers[0]
    print(f"PostgreSQL {SERVERS[server]}:")
    with (
        tempfile.TemporaryDirectory() as tmp,
        postgres_cluster(durable=server == "durable") as cluster,
    ):
        load = (args.rate, args.seconds, args.processes, args.products, args.size)
        if "pgqueuer" in wanted:
            figures, achieved = pgqueuer_latency(cluster.create_database("pgqueuer"), *load)
            out["pgqueuer"] = figures
            label = f"pgqueuer {version} ({driver_name()}, {args.processes} consumers, baseline)"
            print(_line(label, figures, achieved, args.rate))
        for name in ("logisync", "logisync-tuned"):
            if name not in wanted:
                continue
            url = cluster.create_database(name.replace("-", "_"))
            tuned = name.endswith("tuned")
            figures, achieved = logisync_latency(url, Path(tmp), *load, tuned=tuned)
            out[name] = figures
            label = (
                f"logisync on PostgreSQL{' (autovacuum tuned)' if tuned else ''} "
                f"({args.processes} worker processes, null target)"
            )
            print(_line(label, figures, achieved, args.rate) + "   target p99 <= 100 ms")
    return out


if __name__ == "__main__":
    main()
