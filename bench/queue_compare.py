"""Throughput against pgqueuer (issue 9), in one run on one throw-away PostgreSQL server.

    python bench/queue_compare.py [--events 50000] [--products 5000] [--size 500]
                                  [--processes 2] [--pgqueuer-batch 10] [--only ...]
                                  [--durable]

The same number of items of the same size (``--size`` bytes of CloudEvent JSON, the very
bytes given to pgqueuer as its job payloads) go through:

- pgqueuer (baseline): the jobs enqueued beforehand, then ``--processes`` consumer processes
  with a no-op entrypoint drain the queue (pgqueuer's own drain benchmark, at its default
  batch size of 10 unless told). Jobs/s from the moment every consumer is connected to the
  last job run.
- logisync on the same PostgreSQL server, and on SQLite: the events are in the journal
  beforehand, NOT yet processed; ``logisync worker --processes N`` then processes them
  (sequencing, projections, routing) and delivers each to a ``kind: null`` target. Events/s
  end to end, journal -> delivered, from the moment the first worker process runs to the last
  delivery's ``delivered_at``. ``postgres-tuned`` is the same on a fresh database whose
  autovacuum analyzes the queue tables within seconds (``tune_autovacuum``): the default
  settings leave the planner without statistics for the whole of a short run.

The throw-away PostgreSQL server runs without fsync and synchronous commit (both PostgreSQL
runs alike), while the SQLite store commits with ``synchronous=FULL``: ``--durable`` runs the
server with fsync, synchronous commit and full page writes on, as production servers do, so
that SQLite is compared at equal durability too.

Goals: logisync on PostgreSQL >= pgqueuer; logisync on SQLite >= 2x pgqueuer. pgqueuer is not
a logisync dependency: install it in the benchmark environment (see pgqueuer_fleet.py).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from hub_fleet import HubWorkers, hub_config, reset_autovacuum, tune_autovacuum
from logisync.core.journal import Journal
from logisync.model.envelope import Event
from logisync.store import open_store
from logisync.testing.postgres import postgres_cluster
from logisync.testing.workload import product_changes
from pgqueuer_fleet import Consumers, driver_name, install_and_enqueue, require_pgqueuer


def pgqueuer_drain(url: str, payloads: list[bytes], processes: int, batch: int) -> float:
    ids = set(asyncio.run(install_and_enqueue(url, payloads)))
    with psycopg.connect(url, autocommit=True) as conn:
        # a queue that has run for a while has statistics: without them pgqueuer's dequeue
        # plans for an empty table and runs at a third of its speed on 50,000 jobs
        conn.execute("ANALYZE")
    consumers = Consumers(url, processes, batch, "drain")
    started = time.time()
    consumers.tell("go")
    ran = consumers.results(timeout=600)
    done = {job for job, _ in ran}
    if done != ids or len(ran) != len(ids):
        raise SystemExit(f"pgqueuer ran {len(ran):,} jobs ({len(done):,} distinct) of {len(ids):,}")
    return len(ids) / (max(at for _, at in ran) - started)


def logisync_end_to_end(
    url: str, events: list[Event], processes: int, folder: Path, *, tuned: bool = False
) -> float:
    store = open_store(url)
    if tuned:
        tune_autovacuum(url)
    journal = Journal(store)
    for first in range(0, len(events), 1000):
        journal.append(events[first : first + 1000])
    store.close()
    workers = HubWorkers(
        hub_config(folder / f"{Path(url).name}.yaml", url, concurrency=processes), processes
    )
    try:
        workers.wait_ready()
        done = workers.wait_delivered(url, len(events), timeout=900)
    finally:
        workers.stop()
        if tuned:
            reset_autovacuum(url)
    return len(done) / (max(at for _, at in done) - workers.started_at)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--products", type=int, default=5_000)
    parser.add_argument("--size", type=int, default=500, help="bytes of event JSON per item")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--pgqueuer-batch", type=int, default=10)
    parser.add_argument("--only", default="pgqueuer,postgres,postgres-tuned,sqlite")
    parser.add_argument(
        "--durable", action="store_true", help="PostgreSQL with fsync and synchronous commit"
    )
    args = parser.parse_args(argv)
    wanted = set(args.only.split(","))
    if "pgqueuer" in wanted:
        version = require_pgqueuer()
    events = product_changes(0, args.events, args.products, args.size)
    payloads = [e.model_dump_json(exclude_none=True).encode() for e in events]
    size = sum(map(len, payloads)) / len(payloads)
    print(
        f"queue throughput, {args.events:,} items of {size:.0f} B ({args.products:,} products), "
        f"{args.processes} processes each; PostgreSQL "
        + ("durable (fsync, synchronous_commit on)" if args.durable else "fsync=off")
        + ", SQLite synchronous=FULL"
    )
    rates: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, postgres_cluster(durable=args.durable) as cluster:
        if "pgqueuer" in wanted:
            rates["pgqueuer"] = pgqueuer_drain(
                cluster.create_database("pgqueuer"), payloads, args.processes, args.pgqueuer_batch
            )
            print(
                f"pgqueuer {version} no-op jobs ({driver_name()}, batch {args.pgqueuer_batch}, "
                f"drain): {rates['pgqueuer']:>8,.0f} jobs/s   (baseline)"
            )
        base = rates.get("pgqueuer")
        runs = (("postgres", 1.0), ("postgres-tuned", 1.0), ("sqlite", 2.0))
        for name, goal in runs:
            if name not in wanted:
                continue
            url = (
                f"sqlite:///{tmp}/hub.db"
                if name == "sqlite"
                else cluster.create_database("logisync_" + name.replace("-", "_"))
            )
            rates[name] = logisync_end_to_end(
                url, events, args.processes, Path(tmp), tuned=name.endswith("tuned")
            )
            versus = (
                f"   pgqueuer {base:,.0f} jobs/s   ratio {rates[name] / base:.2f}"
                f"   target >= {goal:g}x pgqueuer"
                if base
                else ""
            )
            print(
                f"logisync on {name:<14} journal -> delivered (null target): "
                f"{rates[name]:>8,.0f} events/s{versus}"
            )
    return rates


if __name__ == "__main__":
    main()
