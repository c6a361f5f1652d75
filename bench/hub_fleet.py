"""The hub as users run it, for the benchmarks: ``logisync worker --processes N`` on a store,
delivering every event to a ``kind: null`` target, started and stopped from a benchmark.

Shared by ``queue_compare.py`` and ``latency.py`` (run from this folder, which Python puts on
``sys.path`` first). The clock starts when the first worker process says it is running, not
when the supervisor is launched: interpreter start and imports (~1 s) are not throughput.

The workers run without ``housekeeping`` (retention pruning, every 10 minutes: never inside a
benchmark's window). Any worker that crashes fails the benchmark.

While the clock runs, the benchmark only counts delivered rows (one aggregate a poll); the
rows themselves are read once, after the last one is delivered, so that watching does not
take CPU from the workers that pgqueuer's consumers do not have to share.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

SERVERS = {
    "durable": "durable (fsync, synchronous_commit, full_page_writes on)",
    "fsync-off": "fsync, synchronous_commit, full_page_writes off (commits can be lost)",
}
"""The PostgreSQL servers a benchmark can run on (``--postgres``): ``durable`` as production
runs it, where the goals are judged (the SQLite store always commits with synchronous=FULL);
``fsync-off`` as the tests' throw-away servers run, for reference."""


def postgres_servers(names: str) -> list[str]:
    """``--postgres``'s comma-separated server names, in order, each once; SystemExit on an
    unknown one."""
    servers = list(dict.fromkeys(name for name in names.split(",") if name))
    if unknown := [name for name in servers if name not in SERVERS]:
        raise SystemExit(
            f"--postgres: unknown server {', '.join(unknown)}; known: {', '.join(SERVERS)}"
        )
    return servers


READY = re.compile(r"worker: running [a-z]")  # a child's components, not the supervisor's count
"""What each worker process prints on standard error once its loops start."""


def hub_config(config: Path, url: str, concurrency: int = 2) -> Path:
    """Write a configuration with one null target that every event is delivered to, one
    delivery per event (``mode: event``: nothing is coalesced away, so delivered rows =
    events). The target takes ``concurrency`` batches at once: pass the number of worker
    processes, or they take turns on it by design (a target's default is one)."""
    config.write_text(
        f"store: '{url}'\n"
        "systems:\n  erp: {kind: odoo}\n"
        f"  sink: {{kind: 'null', concurrency: {concurrency}}}\n"
        "flows:\n  - {name: everything to the sink, on: ['*'], to: sink, mode: event}\n"
    )
    return config


def delivered(url: str) -> list[tuple[int, float]]:
    """(event seq, delivered at, epoch seconds) of each delivery delivered, read straight from
    the store's table."""
    rows = _rows(url, "SELECT event_seq, delivered_at FROM deliveries WHERE state = 'delivered'")
    return [(seq, datetime.fromisoformat(at).timestamp()) for seq, at in rows]


def delivered_count(url: str) -> tuple[int, int]:
    """How many deliveries exist and how many are delivered: one aggregate, cheap to poll."""
    [(total, done)] = _rows(
        url, "SELECT count(*), count(*) FILTER (WHERE state = 'delivered') FROM deliveries"
    )
    return int(total), int(done or 0)


def _rows(url: str, query: str) -> list[Any]:
    """A query's rows from either store, on a connection of its own."""
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url[len("sqlite:///") :])
        try:
            return conn.execute(query).fetchall()
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(url) as pg:
        return pg.execute(query.encode()).fetchall()


class HubWorkers:
    """``logisync worker --processes N --config CONFIG`` in the background."""

    def __init__(self, config: Path, processes: int) -> None:
        self.processes = processes
        self.started_at = 0.0  # epoch time the first worker process said it runs
        self._ready = threading.Event()
        self._seen = 0
        self.crashed = False
        self._err: list[str] = []
        self._supervisor = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "logisync",
                "worker",
                "--config",
                str(config),
                "--processes",
                str(processes),
                "--skip",
                "housekeeping",
            ],
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "LOGISYNC_STORE": ""},
        )
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stderr(self) -> None:
        assert self._supervisor.stderr is not None
        for line in self._supervisor.stderr:
            self._err.append(line)
            if "crashed" in line:
                self.crashed = True
            if READY.search(line):
                self._seen += 1
                if self._seen == 1:
                    self.started_at = time.time()
                if self._seen == self.processes:
                    self._ready.set()

    def wait_ready(self, timeout: float = 60) -> None:
        if not self._ready.wait(timeout):
            self.stop()
            raise SystemExit("the worker processes did not start:\n" + "".join(self._err[-40:]))

    def wait_delivered(self, url: str, count: int, timeout: float) -> list[tuple[int, float]]:
        """Poll (with a deadline) until ``count`` deliveries exist and all are delivered, then
        read them once. The figures come from the rows' ``delivered_at``, not from when the
        poll noticed, so the poll can be rare: each one counts the whole table on the server
        the workers run on (at every 50 ms, 13 % of PostgreSQL's time in a 50,000-event run)."""
        deadline = time.monotonic() + timeout
        while True:
            total, done_count = delivered_count(url)
            if total >= count and done_count == total:
                return delivered(url)
            if self.crashed or time.monotonic() > deadline or self._supervisor.poll() is not None:
                self.stop()
                raise SystemExit(
                    f"only {done_count:,} of {count:,} events delivered ({total:,} deliveries)"
                    f"{'; a worker crashed' if self.crashed else ''}\n{''.join(self._err[-40:])}"
                )
            time.sleep(0.5)

    def stop(self) -> None:
        if self._supervisor.poll() is None:
            self._supervisor.send_signal(signal.SIGTERM)
            try:
                self._supervisor.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self._supervisor.kill()
                self._supervisor.wait()


def tune_autovacuum(url: str) -> None:
    """Let PostgreSQL's autovacuum ANALYZE the queue tables within a second or two of a burst:
    without fresh statistics the planner takes a filling ``deliveries`` table for empty and
    the delivery claim scans every queued row per candidate (see bench/RESULTS.md)."""
    _sql(url, "ALTER SYSTEM SET autovacuum_naptime = 1", "SELECT pg_reload_conf()")
    for table in ("deliveries", "journal"):
        _sql(
            url,
            f"ALTER TABLE {table} SET (autovacuum_analyze_threshold = 1000, "
            "autovacuum_analyze_scale_factor = 0.05, autovacuum_vacuum_threshold = 1000, "
            "autovacuum_vacuum_scale_factor = 0.05)",
        )


def reset_autovacuum(url: str) -> None:
    """Back to the server's default naptime (the setting is server-wide)."""
    _sql(url, "ALTER SYSTEM RESET autovacuum_naptime", "SELECT pg_reload_conf()")


def _sql(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as pg:
        for statement in statements:
            pg.execute(statement.encode())
