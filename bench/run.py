"""Benchmarks of the durable core, each printed beside its baseline from the same run.

    python bench/run.py [--events 100000] [--entities 10000] [--only append,process,rss]

- append: journal append in batches of 100, against a bare sqlite3 executemany of the same
  rows into the same journal table (the floor: what SQLite itself costs).
- process: journal -> processed -> projections + delivery rows, against the same sequencing
  done in memory with no store (what durability costs).
- rss: peak RSS of a fresh process that works through a backlog, against the RSS of a fresh
  process that only opens the store.
Each measurement runs in its own process so that memory and caches do not leak between them.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _append(events: int, entities: int, folder: Path, batch: int) -> dict[str, float]:
    import sqlite3

    from logisync.core.journal import Journal, journal_entry
    from logisync.store.sqlite import SqliteStore
    from logisync.store.sqlite.connection import connect
    from logisync.store.sqlite.queries import q
    from logisync.testing.workload import events as make_events

    built = make_events(events, entities)
    gc.freeze()  # the pre-built workload is not the hub's memory: keep it out of GC scans
    store = SqliteStore(folder / f"append-{batch}.db")
    journal = Journal(store)
    started = time.perf_counter()
    for i in range(0, len(built), batch):
        journal.append(built[i : i + batch])
    ours = len(built) / (time.perf_counter() - started)
    store.close()

    tuples = [tuple(journal_entry(e, "2026-03-01T00:00:00.000000Z")) for e in built]
    floor_store = SqliteStore(folder / f"floor-{batch}.db")  # same schema, same pragmas
    floor_store.close()
    conn: sqlite3.Connection = connect(folder / f"floor-{batch}.db")
    insert = q("insert_journal")
    started = time.perf_counter()
    for i in range(0, len(tuples), batch):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(insert, tuples[i : i + batch])
        conn.execute("COMMIT")
    floor = len(tuples) / (time.perf_counter() - started)
    return {"ours": ours, "floor": floor}


def _fill_backlog(events: int, entities: int, path: Path) -> None:
    from logisync.core.journal import Journal
    from logisync.store.sqlite import SqliteStore
    from logisync.testing.workload import events as make_events

    built = make_events(events, entities)
    store = SqliteStore(path)
    journal = Journal(store)
    for i in range(0, len(built), 1000):
        journal.append(built[i : i + 1000])
    store.close()


def _process(path: Path) -> dict[str, float]:
    from logisync.cli_process import collect_garbage_less_often
    from logisync.core.processor import Processor
    from logisync.store.sqlite import SqliteStore
    from logisync.testing.workload import rules

    store = SqliteStore(path)
    pending = store.counts().pending_events
    collect_garbage_less_often()  # as `logisync process` and `logisync worker` run
    started = time.perf_counter()
    done = Processor(store, rules()).run_until_idle()
    elapsed = time.perf_counter() - started
    assert done == pending, (done, pending)
    counts = store.counts()
    assert counts.pending_events == 0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "ours": done / elapsed,
        "events": done,
        "entities": counts.entities,
        "deliveries": counts.deliveries_pending,
        "rss_mb": rss_mb,
    }


def _in_memory(events: int, entities: int) -> dict[str, float]:
    """The same sequencing with no store: the CPU floor of the processor's logic."""

    from logisync.cli_process import collect_garbage_less_often
    from logisync.core.journal import journal_record
    from logisync.core.ports import Projection
    from logisync.core.routing import Routing
    from logisync.core.sequencing import apply_event
    from logisync.testing.workload import events as make_events
    from logisync.testing.workload import rules

    rule_set = rules()
    records = [
        journal_record(event, seq, "2026-03-01T00:00:00.000000Z")
        for seq, event in enumerate(make_events(events, entities), start=1)
    ]
    collect_garbage_less_often()  # the same collector settings as the measured processor
    projections: dict[str, Projection] = {}
    started = time.perf_counter()
    for record in records:
        projection = projections.get(record.subject)
        if projection is None:
            projection = projections[record.subject] = Projection(record.subject)
        decision = apply_event(projection, record, rule_set)
        Routing(rule_set, "2026-03-01T00:00:00.000000Z").add(record, decision, projection)
    return {"floor": len(records) / (time.perf_counter() - started)}


def _idle_rss(path: Path) -> dict[str, float]:
    from logisync.core.processor import Processor  # noqa: F401 - the same imports as a worker
    from logisync.store.sqlite import SqliteStore

    store = SqliteStore(path)
    store.counts()
    return {"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _child(kind: str, *args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--only", default="append,process,rss")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = {
            "append": lambda: _append(int(rest[0]), int(rest[1]), Path(rest[2]), int(rest[3])),
            "fill": lambda: _fill_backlog(int(rest[0]), int(rest[1]), Path(rest[2])) or {},
            "process": lambda: _process(Path(rest[0])),
            "memory": lambda: _in_memory(int(rest[0]), int(rest[1])),
            "idle": lambda: _idle_rss(Path(rest[0])),
        }[kind]()
        print(json.dumps(result))
        return

    wanted = set(args.only.split(","))
    n, k = str(args.events), str(args.entities)
    print(f"logisync core benchmarks: {args.events:,} events over {args.entities:,} entities")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "append" in wanted:
            for batch, target in ((100, "target >= 30,000"), (1000, "(as group commit batches)")):
                r = _child("append", n, k, str(folder), str(batch))
                print(
                    f"journal append, batches of {batch:<4}: {r['ours']:>9,.0f} events/s   "
                    f"floor (bare sqlite3 executemany, same rows): {r['floor']:>9,.0f} rows/s   "
                    f"ratio {r['ours'] / r['floor']:.2f}   {target}"
                )
        if wanted & {"process", "rss"}:
            backlog = folder / "backlog.db"
            _child("fill", n, k, str(backlog))
            idle = _child("idle", str(backlog))
            r = _child("process", str(backlog))
            if "process" in wanted:
                floor = _child("memory", n, k)
                print(
                    f"journal -> projections + deliveries: {r['ours']:>9,.0f} events/s   "
                    f"floor (same sequencing in memory, no store): {floor['floor']:>9,.0f} "
                    f"events/s   ratio {r['ours'] / floor['floor']:.2f}   target >= 10,000   "
                    f"({r['entities']:,} entities, {r['deliveries']:,} pending deliveries)"
                )
            if "rss" in wanted:
                print(
                    f"peak RSS working a {args.events:,}-event backlog: {r['rss_mb']:>6.0f} MB   "
                    f"baseline (fresh process, store open): {idle['rss_mb']:.0f} MB   "
                    f"target <= 250 MB"
                )


if __name__ == "__main__":
    main()
