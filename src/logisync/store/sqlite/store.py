"""``SqliteStore``: the embedded backend of the storage port, one file, no server."""

from __future__ import annotations

import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import orjson

from logisync.core.accounts import DashboardUser
from logisync.core.clock import utc_text
from logisync.core.keys import ApiKey
from logisync.core.ports import (
    AppendResult,
    AuditEntry,
    CrosswalkLink,
    DeliveryClaim,
    DeliveryOutcome,
    EntityClaim,
    EntityResult,
    EntityWork,
    NewJournalEntry,
    NextBatch,
    ReceivedControlNumber,
    WorkKind,
)
from logisync.errors import StoreError
from logisync.store.append_plan import Known, append_results, known_originals, plan_append
from logisync.store.processing_rows import encode
from logisync.store.rows import json_or_none, source_activity_rows
from logisync.store.sqlite import delivery_work, processing
from logisync.store.sqlite.alerts import SqliteAlerts
from logisync.store.sqlite.checkpoints import checkpoints
from logisync.store.sqlite.connection import connect, reading, transaction
from logisync.store.sqlite.migrations import migrate
from logisync.store.sqlite.queries import q
from logisync.store.sqlite.reads import SqliteReads
from logisync.store.sqlite.writer_queue import turn_to_write, writer_queue

T = TypeVar("T")


MAX_BUSY_TIMEOUT_MS = 50_000
"""A write may wait this long for the writers' file lock and then as long again for SQLite's
(a writer that does not take the file lock, the ``sqlite3`` shell): both stay below the
journal writer process's commit timeout (120 s), so a busy store is answered as busy."""


def sqlite_target(url: str) -> tuple[str, int]:
    """The file and busy timeout of ``sqlite:///PATH[?busy_timeout_ms=N]``: how long a write
    waits for another writer before it fails as busy (default 10,000 ms, at most 50,000)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        raise StoreError(f"not an SQLite store URL (expected {prefix}PATH): {url!r}")
    path, _, query = url[len(prefix) :].partition("?")
    if not query:
        return path, 10_000
    options = parse_qsl(query, keep_blank_values=True)
    names = [name for name, _ in options]
    value = options[0][1] if names == ["busy_timeout_ms"] else ""
    number = value.isascii() and value.isdigit() and len(value) <= 9  # int() limits digits
    if not (number and int(value) <= MAX_BUSY_TIMEOUT_MS):
        raise StoreError(
            f"SQLite store URL {url!r}: after '?' the one option is busy_timeout_ms=N, "
            f"0 <= N <= {MAX_BUSY_TIMEOUT_MS:,} milliseconds (a '?' in a file name is not "
            "supported)"
        )
    return path, int(value)


class SqliteStore(SqliteReads, SqliteAlerts):
    """The storage port on one SQLite file in WAL mode.

    One connection per instance, guarded by a lock so that threads of one process may share
    it; several processes may open the same file (SQLite serialises their writers, and the
    claim checks in every commit keep their work apart). Writers of one process to one file
    take turns in a queue of their own (see ``writer_queue``); ``busy_timeout_ms`` bounds the
    wait for a turn, in that queue and at SQLite's lock alike.
    """

    def __init__(
        self, path: str | Path, *, migrate_now: bool = True, busy_timeout_ms: int = 10_000
    ) -> None:
        self.path = str(path)
        self._conn = connect(self.path, busy_timeout_ms)
        # checkpointed in the background while open (see checkpoints.py); a store dropped
        # without close() stops being checkpointed when it is collected
        self._stop_checkpoints = weakref.finalize(
            self, checkpoints().open(self.path) if self.path != ":memory:" else _nothing
        )
        self._lock = threading.RLock()
        self._writers = writer_queue(self.path)
        self._busy_timeout_seconds = busy_timeout_ms / 1000
        if migrate_now:
            self.migrate()
        self._data_version = self._conn.execute("PRAGMA data_version").fetchone()[0]

    @classmethod
    def from_url(cls, url: str, *, migrate_now: bool = True) -> SqliteStore:
        path, busy_timeout_ms = sqlite_target(url)
        return cls(path, migrate_now=migrate_now, busy_timeout_ms=busy_timeout_ms)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with (
            self._lock,
            turn_to_write(self._writers, self._busy_timeout_seconds),
            transaction(self._conn) as conn,
        ):
            yield conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, reading(self._conn) as conn:
            yield conn

    def migrate(self) -> list[str]:
        with self._lock, turn_to_write(self._writers, self._busy_timeout_seconds):
            return migrate(self._conn)

    def close(self) -> None:
        self._stop_checkpoints()
        with self._lock:
            self._conn.close()

    def wait_for_work(self, timeout: float, work: WorkKind = "any") -> bool:
        """SQLite cannot notify: poll the file's change counter (``PRAGMA data_version`` moves
        when another connection commits) every few milliseconds, at most ``timeout`` seconds.
        A change since the previous call counts, so nothing committed in between is missed.
        Any commit counts, whatever ``work`` asks for: the counter does not say what changed."""
        deadline = time.monotonic() + timeout
        while True:
            with self._read() as conn:
                version = conn.execute("PRAGMA data_version").fetchone()[0]
            if version != self._data_version:
                self._data_version = version
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(0.005, max(0.0, deadline - time.monotonic())))

    # -- journal ---------------------------------------------------------------------------
    def append(self, entries: Sequence[NewJournalEntry]) -> list[AppendResult]:
        if not entries:
            return []
        with self._write() as conn:
            return self._append_in(conn, entries)

    def _append_in(
        self, conn: sqlite3.Connection, entries: Sequence[NewJournalEntry]
    ) -> list[AppendResult]:
        """``append`` inside the caller's write transaction."""
        all_new = self._append_if_all_new(conn, entries)
        if all_new is not None:
            return all_new
        plan, fresh = plan_append(entries, self._known(conn, entries))
        return append_results(entries, plan, fresh, self._insert(conn, fresh))

    def _append_if_all_new(
        self, conn: sqlite3.Connection, entries: Sequence[NewJournalEntry]
    ) -> list[AppendResult] | None:
        """Insert the batch in one statement when none of it is a repeat (the usual case);
        otherwise undo and return ``None`` so that the caller sorts out the repeats."""
        before = conn.execute("SELECT coalesce(max(seq), 0) FROM journal").fetchone()[0]
        conn.execute("SAVEPOINT all_new")
        inserted = conn.executemany(q("insert_journal_if_new"), map(tuple, entries)).rowcount
        if inserted != len(entries):
            conn.execute("ROLLBACK TO all_new")
            conn.execute("RELEASE all_new")
            return None
        conn.execute("RELEASE all_new")
        seqs = self._after_insert(conn, entries, before)
        return [AppendResult(e.event_id, seq, False) for e, seq in zip(entries, seqs, strict=True)]

    def _known(self, conn: sqlite3.Connection, entries: Sequence[NewJournalEntry]) -> Known:
        keys = orjson.dumps([e.idempotency_key for e in entries if e.idempotency_key]).decode()
        pairs = orjson.dumps([[e.source, e.event_id] for e in entries]).decode()
        return known_originals(
            conn.execute(q("find_duplicates"), {"keys": keys}).fetchall(),
            conn.execute(q("find_source_ids"), {"pairs": pairs}).fetchall(),
        )

    def _insert(self, conn: sqlite3.Connection, fresh: list[NewJournalEntry]) -> list[int]:
        if not fresh:
            return []
        before = conn.execute("SELECT coalesce(max(seq), 0) FROM journal").fetchone()[0]
        conn.executemany(q("insert_journal"), map(tuple, fresh))
        return self._after_insert(conn, fresh, before)

    def _after_insert(
        self, conn: sqlite3.Connection, fresh: Sequence[NewJournalEntry], before: int
    ) -> list[int]:
        last = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
        if last != before + len(fresh):
            raise StoreError("journal sequence numbers were not consecutive; batch rolled back")
        conn.executemany(q("note_source_activity"), source_activity_rows(fresh, before))
        return list(range(before + 1, last + 1))

    # -- processing ------------------------------------------------------------------------
    def claim_entities(
        self, owner: str, limit: int, lease_seconds: float, now: datetime
    ) -> EntityClaim | None:
        with self._read() as conn:
            if not processing.anything_to_claim(conn, now):
                return None
        with self._write() as conn:
            processing.index_new_events(conn)
            return processing.claim(conn, owner, limit, lease_seconds, now)

    def load_work(self, claim: EntityClaim, max_events: int) -> list[EntityWork]:
        with self._read() as conn:
            return processing.load(conn, claim, max_events)

    def commit_processing(
        self, claim: EntityClaim, results: Sequence[EntityResult], now: datetime
    ) -> None:
        rows = encode(results, orjson.dumps)  # before the write lock: other writers go on meanwhile
        with self._write() as conn:
            processing.commit(conn, claim, rows, now)

    def release_claim(self, claim: EntityClaim) -> None:
        with self._write() as conn:
            keys = orjson.dumps(claim.entity_keys).decode()
            conn.execute(q("release_claim"), {"keys": keys, "token": claim.token})

    def unpark(self, entity_key: str) -> bool:
        with self._write() as conn:
            return conn.execute(q("unpark_entity"), (entity_key,)).rowcount == 1

    # -- deliveries --------------------------------------------------------------------------
    def claim_deliveries(
        self,
        target: str,
        owner: str,
        limit: int,
        lease_seconds: float,
        now: datetime,
        max_in_flight: int | None = None,
    ) -> DeliveryClaim | None:
        with self._write() as conn:
            return delivery_work.claim(
                conn, target, owner, NextBatch(limit, lease_seconds, max_in_flight), now
            )

    def finish_deliveries(
        self,
        claim: DeliveryClaim,
        outcomes: Sequence[DeliveryOutcome],
        now: datetime,
        next_batch: NextBatch | None = None,
    ) -> DeliveryClaim | None:
        with self._write() as conn:
            delivery_work.finish(conn, claim, outcomes, now)
            if next_batch is None:
                return None
            return delivery_work.claim(conn, claim.target, claim.owner, next_batch, now)

    def replay_dead_letter(
        self,
        delivery_id: int,
        *,
        current: bool,
        actor: str,
        reason: str,
        now: datetime,
        origin: str | None = None,
    ) -> bool:
        stamp = utc_text(now)
        with self._write() as conn:
            replayed = conn.execute(
                q("replay_dead_letter"), {"id": delivery_id, "now": stamp, "current": current}
            ).rowcount
            if not replayed:
                return False
            conn.execute(q("mark_replayed"), {"id": delivery_id, "now": stamp})
            detail = orjson.dumps({"delivery": delivery_id, "as": "current" if current else "sent"})
            conn.execute(
                q("insert_audit_from"),
                (stamp, actor, "dlq.replay", f"delivery:{delivery_id}", reason, detail, origin),
            )
        return True

    def redrive(
        self, target: str, *, domain: str | None, actor: str, reason: str, now: datetime
    ) -> int:
        stamp = utc_text(now)
        with self._write() as conn:
            queued = conn.execute(
                q("redrive_target"), {"target": target, "domain": domain, "now": stamp}
            ).rowcount
            detail = orjson.dumps({"domain": domain, "queued": queued})
            conn.execute(
                q("insert_audit"), (stamp, actor, "redrive", f"target:{target}", reason, detail)
            )
        return queued

    def prune_delivery_minutes(self, before: str, *, limit: int) -> int:
        with self._write() as conn:
            params = {"before": before[:16], "limit": limit}
            return int(conn.execute(q("prune_delivery_minutes"), params).rowcount)

    def record_audit(self, entries: Sequence[AuditEntry]) -> None:
        with self._write() as conn:
            conn.executemany(q("insert_audit_from"), [_audit_row(e) for e in entries])

    # -- API keys --------------------------------------------------------------------------
    def save_api_keys(self, keys: Sequence[ApiKey], audit: AuditEntry) -> None:
        with self._write() as conn:
            conn.executemany(q("save_api_key"), [_key_row(k) for k in keys])
            conn.execute(q("insert_audit_from"), _audit_row(audit))

    # -- dashboard -------------------------------------------------------------------------
    def save_dashboard_user(self, user: DashboardUser, audit: AuditEntry) -> None:
        row = (user.name, user.role, user.password_hash, user.created_at, user.disabled_at)
        with self._write() as conn:
            conn.execute(q("save_dashboard_user"), row)
            conn.execute(q("insert_audit_from"), _audit_row(audit))

    def decide_conflict(
        self,
        conflict_id: int,
        *,
        accept: bool,
        actor: str,
        reason: str,
        now: datetime,
        origin: str | None = None,
        journal: NewJournalEntry | None = None,
    ) -> bool:
        state = "accepted" if accept else "rejected"
        with self._write() as conn:
            decided = {"id": conflict_id, "state": state, "actor": actor, "now": utc_text(now)}
            if not conn.execute(q("decide_conflict"), decided).rowcount:
                return False
            if journal is not None:
                self._append_in(conn, [journal])
            audit = AuditEntry(
                utc_text(now),
                actor,
                f"conflict.{'accept' if accept else 'reject'}",
                f"conflict:{conflict_id}",
                reason,
                {"conflict": conflict_id, "state": state},
                origin,
            )
            conn.execute(q("insert_audit_from"), _audit_row(audit))
        return True

    def save_source_cursor(self, source: str, stream: str, position: dict[str, Any]) -> None:
        stamp = utc_text(datetime.now(UTC))
        with self._write() as conn:
            conn.execute(q("save_source_cursor"), (source, stream, orjson.dumps(position), stamp))

    def record_control_number(
        self, partner: str, standard: str, level: str, number: int, digest: str
    ) -> ReceivedControlNumber:
        key = (partner, standard, level)
        stamp = utc_text(datetime.now(UTC))
        with self._write() as conn:
            first = conn.execute(q("received_control_number"), (*key, number)).fetchone()
            highest = conn.execute(q("highest_received_control_number"), key).fetchone()[0]
            conn.execute(q("record_received_control_number"), (*key, number, digest, stamp))
        return ReceivedControlNumber(None if first is None else str(first[0]), highest)

    def next_control_number(self, partner: str, standard: str, level: str) -> int:
        with self._write() as conn:
            row = conn.execute(q("take_outbound_control_number"), (partner, standard, level))
            return int(row.fetchone()[0])

    def update_target_state(
        self, target: str, change: Callable[[dict[str, Any] | None], tuple[dict[str, Any], T]]
    ) -> T:
        with self._write() as conn:
            row = conn.execute(q("target_state"), (target,)).fetchone()
            current = (
                None
                if row is None
                else {"bucket": json_or_none(row[0]), "breaker": json_or_none(row[1])}
            )
            new, answer = change(current)
            conn.execute(
                q("save_target_state"),
                (
                    target,
                    orjson.dumps(new.get("bucket")),
                    orjson.dumps(new.get("breaker")),
                    utc_text(datetime.now(UTC)),
                ),
            )
        return answer

    def check_writable(self) -> None:
        with self._write() as conn:
            conn.execute(q("journal_indexed_upto")).fetchone()

    # -- crosswalk -------------------------------------------------------------------------
    def link(self, links: Sequence[CrosswalkLink]) -> list[CrosswalkLink]:
        now = utc_text(datetime.now(UTC))
        clashes = []
        with self._write() as conn:
            for link in links:
                conn.execute(
                    q("insert_link"), (link.system, link.external_id, link.entity_key, now)
                )
                owner = conn.execute(q("find_link"), (link.system, link.external_id)).fetchone()[0]
                if owner != link.entity_key:
                    clashes.append(CrosswalkLink(link.system, link.external_id, owner))
        return clashes


def _audit_row(entry: AuditEntry) -> tuple[Any, ...]:
    detail = None if entry.detail is None else orjson.dumps(entry.detail)
    return (entry.at, entry.actor, entry.action, entry.subject, entry.reason, detail, entry.origin)


def _key_row(key: ApiKey) -> tuple[Any, ...]:
    return (
        key.key_id,
        key.system,
        " ".join(sorted(key.scopes)),
        " ".join(key.event_types),
        key.secret_hash,
        key.label,
        key.created_at,
        key.expires_at,
        key.revoked_at,
        key.replaces,
        key.rate_limit,
    )


def _nothing() -> None:
    """An in-memory database has no WAL to checkpoint."""
