"""One queue of writers per database file in this process, in front of SQLite's write lock.

SQLite lets one writer in at a time. A connection that finds the lock taken waits in SQLite's
busy handler, which sleeps in growing steps (1, 2, 5, 10 ... 100 ms) and does not notice when
the lock is freed: with three busy writers (intake, processor, deliverer) a waiter can sleep
through a whole string of short transactions, up to a third of a second, while the lock sits
free. Writers of one process therefore first queue on a threading lock per file, which wakes
the next one the moment the previous one commits. Writers in other processes still meet at
SQLite's lock and its busy handler: correctness never depends on this queue.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from logisync.errors import StoreBusy

_queues: dict[str, threading.RLock] = {}
_queues_guard = threading.Lock()


def writer_queue(path: str) -> threading.RLock:
    """The queue of this process's writers to the database file at ``path``; every in-memory
    database is a database of its own, with a queue of its own."""
    if path == ":memory:":
        return threading.RLock()
    key = os.path.realpath(path)
    with _queues_guard:
        queue = _queues.get(key)
        if queue is None:
            queue = _queues[key] = threading.RLock()
        return queue


@contextmanager
def turn_to_write(queue: threading.RLock, timeout_seconds: float) -> Iterator[None]:
    """Wait for this process's earlier writers to the same file, at most ``timeout_seconds``
    (the store's busy timeout), then raise ``StoreBusy`` as SQLite's own wait would."""
    if not queue.acquire(timeout=timeout_seconds):
        raise StoreBusy(
            f"the SQLite store is busy: another writer in this process held it for more than "
            f"{timeout_seconds:g} s"
        )
    try:
        yield
    finally:
        queue.release()


def _forget_queues_in_child() -> None:
    # A fork copies the locks as they were, possibly held by a thread that does not exist in
    # the child: the child starts with fresh, free queues.
    global _queues, _queues_guard
    _queues, _queues_guard = {}, threading.Lock()


os.register_at_fork(after_in_child=_forget_queues_in_child)
