"""The only module that knows psycopg: the connection pool, transactions, retries, errors.

Every store call is one function of a connection, run in one transaction by ``Database.run``.
A transaction that failed before its COMMIT was sent left nothing behind (the server rolled it
back), so it is run again, a bounded number of times, when the cause may pass: a serialization
failure or deadlock, or a connection lost (server restart, failover, administrator). A
connection lost *during* COMMIT leaves the outcome unknown: that is reported as
``StoreUnavailable`` (the caller retries, and the journal's idempotency absorbs a repeat), not
guessed at, unless the call is a read.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.types.string import TextLoader
from psycopg_pool import ConnectionPool, PoolTimeout

from logisync.core.ports import WorkKind
from logisync.errors import StoreBusy, StoreError, StoreUnavailable

T = TypeVar("T")
Connection = psycopg.Connection[tuple[Any, ...]]

WORK_CHANNEL = "logisync_work"
"""NOTIFY channel: a journal append or new deliveries; idle workers LISTEN to it."""

NOTICES: dict[WorkKind, frozenset[str]] = {
    "events": frozenset({"journal"}),
    "deliveries": frozenset({"deliveries"}),
    "any": frozenset({"journal", "deliveries"}),
}
"""The payloads (``notify_work``) that mean work of each kind."""

_LOST = ("57P01", "57P02", "57P03")  # admin shutdown, crash shutdown, cannot connect now


def safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def connection_lost(error: BaseException) -> bool:
    if isinstance(error, PoolTimeout):
        return False
    state = getattr(error, "sqlstate", None) or ""
    if state in _LOST or state.startswith("08"):
        return True
    return isinstance(error, psycopg.OperationalError) and not state


def rolled_back(error: BaseException) -> bool:
    """The server rolled the transaction back to let another one go on (class 40)."""
    return (getattr(error, "sqlstate", None) or "").startswith("40")


def translate(error: psycopg.Error, where: str, *, unsure: bool = False) -> StoreError:
    """Map a driver error to the hub's error tree, keeping the server's words."""
    state = error.sqlstate or ""
    if unsure and connection_lost(error):
        return StoreUnavailable(
            f"the PostgreSQL store at {where} went away while committing, so whether the "
            f"last change was stored is unknown; retry it: {error}"
        )
    if isinstance(error, PoolTimeout) or connection_lost(error):
        return StoreUnavailable(f"the PostgreSQL store at {where} cannot be reached: {error}")
    if rolled_back(error) or state in ("55P03", "57014"):  # lock not available, timeout
        return StoreBusy(f"the PostgreSQL store at {where} is busy: {error}")
    if state[:2] in ("53", "58", "25"):  # out of resources, system error, read-only
        return StoreUnavailable(f"the PostgreSQL store at {where} cannot commit: {error}")
    return StoreError(f"PostgreSQL error: {error}")


def _configure(conn: Connection) -> None:
    # JSON comes back as its text: the row decoders parse it with orjson, as for SQLite.
    conn.adapters.register_loader("json", TextLoader)
    conn.adapters.register_loader("jsonb", TextLoader)


class Database:
    """A pool of connections to one database, and the transaction runner."""

    def __init__(
        self,
        url: str,
        *,
        max_connections: int = 4,
        attempts: int = 4,
        wait_seconds: float = 10.0,
        jitter: random.Random | None = None,
    ) -> None:
        self.url = url
        self.where = safe_url(url)
        self.attempts = attempts
        self._jitter = jitter or random.Random()
        self._pool: ConnectionPool[Connection] = ConnectionPool(
            url,
            min_size=1,
            max_size=max_connections,
            kwargs={
                "autocommit": True,
                "connect_timeout": 5,
                "application_name": "logisync",
                "prepare_threshold": None,
            },
            configure=_configure,
            timeout=wait_seconds,
            open=False,
            name="logisync",
        )
        self._listener: psycopg.Connection[Any] | None = None
        self._listening = threading.Lock()
        self._heard: set[str] = set()  # notices received and not yet answered, by payload
        try:  # one plain connection first: a wrong URL is told at once, in the server's words
            psycopg.connect(url, connect_timeout=min(5, max(1, int(wait_seconds)))).close()
        except psycopg.Error as error:
            raise StoreUnavailable(
                f"cannot connect to the PostgreSQL store at {self.where}: {error}"
            ) from error
        try:
            self._pool.open(wait=True, timeout=wait_seconds)
        except PoolTimeout as error:
            self._pool.close()
            raise StoreUnavailable(
                f"cannot connect to the PostgreSQL store at {self.where} within "
                f"{wait_seconds:g} s: is the server running and the URL right?"
            ) from error

    def run(
        self, work: Callable[[Connection], T], *, transaction: bool = True, read: bool = False
    ) -> T:
        """``work(conn)`` in one transaction (or, ``transaction=False``, statement by statement
        for a read), run again after a transient failure that left nothing behind."""
        for attempt in range(1, self.attempts + 1):
            committing = False
            try:
                with self._pool.connection() as conn:
                    if not transaction:
                        return work(conn)
                    with conn.transaction():
                        result = work(conn)
                        committing = True
                    return result
            except psycopg.Error as error:
                lost = connection_lost(error)
                if lost:
                    self._pool.check()  # a restart kills every idle connection too
                # class 40 is a rollback even at COMMIT; a lost connection is one only before
                retry = rolled_back(error) or (lost and (read or not committing))
                if not retry or attempt == self.attempts:
                    raise translate(error, self.where, unsure=committing and not read) from error
                time.sleep(self._jitter.uniform(0, min(1.0, 0.05 * 2**attempt)))
        raise AssertionError("unreachable")  # pragma: no cover

    def wait_for_work(self, timeout: float, work: WorkKind = "any") -> bool:
        """Block until a NOTIFY of ``work`` on the work channel (from any process) or
        ``timeout`` seconds; True when woken by one. Notices sent between two calls are kept
        for the next, and a notice of the other kind is kept for the next wait for it: a
        processor is not woken by new deliveries, nor a delivery loop by every journal append,
        even when they share this store."""
        wanted = NOTICES[work]
        deadline = time.monotonic() + timeout
        with self._listening:
            try:
                if self._listener is None or self._listener.closed:
                    self._listener = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
                    self._listener.execute(f"LISTEN {WORK_CHANNEL}")
                while not self._heard & wanted:
                    remaining = max(0.0, deadline - time.monotonic())
                    first = list(self._listener.notifies(timeout=remaining, stop_after=1))
                    if not first:
                        return False
                    # a burst of appends sent many: one wake answers all those already received
                    notices = first + list(self._listener.notifies(timeout=0))
                    self._heard.update(notice.payload for notice in notices)
                self._heard -= wanted
                return True
            except psycopg.OperationalError:
                if self._listener is not None:
                    self._listener.close()
                self._listener = None
                time.sleep(timeout)  # the server is away: wait as an idle worker would
                return False

    def close(self) -> None:
        with self._listening:
            if self._listener is not None:
                self._listener.close()
                self._listener = None
        self._pool.close()
