"""The reads of the PostgreSQL store: one query each (a few for ``received_per_minute``), on
a pooled connection, outside any transaction; retried once a lost connection comes back
(see ``Database.run``). Rows are decoded as SQLite's are: same columns, JSON as text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import orjson

from logisync.core.accounts import DashboardUser
from logisync.core.keys import ApiKey
from logisync.core.ports import (
    AuditEntry,
    ConflictRecord,
    CrosswalkLink,
    DeadLetter,
    DeliveryRecord,
    JournalRecord,
    LatencyHistogram,
    OrderStageCount,
    ParkedEntity,
    ProcessedEvent,
    Projection,
    SourceActivity,
    SourceCursor,
    SourceMinute,
    StageCount,
    StoreCounts,
    TargetHealth,
    TargetMinute,
)
from logisync.store.postgres import order_stages
from logisync.store.postgres.connection import Connection
from logisync.store.postgres.queries import q
from logisync.store.rows import (
    api_key_from_row,
    audit_from_row,
    conflict_from_row,
    domain_range,
    processed_from_row,
    projection_from_row,
    record_from_row,
)

T = TypeVar("T")
Rows = list[tuple[Any, ...]]


class PostgresReads:
    """The read half of ``PostgresStore``, which provides ``_read``."""

    def _read(self, work: Callable[[Connection], T]) -> T:
        raise NotImplementedError

    def _all(self, query: str, params: Any = None) -> Rows:
        return self._read(lambda conn: conn.execute(q(query), params).fetchall())

    def _one(self, query: str, params: Any = None) -> tuple[Any, ...] | None:
        return self._read(lambda conn: conn.execute(q(query), params).fetchone())

    # -- journal -------------------------------------------------------------------------------
    def get_event(self, event_id: str, source: str) -> JournalRecord | None:
        row = self._one("get_event_by_source_id", (source, event_id))
        return record_from_row(row) if row else None

    def events_with_id(self, event_id: str) -> list[JournalRecord]:
        return [record_from_row(row) for row in self._all("events_with_id", (event_id,))]

    def events_for(self, entity_key: str) -> list[JournalRecord]:
        return self.events_for_entities((entity_key,))

    def events_for_entities(self, entity_keys: Sequence[str]) -> list[JournalRecord]:
        rows = self._all("events_for_entities", {"keys": list(entity_keys)})
        return [record_from_row(row) for row in rows]

    def events_for_correlation(self, correlation_id: str) -> list[JournalRecord]:
        rows = self._all("events_for_correlation", {"cid": correlation_id})
        return [record_from_row(row) for row in rows]

    def events_by_seq(self, seqs: Sequence[int]) -> dict[int, JournalRecord]:
        rows = self._all("events_by_seq", {"seqs": list(seqs)})
        return {row[0]: record_from_row(row) for row in rows}

    def raw_payload(self, seq: int) -> bytes | None:
        row = self._one("raw_payload", (seq,))
        return None if row is None or row[0] is None else bytes(row[0])

    # -- projections and processing ------------------------------------------------------------
    def get_projection(self, entity_key: str) -> Projection | None:
        row = self._one("get_projection", (entity_key,))
        return projection_from_row(row) if row else None

    def projections_of(self, domain: str, *, after: str = "", limit: int = 500) -> list[Projection]:
        # Keys are ``domain:...``; ';' is the character after ':', so this is a key range.
        bounds = {"after": max(after, f"{domain}:"), "end": f"{domain};", "limit": limit}
        return [projection_from_row(r) for r in self._all("projections_of_domain", bounds)]

    def history(self, entity_key: str) -> list[ProcessedEvent]:
        return [processed_from_row(r) for r in self._all("history", (entity_key,))]

    def processing_of(self, seqs: Sequence[int]) -> dict[int, ProcessedEvent]:
        return {
            r[0]: processed_from_row(r) for r in self._all("processing_of", {"seqs": list(seqs)})
        }

    def conflicts(
        self, entity_key: str | None = None, *, after: int = 0, limit: int = 1000
    ) -> list[ConflictRecord]:
        params = {"entity_key": entity_key, "after": after, "limit": limit}
        query = "all_conflicts" if entity_key is None else "entity_conflicts"
        return [conflict_from_row(r) for r in self._all(query, params)]

    def parked(self) -> list[ParkedEntity]:
        return [ParkedEntity(*row) for row in self._all("parked_entities")]

    def counts(self) -> StoreCounts:
        row = self._one("counts")
        assert row is not None  # an aggregate always answers
        return StoreCounts(*row)

    # -- deliveries ----------------------------------------------------------------------------
    def deliveries(
        self, target: str | None = None, entity_key: str | None = None, limit: int = 1000
    ) -> list[DeliveryRecord]:
        query = "deliveries" if entity_key is None else "deliveries_of_entity"
        params = {"target": target, "entity_key": entity_key, "limit": limit}
        return [DeliveryRecord(*row) for row in self._all(query, params)]

    def delivery(self, delivery_id: int) -> DeliveryRecord | None:
        row = self._one("delivery_by_id", (delivery_id,))
        return None if row is None else DeliveryRecord(*row)

    def deliveries_in_state(
        self, state: str, *, target: str | None = None, after: int = 0, limit: int = 100
    ) -> list[DeliveryRecord]:
        query = "deliveries_in_state" if target is None else "target_deliveries_in_state"
        params = {"state": state, "target": target, "after": after, "limit": limit}
        return [DeliveryRecord(*row) for row in self._all(query, params)]

    def deliveries_for_correlation(self, correlation_id: str) -> list[DeliveryRecord]:
        rows = self._all("deliveries_for_correlation", {"cid": correlation_id})
        return [DeliveryRecord(*row) for row in rows]

    def attempts(self, delivery_id: int) -> list[tuple[int, str, str, str | None]]:
        return [(r[0], r[1], r[2], r[3]) for r in self._all("attempts_of", {"id": delivery_id})]

    def dead_letters(
        self, target: str | None = None, limit: int = 1000, state: str | None = "dead"
    ) -> list[DeadLetter]:
        params = {"target": target, "limit": limit, "state": state}
        return [DeadLetter(*row) for row in self._all("dead_letters", params)]

    def find_dead_letters(
        self,
        *,
        target: str | None = None,
        event_type: str | None = None,
        error: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[int]:
        filters = {
            "target": target,
            "event_type": event_type,
            "error": error,
            "since": since,
            "until": until,
        }
        return [row[0] for row in self._all("dead_letters_matching", filters)]

    # -- audit and API keys --------------------------------------------------------------------
    def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        return [audit_from_row(r) for r in self._all("audit_log", (limit,))]

    def last_audit(self, action: str) -> AuditEntry | None:
        row = self._one("last_audit_of", (action,))
        return None if row is None else audit_from_row(row)

    def api_key(self, key_id: str) -> ApiKey | None:
        row = self._one("api_key", (key_id,))
        return None if row is None else api_key_from_row(row)

    def api_keys(self) -> list[ApiKey]:
        return [api_key_from_row(row) for row in self._all("api_keys")]

    # -- targets -------------------------------------------------------------------------------
    def target_health(self) -> list[TargetHealth]:
        return [TargetHealth(*row) for row in self._all("target_health")]

    def delivery_latency(self) -> list[LatencyHistogram]:
        def read(conn: Connection) -> list[LatencyHistogram]:
            buckets: dict[str, list[tuple[float, int]]] = {}
            for target, le, count in conn.execute(q("latency_buckets")):
                buckets.setdefault(target, []).append((le, count))
            return [
                LatencyHistogram(target, tuple(buckets.get(target, ())), count, seconds)
                for target, count, seconds in conn.execute(q("latency_totals"))
            ]

        return self._read(read)

    # -- sources -------------------------------------------------------------------------------
    def source_cursor(self, source: str, stream: str) -> dict[str, Any] | None:
        row = self._one("source_cursor", (source, stream))
        return None if row is None else dict(orjson.loads(row[0]))

    def source_cursors(self) -> list[SourceCursor]:
        return [
            SourceCursor(r[0], r[1], dict(orjson.loads(r[2])), r[3])
            for r in self._all("source_cursors")
        ]

    def source_activity(self) -> list[SourceActivity]:
        return [SourceActivity(*row) for row in self._all("source_activity")]

    def oldest_pending_received_at(self) -> str | None:
        row = self._one("oldest_pending_received_at")
        return None if row is None else row[0]

    # -- dashboard -----------------------------------------------------------------------------
    def dashboard_user(self, name: str) -> DashboardUser | None:
        row = self._one("dashboard_user", (name,))
        return None if row is None else DashboardUser(*row)

    def dashboard_users(self) -> list[DashboardUser]:
        return [DashboardUser(*row) for row in self._all("dashboard_users")]

    def open_conflicts(self, *, after: int = 0, limit: int = 100) -> list[ConflictRecord]:
        return [
            conflict_from_row(r)
            for r in self._all("open_conflicts", {"after": after, "limit": limit})
        ]

    def received_per_minute(self, since: str) -> list[SourceMinute]:
        def read(conn: Connection) -> list[SourceMinute]:
            low, high = conn.execute(q("journal_seq_bounds")).fetchone() or (None, None)
            if low is None:
                return []
            while low < high:  # the first seq received at or after ``since``
                middle = (low + high) // 2
                at = conn.execute(q("journal_received_at_or_after"), (middle,)).fetchone()
                low, high = (
                    (low, middle) if at is not None and at[0] >= since else (middle + 1, high)
                )
            rows = conn.execute(q("received_per_minute"), {"first": low, "since": since})
            return [SourceMinute(*row) for row in rows]

        return self._read(read)

    def deliveries_per_minute(self, since: str) -> list[TargetMinute]:
        return [TargetMinute(*r) for r in self._all("deliveries_per_minute", {"since": since[:16]})]

    def stage_counts(self, domain: str) -> list[StageCount]:
        return [StageCount(*row) for row in self._all("stage_counts", domain_range(domain))]

    def orders_at_stages(
        self, stages: Sequence[str], *, before: str, limit: int = 100
    ) -> list[tuple[str, str, str]]:
        params = {"stages": list(stages), "before": before, "limit": limit}
        return [(r[0], r[1], r[2]) for r in self._all("orders_at_stages", params)]

    def order_stages(self) -> list[OrderStageCount]:
        return self._read(order_stages.counts)

    def entities_in_stage(
        self, domain: str, stages: Sequence[str], *, before: str | None = None, limit: int = 100
    ) -> list[Projection]:
        params = {**domain_range(domain), "stages": list(stages), "before": before, "limit": limit}
        return [projection_from_row(r) for r in self._all("entities_in_stage", params)]

    def documents_of_orders(
        self, domain: str, order_numbers: Sequence[str], limit: int = 1000
    ) -> list[Projection]:
        params = {"domain": domain, "values": list(order_numbers), "limit": limit}
        return [projection_from_row(r) for r in self._all("documents_of_orders", params)]

    def undelivered(
        self, target: str, domain: str, stages: Sequence[str], *, before: str, limit: int = 100
    ) -> list[DeliveryRecord]:
        params = {
            **domain_range(domain),
            "target": target,
            "stages": list(stages),
            "before": before,
            "limit": limit,
        }
        return [DeliveryRecord(*row) for row in self._all("undelivered_to_target", params)]

    # -- crosswalk -----------------------------------------------------------------------------
    def resolve(self, system: str, external_id: str) -> str | None:
        row = self._one("find_link", (system, external_id))
        return None if row is None else str(row[0])

    def identifiers(self, entity_key: str) -> list[CrosswalkLink]:
        return [CrosswalkLink(*row) for row in self._all("links_of_entity", (entity_key,))]

    def known_as(self, external_id: str, limit: int = 50) -> list[CrosswalkLink]:
        rows = self._all("links_of_external_id", (external_id, limit))
        return [CrosswalkLink(*row) for row in rows]
