"""pgqueuer, the baseline queue: N consumer processes with a no-op entrypoint, run the way
pgqueuer's own drain benchmark runs them (``PgQueuer.run(mode=drain)``, asyncpg driver
when installed, psycopg otherwise), and its ``Queries.enqueue`` of lists of jobs.

pgqueuer is NOT a logisync dependency; install it in the benchmark environment only::

    .venv/bin/pip install pgqueuer asyncpg

Each consumer is a child process (``python bench/pgqueuer_fleet.py URL BATCH MODE``) that
connects, says ``ready``, waits for ``go`` on standard input (so that the clock starts when
every consumer is connected, as it does for the hub's workers), runs, and prints one JSON
line: how many jobs it ran and when each ran. ``MODE`` is ``drain`` (stop when the queue is
empty) or ``follow`` (run until ``stop`` arrives on standard input).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

INSTALL = (
    "pgqueuer is not installed in this environment: `.venv/bin/pip install pgqueuer asyncpg` "
    "(the benchmark environment only; it is not a logisync dependency)"
)


def require_pgqueuer() -> str:
    """The pgqueuer version, or exit with how to install it."""
    try:
        import pgqueuer
    except ImportError:
        raise SystemExit(INSTALL) from None
    return str(pgqueuer.__version__)


def driver_name() -> str:
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        return "psycopg"
    return "asyncpg"


async def _driver(url: str) -> Any:
    from pgqueuer import AsyncpgDriver, PsycopgDriver

    if driver_name() == "asyncpg":
        import asyncpg

        return AsyncpgDriver(await asyncpg.connect(dsn=url))
    import psycopg

    return PsycopgDriver(await psycopg.AsyncConnection.connect(url, autocommit=True))


async def install_and_enqueue(url: str, payloads: list[bytes], chunk: int = 10_000) -> list[int]:
    """Install pgqueuer's schema (when missing) and enqueue one no-op job per payload; returns
    the job ids in order."""
    from pgqueuer import Queries

    queries = Queries(await _driver(url))
    if not await queries.schema_is_installed():
        await queries.install()
    ids: list[int] = []
    for first in range(0, len(payloads), chunk):
        part = payloads[first : first + chunk]
        ids += await queries.enqueue(["noop"] * len(part), list(part), [0] * len(part))
    return ids


class Enqueuer:
    """One connection that enqueues batches of no-op jobs (for the latency run)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.loop = asyncio.new_event_loop()
        self.queries = self.loop.run_until_complete(self._connect())

    async def _connect(self) -> Any:
        from pgqueuer import Queries

        queries = Queries(await _driver(self.url))
        if not await queries.schema_is_installed():
            await queries.install()
        return queries

    def enqueue(self, payloads: list[bytes]) -> list[int]:
        work = self.queries.enqueue(["noop"] * len(payloads), payloads, [0] * len(payloads))
        return list(self.loop.run_until_complete(work))

    def waiting(self) -> int:
        """Jobs not yet run (queued or picked)."""
        sizes = self.loop.run_until_complete(self.queries.queue_size())
        return sum(size.count for size in sizes)

    def close(self) -> None:
        self.loop.close()


class Consumers:
    """``processes`` consumer children on ``url``."""

    def __init__(self, url: str, processes: int, batch: int, mode: str) -> None:
        self.children = [
            subprocess.Popen(
                [sys.executable, str(Path(__file__)), url, str(batch), mode],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(processes)
        ]
        for child in self.children:
            assert child.stdout is not None
            line = child.stdout.readline().strip()
            if line != "ready":
                raise SystemExit(f"a pgqueuer consumer did not start: {line!r}")

    def tell(self, word: str) -> None:
        for child in self.children:
            assert child.stdin is not None
            child.stdin.write(word + "\n")
            child.stdin.flush()

    def results(self, timeout: float) -> list[tuple[int, float]]:
        """(job id, epoch time it ran) of every job, from every consumer."""
        ran: list[tuple[int, float]] = []
        for child in self.children:
            out, _ = child.communicate(timeout=timeout)
            if child.returncode != 0:
                raise SystemExit(f"a pgqueuer consumer failed ({child.returncode})")
            ran += [(int(job), at) for job, at in json.loads(out.strip().splitlines()[-1])]
        return ran


async def _consume(url: str, batch: int, mode: str) -> list[tuple[int, float]]:
    from pgqueuer import PgQueuer
    from pgqueuer.models import Job
    from pgqueuer.types import QueueExecutionMode

    manager = PgQueuer(await _driver(url))
    ran: list[tuple[int, float]] = []

    @manager.entrypoint("noop")
    async def noop(job: Job) -> None:
        ran.append((int(job.id), time.time()))

    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)  # "go"
    if mode == "drain":
        await manager.run(batch_size=batch, mode=QueueExecutionMode.drain)
        return ran

    async def stop_on_request() -> None:
        await loop.run_in_executor(None, sys.stdin.readline)  # "stop"
        manager.shutdown.set()

    stopper = asyncio.create_task(stop_on_request())
    await manager.run(batch_size=batch, dequeue_timeout=_seconds(1))
    await stopper
    return ran


def _seconds(value: float) -> Any:
    from datetime import timedelta

    return timedelta(seconds=value)


if __name__ == "__main__":
    import logging

    logging.disable(logging.WARNING)  # pgqueuer's own progress lines are not results
    url, batch, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    print(json.dumps(asyncio.run(_consume(url, batch, mode))), flush=True)
