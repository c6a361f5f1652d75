"""WAL checkpoints off the writers' path: one background thread per process, for every open
database file.

SQLite's automatic checkpoint runs inside the commit that crosses its threshold: that commit
copies tens of MB of WAL back into the database file and fsyncs it while every writer waits
(batch intake of 100k events: p99 150 ms with it, 33 ms without any checkpoint;
``bench/intake.py --batch-events 100000``). Here a thread checkpoints each open file at most
every ``INTERVAL_SECONDS`` when its WAL changed (under full load a quarter of a second
of commits is ~20 MB of WAL here), in two steps:

1. PASSIVE: the bulk of the copy, with no lock, while commits go on (SQLite's C code, off the
   GIL, on a core the writers leave idle);
2. once the WAL holds ``RESTART_FRAMES`` or more, RESTART, holding this process's writer
   turn (``writer_queue``) and a busy timeout of ``RESTART_WAIT_MS``: the few frames committed
   meanwhile, and the point after which the next commit starts the WAL from its beginning
   again. Without it, under continuous writes the WAL never restarts and grows without end (a
   PASSIVE checkpoint never catches up with the writers).

RESTART holds SQLite's write lock while it waits for readers, so it is tried only when the
PASSIVE step could copy everything (no reader pins older frames). A round that meets a reader
(pinned frames, or a RESTART kept waiting) or fails (disk full) is tried again after 1, 2, 4,
then every 8 s, rather than at every tick: a reader that holds a snapshot for minutes would
otherwise cost every writer a little, four times a second. The WAL keeps every commit
meanwhile: nothing is lost, the file only grows. SQLite's own automatic checkpoint stays as
a backstop at ``BACKSTOP_PAGES`` should this thread fall behind.
"""

from __future__ import annotations

import logging
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from logisync.errors import StoreBusy
from logisync.store.sqlite.writer_queue import turn_to_write, writer_queue

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 0.25
BACKSTOP_PAGES = 20_000
"""The connections' own automatic checkpoint (4 KiB pages: ~80 MB of WAL), as a backstop."""
RESTART_FRAMES = 1024
"""WAL frames (4 KiB pages: 4 MiB) from which a round also lets the WAL start over."""
RESTART_WAIT_MS = 20
"""How long RESTART waits for other processes' writers and for readers, holding the lock."""
TURN_TIMEOUT_SECONDS = 0.2
"""How long a round waits for this process's writer turn before it tries again next tick."""
MAX_BACKOFF_SECONDS = 8.0

Outcome = Literal["done", "pinned", "restart-busy"]
"""``done``: the WAL is copied whole (and started over if it was worth it);
``pinned``: a reader keeps frames from being copied; ``restart-busy``: RESTART met a reader."""


@dataclass
class _File:
    users: int = 0
    wal_stamp: tuple[int, int] | None = None  # (mtime_ns, size) of the WAL when last done
    failures: int = 0
    backoff: float = 0.0  # seconds between rounds while they meet a reader or fail
    retry_after: float = 0.0  # monotonic time


class Checkpoints:
    """The files this process has open and the thread that checkpoints them."""

    def __init__(
        self,
        interval_seconds: float = INTERVAL_SECONDS,
        checkpoint: Callable[[str], Outcome] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval_seconds = interval_seconds
        self.checkpoint = checkpoint or checkpoint_file
        self.monotonic = monotonic
        self._stopping = threading.Event()
        self.failures = 0
        self.runs = 0
        self._files: dict[str, _File] = {}
        # Releases arrive here, never under the lock: a store's finalizer may run inside a
        # garbage collection triggered while this very thread holds the lock.
        self._released: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self._generation = 0

    def open(self, path: str) -> Callable[[], None]:
        """Checkpoint ``path`` until the returned release is called (at most once counts)."""
        key = os.path.realpath(path)
        with self._guard:
            self._drain_releases()
            self._files.setdefault(key, _File()).users += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sqlite-checkpoints", daemon=True
                )
                self._thread.start()
            generation = self._generation
        once: list[bool] = []

        def release() -> None:
            if not once and generation == self._generation:
                once.append(True)
                self._released.put(key)

        return release

    def tick(self) -> None:
        """Checkpoint every open file whose WAL changed since its last complete checkpoint."""
        with self._guard:
            self._drain_releases()
            files = list(self._files.items())
        for path, entry in files:
            try:
                stamp = _wal_stamp(path)
            except OSError as error:
                self._failed(path, entry, error)
                continue
            now = self.monotonic()
            if stamp is None or stamp == entry.wal_stamp or now < entry.retry_after:
                continue
            try:
                outcome = self.checkpoint(path)
            except Exception as error:  # one file must not stop the others
                self._failed(path, entry, error)
                self._back_off(entry, now)
                continue
            self.runs += 1
            entry.failures = 0
            if outcome == "done":  # the stamp from before: a commit meanwhile is seen next time
                entry.wal_stamp, entry.backoff = stamp, 0.0
            else:
                self._back_off(entry, now)

    @staticmethod
    def _back_off(entry: _File, now: float) -> None:
        entry.backoff = min(MAX_BACKOFF_SECONDS, max(1.0, entry.backoff * 2))
        entry.retry_after = now + entry.backoff

    def _failed(self, path: str, entry: _File, error: BaseException) -> None:
        self.failures += 1
        entry.failures += 1
        if entry.failures in (1, 10) or entry.failures % 600 == 0:  # not every second
            log.warning(
                "WAL checkpoint of %s failed (%d in a row), retried next time: %s",
                path,
                entry.failures,
                error,
            )

    def _drain_releases(self) -> None:
        while True:
            try:
                key = self._released.get_nowait()
            except queue.Empty:
                return
            entry = self._files.get(key)
            if entry is not None:
                entry.users -= 1
                if entry.users <= 0:
                    del self._files[key]

    def stop(self) -> None:
        """End the thread (tests; a process's own checkpointer runs as long as the process)."""
        self._stopping.set()

    def _run(self) -> None:
        while not self._stopping.wait(self.interval_seconds):
            try:
                self.tick()
            except Exception:  # the thread must outlive anything a tick meets
                log.exception("WAL checkpoint round failed; trying again next time")

    def forget_after_fork(self) -> None:
        """In a forked child: no thread, a free lock, no files (the parent's stores are the
        parent's); releases made before the fork count for nothing."""
        self._thread, self._guard = None, threading.Lock()
        self._files, self._released = {}, queue.SimpleQueue()
        self._generation += 1


def checkpoint_file(path: str) -> Outcome:
    """One round on a connection of its own, closed at once. The database must exist: it is
    never created here."""
    uri = f"file:{quote(path)}?mode=rw"
    conn = sqlite3.connect(uri, uri=True, timeout=RESTART_WAIT_MS / 1000, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = FULL")
        busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if busy or frames != copied:
            return "pinned"
        if frames < RESTART_FRAMES:
            return "done"
        try:
            with turn_to_write(writer_queue(path), TURN_TIMEOUT_SECONDS):
                busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
        except StoreBusy:
            return "pinned"
        return "done" if busy == 0 and frames == copied else "restart-busy"
    finally:
        conn.close()


def _wal_stamp(path: str) -> tuple[int, int] | None:
    try:
        status = os.stat(path + "-wal")
    except FileNotFoundError:
        return None
    return status.st_mtime_ns, status.st_size


_process = Checkpoints()


def checkpoints() -> Checkpoints:
    """This process's checkpointer."""
    return _process


os.register_at_fork(after_in_child=_process.forget_after_fork)
