"""The only module that knows the ``sqlite3`` driver: connections, transactions, errors.

Durability settings: WAL with ``synchronous=FULL``, so a commit that returned survives a power
cut, not only a process crash. Every write transaction starts with ``BEGIN IMMEDIATE``: the
write lock is taken up front, so a transaction never fails half-way for lack of it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from logisync.errors import StoreBusy, StoreError, StoreUnavailable
from logisync.store.sqlite.checkpoints import BACKSTOP_PAGES

_BUSY = ("database is locked", "database table is locked", "busy")
_UNAVAILABLE = (
    "disk is full",
    "disk i/o error",
    "unable to open",
    "readonly",
    "no space",
    "closed database",
)


def translate(error: sqlite3.Error) -> StoreError:
    """Map a driver error to the hub's error tree, keeping the driver's words."""
    text = str(error).lower()
    if any(marker in text for marker in _BUSY):
        return StoreBusy(f"the SQLite store is busy (another writer holds it): {error}")
    if any(marker in text for marker in _UNAVAILABLE) or (
        isinstance(error, sqlite3.DatabaseError) and ("malformed" in text)
    ):
        return StoreUnavailable(f"the SQLite store cannot commit: {error}")
    return StoreError(f"SQLite error: {error}")


def connect(path: str | Path, busy_timeout_ms: int = 10_000) -> sqlite3.Connection:
    """Open a connection in autocommit mode; transactions are explicit (see ``transaction``)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        _enable_wal(conn, busy_timeout_ms)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB of page cache
        conn.execute("PRAGMA temp_store = MEMORY")
        # Checkpoints run in the background (checkpoints.py); SQLite's own, inside a commit,
        # only past ~80 MB of WAL, should that thread fall behind.
        conn.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}")
    except sqlite3.Error as error:
        raise translate(error) from error
    return conn


def _enable_wal(conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """Switch to WAL, waiting for other openers: this pragma ignores the busy timeout."""
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: committed on success, rolled back on any error."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        raise translate(error) from error
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as error:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error as failed:  # e.g. the disk went away: report the cause
                raise translate(failed) from error
        if isinstance(error, sqlite3.Error):
            raise translate(error) from error
        raise


@contextmanager
def reading(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Reads translate driver errors too."""
    try:
        yield conn
    except sqlite3.Error as error:
        raise translate(error) from error
