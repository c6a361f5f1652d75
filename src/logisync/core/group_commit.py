"""Group commit: many concurrent submitters, one journal transaction at a time.

Every request must wait for its events to be durable before it is answered, and a durable
commit costs an fsync (about a millisecond here) whatever its size. So while one commit is
being written, the requests that arrive queue up, and the next commit takes all of them at
once: under load, commits grow with the load instead of the load waiting on commits, and an
idle hub still commits a lone request at once (no timer, no added delay).

The store call runs on one dedicated thread: the event loop keeps accepting and parsing
requests during the fsync, and this process's writes never contend with each other for the
store's lock. An ``Appender`` may take the appends instead (``logisync serve`` on SQLite
commits them in a process of its own, see ``store.journal_writer``); the other writes (audit,
keys) stay on the thread and take the store's lock in turn with that process's commits.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from logisync.core.ports import AppendResult, NewJournalEntry, Store

T = TypeVar("T")


Waiting = tuple[Sequence[NewJournalEntry], "asyncio.Future[list[AppendResult]]"]
"""A request's entries and the future its answer goes to (a tuple: one is made per request)."""


class Appender(Protocol):
    """Commits groups of entries somewhere else than the writer thread; one call at a time."""

    async def start(self) -> None: ...

    async def append(self, entries: Sequence[NewJournalEntry]) -> list[AppendResult]: ...

    async def stop(self) -> None: ...

    async def ready(self) -> str | None:
        """Why an append would fail now (``/readyz``), or None; may start what is not running."""
        ...


@dataclass
class CommitStats:
    """What group commit did, for metrics and benchmarks."""

    commits: int = 0
    requests: int = 0
    events: int = 0
    failures: int = 0


class GroupCommitter:
    """Append through ``append``; run ``start`` and ``stop`` on the serving event loop."""

    def __init__(
        self, store: Store, max_events: int = 5000, appender: Appender | None = None
    ) -> None:
        self._store = store
        self._max_events = max_events
        self._appender = appender
        # a deque and one wake-up future rather than asyncio.Queue: the queue's bookkeeping
        # (put, get, task_done) was ~3 µs of every single-event request
        self._waiting: deque[Waiting] = deque()
        self._wake: asyncio.Future[None] | None = None
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="journal-writer")
        self.stats = CommitStats()

    async def start(self) -> None:
        if self._appender is not None:
            await self._appender.start()
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="group-commit")

    async def stop(self) -> None:
        """Finish what is queued, then stop; nothing accepted into the queue is dropped."""
        if self._task is not None:
            self._stopping = True
            self._wake_up()
            await self._task
            self._task = None
        if self._appender is not None:
            await self._appender.stop()
        self._executor.shutdown(wait=True)

    async def append(self, entries: Sequence[NewJournalEntry]) -> list[AppendResult]:
        """Journal ``entries`` together with whatever else is waiting; the store's error (busy,
        unavailable) is raised to every request of the failed commit, none of which is stored."""
        if self._task is None or self._stopping:
            raise RuntimeError("the group committer is not running")
        if not entries:
            return []
        answer: asyncio.Future[list[AppendResult]] = asyncio.get_running_loop().create_future()
        self._waiting.append((entries, answer))
        self._wake_up()
        return await answer

    async def writer_problem(self) -> str | None:
        """Why the appender would refuse an append now (it cannot start), for ``/readyz``."""
        return await self._appender.ready() if self._appender is not None else None

    def _wake_up(self) -> None:
        wake = self._wake
        if wake is not None and not wake.done():
            wake.set_result(None)

    async def call(self, work: Callable[..., T], *args: Any) -> T:
        """Run another store write (an audit entry, a key change) on the writer thread, in
        turn with the appends, so that the event loop never waits on the store's lock."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, work, *args)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self._waiting:
                if self._stopping:
                    return
                self._wake = loop.create_future()
                await self._wake
                continue
            group = [self._waiting.popleft()]
            size = len(group[0][0])
            while size < self._max_events and self._waiting:
                group.append(self._waiting.popleft())
                size += len(group[-1][0])
            rows = [entry for entries, _ in group for entry in entries]
            try:
                if self._appender is not None:
                    results = await self._appender.append(rows)
                else:
                    results = await loop.run_in_executor(self._executor, self._store.append, rows)
            except Exception as error:  # every request of the group hears why
                self.stats.failures += 1
                for _, answer in group:
                    if not answer.done():
                        answer.set_exception(error)
            else:
                self.stats.commits += 1
                self.stats.requests += len(group)
                self.stats.events += len(rows)
                start = 0
                for entries, answer in group:
                    end = start + len(entries)
                    if not answer.done():  # a client that went away is not answered
                        answer.set_result(results[start:end])
                    start = end
