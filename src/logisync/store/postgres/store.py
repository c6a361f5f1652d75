"""``PostgresStore``: the storage port on a PostgreSQL server, for many processes on many
machines.

Each method is one function of a connection run by ``Database.run`` in one transaction, and
run again if a transient failure rolled it back; the functions therefore compute everything
they return from what they read inside the transaction. Journal appends and new deliveries
NOTIFY ``logisync_work``, so idle workers wake at once (``wait_for_work``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

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
from logisync.errors import StoreError, StoreUnavailable
from logisync.store.append_plan import Known, append_results, known_originals, plan_append
from logisync.store.postgres import delivery_work, processing
from logisync.store.postgres.alerts import PostgresAlerts
from logisync.store.postgres.connection import Connection, Database
from logisync.store.postgres.migrations import migrate
from logisync.store.postgres.processing import dumps
from logisync.store.postgres.queries import q
from logisync.store.postgres.reads import PostgresReads
from logisync.store.processing_rows import encode
from logisync.store.rows import json_or_none, source_activity_rows

T = TypeVar("T")


class PostgresStore(PostgresReads, PostgresAlerts):
    """The storage port on one PostgreSQL database, through a small pool of connections."""

    def __init__(
        self,
        url: str,
        *,
        migrate_now: bool = True,
        max_connections: int = 4,
        wait_seconds: float = 10.0,
    ) -> None:
        """``wait_seconds`` bounds the wait for a connection (the server is away: then
        ``StoreUnavailable``)."""
        self.url = url
        self._db = Database(url, max_connections=max_connections, wait_seconds=wait_seconds)
        if migrate_now:
            self.migrate()

    @classmethod
    def from_url(cls, url: str, *, migrate_now: bool = True) -> PostgresStore:
        if not url.startswith(("postgresql://", "postgres://")):
            raise StoreError(f"not a PostgreSQL store URL (postgresql://HOST/DATABASE): {url!r}")
        return cls(url, migrate_now=migrate_now)

    def _write(self, work: Callable[[Connection], T]) -> T:
        return self._db.run(work)

    def _read(self, work: Callable[[Connection], T]) -> T:
        return self._db.run(work, transaction=False, read=True)

    def migrate(self) -> list[str]:
        return self._write(migrate)

    def close(self) -> None:
        self._db.close()

    def wait_for_work(self, timeout: float, work: WorkKind = "any") -> bool:
        return self._db.wait_for_work(timeout, work)

    # -- journal ---------------------------------------------------------------------------
    def append(self, entries: Sequence[NewJournalEntry]) -> list[AppendResult]:
        """Appenders take turns on an advisory lock and number their rows after the last one:
        rows become visible in seq order, which the indexer's cursor relies on, and a repeat
        in a concurrent batch is found, not raced."""
        if not entries:
            return []
        return self._write(lambda conn: _append_in(conn, entries))

    # -- processing ------------------------------------------------------------------------
    def claim_entities(
        self, owner: str, limit: int, lease_seconds: float, now: datetime
    ) -> EntityClaim | None:
        def write(conn: Connection) -> EntityClaim | None:
            processing.index_new_events(conn)
            return processing.claim(conn, owner, limit, lease_seconds, now)

        return self._write(write)

    def load_work(self, claim: EntityClaim, max_events: int) -> list[EntityWork]:
        return self._read(lambda conn: processing.load(conn, claim, max_events))

    def commit_processing(
        self, claim: EntityClaim, results: Sequence[EntityResult], now: datetime
    ) -> None:
        rows = encode(results, processing.dumps)

        def write(conn: Connection) -> None:
            if processing.commit(conn, claim, rows, now):
                conn.execute(q("notify_work"), ("deliveries",))

        self._write(write)

    def release_claim(self, claim: EntityClaim) -> None:
        params = {"keys": list(claim.entity_keys), "token": claim.token}
        self._write(lambda conn: conn.execute(q("release_claim"), params))

    def unpark(self, entity_key: str) -> bool:
        return self._write(
            lambda conn: conn.execute(q("unpark_entity"), (entity_key,)).rowcount == 1
        )

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
        batch = NextBatch(limit, lease_seconds, max_in_flight)
        return self._write(lambda conn: delivery_work.claim(conn, target, owner, batch, now))

    def finish_deliveries(
        self,
        claim: DeliveryClaim,
        outcomes: Sequence[DeliveryOutcome],
        now: datetime,
        next_batch: NextBatch | None = None,
    ) -> DeliveryClaim | None:
        def write(conn: Connection) -> DeliveryClaim | None:
            delivery_work.finish(conn, claim, outcomes, now)
            following = (
                None
                if next_batch is None
                else delivery_work.claim(conn, claim.target, claim.owner, next_batch, now)
            )
            delivery_work.count(conn, claim, outcomes, now)  # shared rows: last
            return following

        return self._write(write)

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
        params = {"id": delivery_id, "now": stamp, "current": current}
        detail = dumps({"delivery": delivery_id, "as": "current" if current else "sent"})
        audit = (stamp, actor, "dlq.replay", f"delivery:{delivery_id}", reason, detail, origin)

        def write(conn: Connection) -> bool:
            if not conn.execute(q("replay_dead_letter"), params).rowcount:
                return False
            conn.execute(q("mark_replayed"), params)
            conn.execute(q("insert_audit_from"), audit)
            conn.execute(q("notify_work"), ("deliveries",))
            return True

        return self._write(write)

    def redrive(
        self, target: str, *, domain: str | None, actor: str, reason: str, now: datetime
    ) -> int:
        stamp = utc_text(now)

        def write(conn: Connection) -> int:
            params = {"target": target, "domain": domain, "now": stamp}
            queued = conn.execute(q("redrive_target"), params).rowcount
            detail = dumps({"domain": domain, "queued": queued})
            audit = (stamp, actor, "redrive", f"target:{target}", reason, detail)
            conn.execute(q("insert_audit"), audit)
            if queued:
                conn.execute(q("notify_work"), ("deliveries",))
            return queued

        return self._write(write)

    def prune_delivery_minutes(self, before: str, *, limit: int) -> int:
        params = {"before": before[:16], "limit": limit}
        return self._write(lambda conn: conn.execute(q("prune_delivery_minutes"), params).rowcount)

    def record_audit(self, entries: Sequence[AuditEntry]) -> None:
        rows = [_audit_row(e) for e in entries]
        if rows:
            self._write(lambda conn: conn.cursor().executemany(q("insert_audit_from"), rows))

    # -- API keys and dashboard accounts ---------------------------------------------------
    def save_api_keys(self, keys: Sequence[ApiKey], audit: AuditEntry) -> None:
        def write(conn: Connection) -> None:
            if keys:
                conn.cursor().executemany(q("save_api_key"), [_key_row(k) for k in keys])
            conn.execute(q("insert_audit_from"), _audit_row(audit))

        self._write(write)

    def save_dashboard_user(self, user: DashboardUser, audit: AuditEntry) -> None:
        row = (user.name, user.role, user.password_hash, user.created_at, user.disabled_at)

        def write(conn: Connection) -> None:
            conn.execute(q("save_dashboard_user"), row)
            conn.execute(q("insert_audit_from"), _audit_row(audit))

        self._write(write)

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
        audit = AuditEntry(
            utc_text(now),
            actor,
            f"conflict.{'accept' if accept else 'reject'}",
            f"conflict:{conflict_id}",
            reason,
            {"conflict": conflict_id, "state": state},
            origin,
        )

        decided = {"id": conflict_id, "state": state, "actor": actor, "now": utc_text(now)}

        def write(conn: Connection) -> bool:
            if not conn.execute(q("decide_conflict"), decided).rowcount:
                return False
            if journal is not None:
                _append_in(conn, [journal])
            conn.execute(q("insert_audit_from"), _audit_row(audit))
            return True

        return self._write(write)

    # -- sources, EDI, targets -------------------------------------------------------------
    def save_source_cursor(self, source: str, stream: str, position: dict[str, Any]) -> None:
        row = (source, stream, dumps(position), utc_text(datetime.now(UTC)))
        self._write(lambda conn: conn.execute(q("save_source_cursor"), row))

    def record_control_number(
        self, partner: str, standard: str, level: str, number: int, digest: str
    ) -> ReceivedControlNumber:
        key = (partner, standard, level)
        stamp = utc_text(datetime.now(UTC))

        def write(conn: Connection) -> ReceivedControlNumber:
            first = conn.execute(q("received_control_number"), (*key, number)).fetchone()
            highest = _scalar(conn, "highest_received_control_number", key)
            conn.execute(q("record_received_control_number"), (*key, number, digest, stamp))
            return ReceivedControlNumber(None if first is None else str(first[0]), highest)

        return self._write(write)

    def next_control_number(self, partner: str, standard: str, level: str) -> int:
        key = (partner, standard, level)
        return self._write(lambda conn: int(_scalar(conn, "take_outbound_control_number", key)))

    def update_target_state(
        self, target: str, change: Callable[[dict[str, Any] | None], tuple[dict[str, Any], T]]
    ) -> T:
        def write(conn: Connection) -> T:
            conn.execute(q("lock_target_state"), (target,))
            row = conn.execute(q("target_state"), (target,)).fetchone()
            current = (
                None
                if row is None
                else {"bucket": json_or_none(row[0]), "breaker": json_or_none(row[1])}
            )
            new, answer = change(current)
            saved = (
                target,
                dumps(new.get("bucket")),
                dumps(new.get("breaker")),
                utc_text(datetime.now(UTC)),
            )
            conn.execute(q("save_target_state"), saved)
            return answer

        return self._write(write)

    def check_writable(self) -> None:
        if not self._write(lambda conn: _scalar(conn, "writable")):
            raise StoreUnavailable(
                f"the PostgreSQL store at {self._db.where} is read-only (a standby, or "
                "default_transaction_read_only): writes would fail"
            )

    # -- crosswalk -------------------------------------------------------------------------
    def link(self, links: Sequence[CrosswalkLink]) -> list[CrosswalkLink]:
        now = utc_text(datetime.now(UTC))

        def write(conn: Connection) -> list[CrosswalkLink]:
            clashes = []
            for link in links:
                conn.execute(
                    q("insert_link"), (link.system, link.external_id, link.entity_key, now)
                )
                owner = _scalar(conn, "find_link", (link.system, link.external_id))
                if owner != link.entity_key:
                    clashes.append(CrosswalkLink(link.system, link.external_id, owner))
            return clashes

        return self._write(write)


def _scalar(conn: Connection, query: str, params: Any = None) -> Any:
    row = conn.execute(q(query), params).fetchone()
    if row is None:
        raise StoreUnavailable(f"the query {query} returned no row")
    return row[0]


def _append_in(conn: Connection, entries: Sequence[NewJournalEntry]) -> list[AppendResult]:
    """``append`` inside the caller's write transaction."""
    conn.execute(q("lock_journal"))
    plan, fresh = plan_append(entries, _known(conn, entries))
    before = _scalar(conn, "journal_max_seq")
    if fresh:
        rows = [
            (before + n, *e[:11], e.data.decode(), e.raw, *e[13:]) for n, e in enumerate(fresh, 1)
        ]
        conn.execute(q("insert_journal"), [list(c) for c in zip(*rows, strict=True)])
        conn.cursor().executemany(q("note_source_activity"), source_activity_rows(fresh, before))
        conn.execute(q("notify_work"), ("journal",))
    return append_results(entries, plan, fresh, range(before + 1, before + len(fresh) + 1))


def _known(conn: Connection, entries: Sequence[NewJournalEntry]) -> Known:
    """The stored events that entries repeat: by idempotency key, and by (source, id)."""
    keys = [e.idempotency_key for e in entries if e.idempotency_key]
    by_key = conn.execute(q("find_duplicates"), {"keys": keys}).fetchall() if keys else []
    pairs = {"sources": [e.source for e in entries], "ids": [e.event_id for e in entries]}
    return known_originals(by_key, conn.execute(q("find_source_ids"), pairs).fetchall())


def _audit_row(entry: AuditEntry) -> tuple[Any, ...]:
    detail = None if entry.detail is None else dumps(entry.detail)
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
