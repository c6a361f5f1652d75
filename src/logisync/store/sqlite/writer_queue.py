"""One queue of writers per database file, in front of SQLite's write lock.

SQLite lets one writer in at a time. A connection that finds the lock taken waits in SQLite's
busy handler, which sleeps in growing steps (1, 2, 5, 10 ... 100 ms) and does not notice when
the lock is freed: with three busy writers (intake, processor, deliverer) a waiter can sleep
through a whole string of short transactions, up to a third of a second, while the lock sits
free. Writers of one process therefore first queue on a threading lock per file, which wakes
the next one the moment the previous one commits. Writers of other processes (a worker's
processor and deliveries processes, the API's journal writer) then meet at an advisory lock
on a file beside the database (``<database>-writers``), polled every 50 µs to 1 ms: the lock
changes hands within a millisecond instead of SQLite's 1-100 ms (``bench/queue_compare.py``
on SQLite: 21.7-22.2k -> 22.5-22.9k events/s). Correctness never depends on either queue:
SQLite's own lock still decides, a process that does not take part (the ``sqlite3`` shell)
only waits longer, and a lock file that cannot be opened leaves the turn to SQLite alone.

The lock file is opened for each turn and closed after it (a few µs against a commit's
hundreds): no descriptor stays open per database a process has ever touched, and a closed
descriptor is a released lock, whatever happened in between.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from logisync.errors import StoreBusy

FIRST_POLL_SECONDS = 0.00005
LAST_POLL_SECONDS = 0.001


class WriterQueue:
    """This process's writers to one database file: a reentrant lock for its threads, and the
    file lock shared with other processes, taken by the outermost turn only."""

    def __init__(self, lock_path: str | None) -> None:
        self.threads = threading.RLock()
        self.lock_path = lock_path
        self.depth = 0  # turns held by the thread that holds ``threads`` (it is reentrant)
        self.held: int | None = None  # the lock file's descriptor while a turn holds it


_queues: dict[str, WriterQueue] = {}
_queues_guard = threading.Lock()


def writer_queue(path: str) -> WriterQueue:
    """The queue of this process's writers to the database file at ``path``; every in-memory
    database is a database of its own, with a queue of its own."""
    if path == ":memory:":
        return WriterQueue(None)
    key = os.path.realpath(path)
    with _queues_guard:
        queue = _queues.get(key)
        if queue is None:
            queue = _queues[key] = WriterQueue(key + "-writers")
        return queue


@contextmanager
def turn_to_write(queue: WriterQueue, timeout_seconds: float) -> Iterator[None]:
    """Wait for the earlier writers to the same file, this process's and then other
    processes', at most ``timeout_seconds`` (the store's busy timeout), then raise
    ``StoreBusy`` as SQLite's own wait would."""
    deadline = time.monotonic() + timeout_seconds
    if not queue.threads.acquire(timeout=timeout_seconds):
        raise StoreBusy(
            f"the SQLite store is busy: another writer in this process held it for more than "
            f"{timeout_seconds:g} s"
        )
    try:
        if queue.depth == 0 and queue.lock_path is not None:
            queue.held = _lock_file(queue.lock_path, deadline, timeout_seconds)
        queue.depth += 1
        try:
            yield
        finally:
            queue.depth -= 1
            if queue.depth == 0 and queue.held is not None:
                held, queue.held = queue.held, None
                os.close(held)  # releases the lock
    finally:
        queue.threads.release()


def _lock_file(path: str, deadline: float, timeout_seconds: float) -> int | None:
    """The locked descriptor, or None when the file cannot be opened (SQLite's lock alone).
    Polled, not blocking: a blocking ``flock`` has no timeout, and a holder that hangs must
    end in ``StoreBusy`` here as it would in SQLite's wait."""
    fd = _open(path)
    if fd is None:
        return None
    pause = FIRST_POLL_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StoreBusy(
                    "the SQLite store is busy: a writer in another process held it for more "
                    f"than {timeout_seconds:g} s"
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, LAST_POLL_SECONDS)
        except OSError:  # a file system without flock: SQLite's lock alone
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise


def _open(path: str) -> int | None:
    """Read-write, created as the umask allows (processes of other users share it, as they
    share the database); read-only if another user created it without write access for us
    (``flock`` needs no write access); None if neither (a read-only folder)."""
    for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY):
        with contextlib.suppress(OSError):
            return os.open(path, flags | os.O_CLOEXEC, 0o666)
    return None


def _forget_queues_in_child() -> None:
    # A fork copies the locks as they were, possibly held by a thread that does not exist in
    # the child: the child starts with fresh, free queues. It closes its copy of a lock file
    # held at the fork: a file lock belongs to the open file, so that copy would keep the
    # parent's turn held after the parent ended it, or died.
    global _queues, _queues_guard
    for queue in _queues.values():
        if queue.held is not None:
            with contextlib.suppress(OSError):
                os.close(queue.held)
            queue.held = None
    _queues, _queues_guard = {}, threading.Lock()


os.register_at_fork(after_in_child=_forget_queues_in_child)
