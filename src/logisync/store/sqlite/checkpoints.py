"""WAL checkpoints off the writers' path: one background thread per process, for every open
database file.

SQLite's automatic checkpoint runs inside the commit that crosses its threshold: that commit
copies tens of MB of WAL back into the database file and fsyncs it while every writer waits
(batch intake of 100k events: p99 150 ms with it, 33 ms without any checkpoint;
``bench/intake.py --batch-events 100000``). Here a thread runs a PASSIVE checkpoint of each
open file at most once per ``INTERVAL_SECONDS`` when the WAL changed since its last one.
PASSIVE takes no write lock, so commits go on meanwhile, and the copying runs in SQLite's C
code, off the GIL, on a core the writers leave idle. The connections keep SQLite's automatic
checkpoint at ``BACKSTOP_PAGES`` in case this thread falls behind; a checkpoint that fails
(busy, disk full) is logged and tried again at the next tick, and the WAL keeps every commit
meanwhile: nothing is lost, the file only grows.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 1.0
BACKSTOP_PAGES = 40_000
"""The connections' own automatic checkpoint (4 KiB pages: ~160 MB of WAL), as a backstop."""


@dataclass
class _File:
    users: int = 0
    wal_stamp: tuple[int, int] | None = None  # (mtime_ns, size) of the WAL at the last check


class Checkpoints:
    """The files this process has open and the thread that checkpoints them."""

    def __init__(
        self,
        interval_seconds: float = INTERVAL_SECONDS,
        checkpoint: Callable[[str], None] | None = None,
    ) -> None:
        self.interval_seconds = interval_seconds
        self.checkpoint = checkpoint or checkpoint_passive
        self.failures = 0
        self.runs = 0
        self._files: dict[str, _File] = {}
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None

    def open(self, path: str) -> Callable[[], None]:
        """Checkpoint ``path`` until the returned release is called (once per open)."""
        key = os.path.realpath(path)
        with self._guard:
            self._files.setdefault(key, _File()).users += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sqlite-checkpoints", daemon=True
                )
                self._thread.start()
        released = threading.Event()

        def release() -> None:
            if released.is_set():
                return
            released.set()
            with self._guard:
                entry = self._files.get(key)
                if entry is not None:
                    entry.users -= 1
                    if entry.users <= 0:
                        del self._files[key]

        return release

    def tick(self) -> None:
        """Checkpoint every open file whose WAL changed since the last tick."""
        with self._guard:
            files = list(self._files.items())
        for path, entry in files:
            stamp = _wal_stamp(path)
            if stamp is None or stamp == entry.wal_stamp:
                continue
            try:
                self.checkpoint(path)
                self.runs += 1
            except Exception as error:
                self.failures += 1
                log.warning("WAL checkpoint of %s failed, retried next time: %s", path, error)
                continue
            entry.wal_stamp = _wal_stamp(path)

    def _run(self) -> None:
        while True:
            time.sleep(self.interval_seconds)
            self.tick()


def checkpoint_passive(path: str) -> None:
    """One PASSIVE checkpoint of ``path`` on a connection of its own, closed at once (no file
    descriptor stays open between checkpoints; the store's own connection keeps the database
    open, so closing this one never ends the WAL)."""
    conn = sqlite3.connect(path, timeout=1.0, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
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


def _forget_thread_in_child() -> None:
    # a fork copies neither the thread nor a free lock: the child starts its own on next open
    _process._thread, _process._guard = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_thread_in_child)
