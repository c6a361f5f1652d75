"""Delivery benchmarks (issue 4), each beside its baseline from the same run.

    python bench/delivery.py [--events 50000] [--entities 5000] [--rate 1000] [--seconds 15]

- end to end, null target: journal -> processed -> delivered events/s, beside the processor
  alone (journal -> processed) on the same backlog: what delivery adds. Twice: in one thread
  (process all, then deliver all) and pipelined (processor and deliverer in two threads).
- latency: accepted -> delivered at a steady rate (events appended in small batches on a
  clock), processor and delivery worker each in their own thread with their own store handle;
  p50/p99 printed beside the rate actually achieved.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

from logisync.core.delivery.connector import NullTarget
from logisync.core.delivery.worker import DeliveryWorker
from logisync.core.journal import Journal
from logisync.core.processor import Processor, ProcessorSettings
from logisync.core.rules import Flow, Rules
from logisync.store.sqlite import SqliteStore
from logisync.testing.workload import events as make_events
from percentiles import percentiles

RULES = Rules(flows=(Flow("all to sink", ("*",), "sink", "event"),))


def _filled(path: Path, count: int, entities: int) -> SqliteStore:
    store = SqliteStore(path)
    built = make_events(count, entities)
    gc.freeze()
    journal = Journal(store)
    for i in range(0, len(built), 1000):
        journal.append(built[i : i + 1000])
    return store


def end_to_end(folder: Path, count: int, entities: int) -> tuple[float, float, float]:
    """Sequential (process everything, then deliver everything, one thread) and pipelined
    (processor and deliverer at once, each in its own thread with its own store handle, as
    `logisync process` and `logisync deliver` run side by side), beside the processor alone."""
    alone = _filled(folder / "alone.db", count, entities)
    started = time.perf_counter()
    Processor(alone, RULES).run_until_idle()
    processor_only = count / (time.perf_counter() - started)
    store = _filled(folder / "e2e.db", count, entities)
    worker = DeliveryWorker(store, {"sink": NullTarget()})
    started = time.perf_counter()
    Processor(store, RULES).run_until_idle()
    worker.run_until_idle()
    sequential = count / (time.perf_counter() - started)
    path = folder / "pipelined.db"
    _filled(path, count, entities).close()
    processed = threading.Event()

    def deliver() -> None:
        worker = DeliveryWorker(SqliteStore(path), {"sink": NullTarget()})
        while not processed.is_set() or worker.run_once("sink", max_batches=100):
            if not worker.run_once("sink", max_batches=100):
                time.sleep(0.002)

    deliverer = threading.Thread(target=deliver)
    started = time.perf_counter()
    deliverer.start()
    Processor(SqliteStore(path), RULES).run_until_idle()
    processed.set()
    deliverer.join()
    pipelined = count / (time.perf_counter() - started)
    undelivered = SqliteStore(path).counts().deliveries_pending
    if undelivered:
        raise SystemExit(f"pipelined run left {undelivered} deliveries undelivered")
    return sequential, pipelined, processor_only


def latency(folder: Path, rate: int, seconds: float) -> tuple[float, float, float]:
    path = folder / "latency.db"
    SqliteStore(path).close()
    built = make_events(int(rate * seconds), max(100, rate), seed=3)
    stop = threading.Event()

    def process() -> None:
        processor = Processor(
            SqliteStore(path), RULES, settings=ProcessorSettings(idle_sleep_seconds=0.002)
        )
        processor.run_forever(stop.is_set, sleep=time.sleep)

    def deliver() -> None:
        worker = DeliveryWorker(SqliteStore(path), {"sink": NullTarget()})
        while not stop.is_set():
            if not worker.run_once("sink"):
                time.sleep(0.002)

    threads = [threading.Thread(target=process), threading.Thread(target=deliver)]
    for thread in threads:
        thread.start()
    journal = Journal(SqliteStore(path))
    accepted: dict[int, float] = {}
    batch = max(1, rate // 100)  # every 10 ms
    started = time.monotonic()
    for i in range(0, len(built), batch):
        time.sleep(max(0.0, started + i / rate - time.monotonic()))  # the load's own clock
        for result in journal.append(built[i : i + batch]):
            accepted[result.seq] = time.time()
    achieved = len(built) / (time.monotonic() - started)
    deadline = time.monotonic() + 30
    reader = SqliteStore(path)
    while time.monotonic() < deadline:
        rows = reader._conn.execute(
            "SELECT count(*) FROM deliveries WHERE state != 'delivered'"
        ).fetchone()[0]
        if rows == 0 and reader.counts().pending_entities == 0:
            break
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join()
    delays = [
        datetime.fromisoformat(at).timestamp() - accepted[seq]
        for seq, at in reader._conn.execute(
            "SELECT event_seq, delivered_at FROM deliveries WHERE state = 'delivered'"
        )
    ]
    figures = percentiles(delays)
    return figures["p50"], figures["p99"], achieved


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--entities", type=int, default=5_000)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sequential, pipelined, alone = end_to_end(Path(tmp), args.events, args.entities)
        for label, e2e in (("one thread", sequential), ("pipelined", pipelined)):
            print(
                f"journal -> delivered (null target, event flow, {label}): {e2e:>8,.0f} events/s"
                f"   processor alone on the same backlog: {alone:>8,.0f} events/s   "
                f"ratio {e2e / alone:.2f}   target >= 10,000"
            )
        p50, p99, achieved = latency(Path(tmp), args.rate, args.seconds)
        print(
            f"accepted -> delivered at {achieved:,.0f} events/s (asked {args.rate:,}): "
            f"p50 {p50:.0f} ms, p99 {p99:.0f} ms   target p99 <= 100 ms"
        )


if __name__ == "__main__":
    main()
