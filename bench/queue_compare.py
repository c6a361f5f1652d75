"""Throughput against pgqueuer (issue 9), in one run, on throw-away PostgreSQL servers.

    python bench/queue_compare.py [--events 50000] [--products 5000] [--size 500]
                                  [--processes 2] [--pgqueuer-batch 10] [--only ...]
                                  [--postgres durable,fsync-off]

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

Durability. The SQLite store always commits with ``synchronous=FULL``: a commit that returned
survives a power cut. ``--postgres`` names the servers to measure pgqueuer and logisync on,
one after the other in this run:

- ``durable``: fsync, synchronous commit and full page writes on, as production servers run.
  The goals are judged here, at equal durability.
- ``fsync-off``: none of them, as the tests' throw-away servers run. Faster for pgqueuer,
  but a commit it reports can be lost; the SQLite ratio against it is printed as well, so
  that both comparisons are read from one run.

Goals: logisync on PostgreSQL >= pgqueuer; logisync on SQLite >= 2x pgqueuer. pgqueuer is not
a logisync dependency: install it in the benchmark environment (see pgqueuer_fleet.py).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import psycopg

from hub_fleet import (
    SERVERS,
    HubWorkers,
    hub_config,
    postgres_servers,
    reset_autovacuum,
    tune_autovacuum,
)
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


POSTGRES_RUNS = (("postgres", 1.0), ("postgres-tuned", 1.0))
SQLITE_GOAL = 2.0


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the comparison; the rates are keyed ``<run>@<server>`` for PostgreSQL runs
    (``pgqueuer@durable``) and ``sqlite`` for the SQLite run."""
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
        "--postgres",
        default="durable,fsync-off",
        help="PostgreSQL servers to run on, in order: durable, fsync-off",
    )
    args = parser.parse_args(argv)
    wanted = set(args.only.split(","))
    servers = postgres_servers(args.postgres)
    if unknown := wanted - {"pgqueuer", "sqlite"} - {name for name, _goal in POSTGRES_RUNS}:
        raise SystemExit(f"--only: unknown run {', '.join(sorted(unknown))}")
    if not servers and wanted - {"sqlite"}:
        raise SystemExit("--postgres: no server named, but --only asks for PostgreSQL runs")
    if "pgqueuer" in wanted:
        version = require_pgqueuer()
    events = product_changes(0, args.events, args.products, args.size)
    payloads = [e.model_dump_json(exclude_none=True).encode() for e in events]
    size = sum(map(len, payloads)) / len(payloads)
    print(
        f"queue throughput, {args.events:,} items of {size:.0f} B ({args.products:,} products), "
        f"{args.processes} processes each"
    )
    rates: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for server in servers if wanted - {"sqlite"} else []:
            print(f"PostgreSQL {SERVERS[server]}:")
            with postgres_cluster(durable=server == "durable") as cluster:
                if "pgqueuer" in wanted:
                    base = rates[f"pgqueuer@{server}"] = pgqueuer_drain(
                        cluster.create_database("pgqueuer"),
                        payloads,
                        args.processes,
                        args.pgqueuer_batch,
                    )
                    print(
                        f"  pgqueuer {version} no-op jobs ({driver_name()}, batch "
                        f"{args.pgqueuer_batch}, drain): {base:>8,.0f} jobs/s   (baseline)"
                    )
                for name, goal in POSTGRES_RUNS:
                    if name not in wanted:
                        continue
                    url = cluster.create_database("logisync_" + name.replace("-", "_"))
                    rate = rates[f"{name}@{server}"] = logisync_end_to_end(
                        url, events, args.processes, Path(tmp), tuned=name.endswith("tuned")
                    )
                    print(
                        f"  logisync on {name:<14} journal -> delivered (null target): "
                        f"{rate:>8,.0f} events/s{_versus(rates, server, rate, goal)}"
                    )
        if "sqlite" in wanted:
            rate = rates["sqlite"] = logisync_end_to_end(
                f"sqlite:///{tmp}/hub.db", events, args.processes, Path(tmp)
            )
            print(
                "SQLite synchronous=FULL:\n"
                f"  logisync on sqlite         journal -> delivered (null target): "
                f"{rate:>8,.0f} events/s"
            )
            for server in servers:
                if f"pgqueuer@{server}" in rates:
                    versus = _versus(rates, server, rate, SQLITE_GOAL)
                    print(f"    against the {server} server:{versus}")
    return rates


def _versus(rates: dict[str, float], server: str, rate: float, goal: float) -> str:
    base = rates.get(f"pgqueuer@{server}")
    if not base:
        return ""
    judged = "target" if server == "durable" else "for reference, target judged durable"
    return (
        f"   pgqueuer {base:,.0f} jobs/s   ratio {rate / base:.2f}   {judged} >= {goal:g}x pgqueuer"
    )


if __name__ == "__main__":
    main()
