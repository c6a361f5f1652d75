"""The reads of the SQLite store: each a query on the store's connection, in one read
transaction, that never waits for a writer (WAL)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

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
from logisync.store.rows import (
    api_key_from_row,
    audit_from_row,
    conflict_from_row,
    domain_range,
    processed_from_row,
    projection_from_row,
    record_from_row,
)
from logisync.store.sqlite import order_stages
from logisync.store.sqlite.queries import q


class SqliteReads:
    """The read half of ``SqliteStore``; the store provides ``_read``."""

    def _read(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    # -- journal -------------------------------------------------------------------------------
    def get_event(self, event_id: str, source: str) -> JournalRecord | None:
        with self._read() as conn:
            row = conn.execute(q("get_event_by_source_id"), (source, event_id)).fetchone()
        return record_from_row(row) if row else None

    def events_with_id(self, event_id: str) -> list[JournalRecord]:
        with self._read() as conn:
            rows = conn.execute(q("events_with_id"), (event_id,)).fetchall()
        return [record_from_row(row) for row in rows]

    def events_for(self, entity_key: str) -> list[JournalRecord]:
        return self.events_for_entities((entity_key,))

    def events_for_entities(self, entity_keys: Sequence[str]) -> list[JournalRecord]:
        keys = orjson.dumps(list(entity_keys)).decode()
        with self._read() as conn:
            rows = conn.execute(q("events_for_entities"), {"keys": keys}).fetchall()
        return [record_from_row(row) for row in rows]

    def events_for_correlation(self, correlation_id: str) -> list[JournalRecord]:
        with self._read() as conn:
            rows = conn.execute(q("events_for_correlation"), {"cid": correlation_id}).fetchall()
        return [record_from_row(row) for row in rows]

    def events_by_seq(self, seqs: Sequence[int]) -> dict[int, JournalRecord]:
        with self._read() as conn:
            rows = conn.execute(
                q("events_by_seq"), {"seqs": orjson.dumps(list(seqs)).decode()}
            ).fetchall()
        return {row[0]: record_from_row(row) for row in rows}

    def raw_payload(self, seq: int) -> bytes | None:
        with self._read() as conn:
            row = conn.execute(q("raw_payload"), (seq,)).fetchone()
        return None if row is None else row[0]

    # -- projections and processing ------------------------------------------------------------
    def get_projection(self, entity_key: str) -> Projection | None:
        with self._read() as conn:
            row = conn.execute(q("get_projection"), (entity_key,)).fetchone()
        return projection_from_row(row) if row else None

    def projections_of(self, domain: str, *, after: str = "", limit: int = 500) -> list[Projection]:
        # Keys are ``domain:...``; ';' is the character after ':', so this is a key range.
        start = max(after, f"{domain}:")
        bounds = {"after": start, "end": f"{domain};", "limit": limit}
        with self._read() as conn:
            rows = conn.execute(q("projections_of_domain"), bounds).fetchall()
        return [projection_from_row(r) for r in rows]

    def history(self, entity_key: str) -> list[ProcessedEvent]:
        with self._read() as conn:
            rows = conn.execute(q("history"), (entity_key,)).fetchall()
        return [processed_from_row(r) for r in rows]

    def processing_of(self, seqs: Sequence[int]) -> dict[int, ProcessedEvent]:
        with self._read() as conn:
            rows = conn.execute(
                q("processing_of"), {"seqs": orjson.dumps(list(seqs)).decode()}
            ).fetchall()
        return {
            r[0]: ProcessedEvent(r[0], r[1], r[2], r[3], orjson.loads(r[4]), r[5]) for r in rows
        }

    def conflicts(
        self, entity_key: str | None = None, *, after: int = 0, limit: int = 1000
    ) -> list[ConflictRecord]:
        params = {"entity_key": entity_key, "after": after, "limit": limit}
        query = q("all_conflicts" if entity_key is None else "entity_conflicts")
        with self._read() as conn:
            rows = conn.execute(query, params).fetchall()
        return [conflict_from_row(r) for r in rows]

    def parked(self) -> list[ParkedEntity]:
        with self._read() as conn:
            return [ParkedEntity(*row) for row in conn.execute(q("parked_entities"))]

    def counts(self) -> StoreCounts:
        with self._read() as conn:
            return StoreCounts(*conn.execute(q("counts")).fetchone())

    # -- deliveries ----------------------------------------------------------------------------
    def deliveries(
        self, target: str | None = None, entity_key: str | None = None, limit: int = 1000
    ) -> list[DeliveryRecord]:
        with self._read() as conn:
            query = q("deliveries" if entity_key is None else "deliveries_of_entity")
            rows = conn.execute(
                query, {"target": target, "entity_key": entity_key, "limit": limit}
            ).fetchall()
        return [DeliveryRecord(*row) for row in rows]

    def delivery(self, delivery_id: int) -> DeliveryRecord | None:
        with self._read() as conn:
            row = conn.execute(q("delivery_by_id"), (delivery_id,)).fetchone()
        return None if row is None else DeliveryRecord(*row)

    def deliveries_in_state(
        self, state: str, *, target: str | None = None, after: int = 0, limit: int = 100
    ) -> list[DeliveryRecord]:
        query = q("deliveries_in_state" if target is None else "target_deliveries_in_state")
        params = {"state": state, "target": target, "after": after, "limit": limit}
        with self._read() as conn:
            return [DeliveryRecord(*row) for row in conn.execute(query, params)]

    def deliveries_for_correlation(self, correlation_id: str) -> list[DeliveryRecord]:
        with self._read() as conn:
            rows = conn.execute(q("deliveries_for_correlation"), {"cid": correlation_id})
            return [DeliveryRecord(*row) for row in rows]

    def attempts(self, delivery_id: int) -> list[tuple[int, str, str, str | None]]:
        with self._read() as conn:
            return [tuple(row) for row in conn.execute(q("attempts_of"), {"id": delivery_id})]  # type: ignore[misc]

    def dead_letters(
        self, target: str | None = None, limit: int = 1000, state: str | None = "dead"
    ) -> list[DeadLetter]:
        with self._read() as conn:
            rows = conn.execute(
                q("dead_letters"), {"target": target, "limit": limit, "state": state}
            ).fetchall()
        return [DeadLetter(*row) for row in rows]

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
        with self._read() as conn:
            return [row[0] for row in conn.execute(q("dead_letters_matching"), filters)]

    # -- audit and API keys --------------------------------------------------------------------
    def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        with self._read() as conn:
            rows = conn.execute(q("audit_log"), (limit,)).fetchall()
        return [audit_from_row(r) for r in rows]

    def last_audit(self, action: str) -> AuditEntry | None:
        with self._read() as conn:
            r = conn.execute(q("last_audit_of"), (action,)).fetchone()
        if r is None:
            return None
        return audit_from_row(r)

    # -- targets -------------------------------------------------------------------------------
    def target_health(self) -> list[TargetHealth]:
        with self._read() as conn:
            return [TargetHealth(*row) for row in conn.execute(q("target_health"))]

    def delivery_latency(self) -> list[LatencyHistogram]:
        with self._read() as conn:
            buckets: dict[str, list[tuple[float, int]]] = {}
            for target, le, count in conn.execute(q("latency_buckets")):
                buckets.setdefault(target, []).append((le, count))
            return [
                LatencyHistogram(target, tuple(buckets.get(target, ())), count, seconds)
                for target, count, seconds in conn.execute(q("latency_totals"))
            ]

    def api_key(self, key_id: str) -> ApiKey | None:
        with self._read() as conn:
            row = conn.execute(q("api_key"), (key_id,)).fetchone()
        return None if row is None else api_key_from_row(row)

    def api_keys(self) -> list[ApiKey]:
        with self._read() as conn:
            return [api_key_from_row(row) for row in conn.execute(q("api_keys"))]

    def source_cursor(self, source: str, stream: str) -> dict[str, Any] | None:
        with self._read() as conn:
            row = conn.execute(q("source_cursor"), (source, stream)).fetchone()
        return None if row is None else dict(orjson.loads(row[0]))

    def source_cursors(self) -> list[SourceCursor]:
        with self._read() as conn:
            rows = conn.execute(q("source_cursors")).fetchall()
        return [SourceCursor(r[0], r[1], dict(orjson.loads(r[2])), r[3]) for r in rows]

    def source_activity(self) -> list[SourceActivity]:
        with self._read() as conn:
            return [SourceActivity(*row) for row in conn.execute(q("source_activity"))]

    def oldest_pending_received_at(self) -> str | None:
        with self._read() as conn:
            row = conn.execute(q("oldest_pending_received_at")).fetchone()
        return None if row is None else row[0]

    # -- dashboard -----------------------------------------------------------------------------
    def dashboard_user(self, name: str) -> DashboardUser | None:
        with self._read() as conn:
            row = conn.execute(q("dashboard_user"), (name,)).fetchone()
        return None if row is None else DashboardUser(*row)

    def dashboard_users(self) -> list[DashboardUser]:
        with self._read() as conn:
            return [DashboardUser(*row) for row in conn.execute(q("dashboard_users"))]

    def open_conflicts(self, *, after: int = 0, limit: int = 100) -> list[ConflictRecord]:
        with self._read() as conn:
            rows = conn.execute(q("open_conflicts"), {"after": after, "limit": limit}).fetchall()
        return [conflict_from_row(r) for r in rows]

    def received_per_minute(self, since: str) -> list[SourceMinute]:
        with self._read() as conn:
            low, high = conn.execute(q("journal_seq_bounds")).fetchone()
            if low is None:
                return []
            while low < high:  # the first seq received at or after ``since``
                middle = (low + high) // 2
                at = conn.execute(q("journal_received_at_or_after"), (middle,)).fetchone()[0]
                low, high = (low, middle) if at >= since else (middle + 1, high)
            rows = conn.execute(q("received_per_minute"), {"first": low, "since": since})
            return [SourceMinute(*row) for row in rows]

    def deliveries_per_minute(self, since: str) -> list[TargetMinute]:
        with self._read() as conn:
            rows = conn.execute(q("deliveries_per_minute"), {"since": since[:16]})
            return [TargetMinute(*row) for row in rows]

    def stage_counts(self, domain: str) -> list[StageCount]:
        with self._read() as conn:
            return [
                StageCount(*row) for row in conn.execute(q("stage_counts"), domain_range(domain))
            ]

    def orders_at_stages(
        self, stages: Sequence[str], *, before: str, limit: int = 100
    ) -> list[tuple[str, str, str]]:
        params = {"stages": orjson.dumps(list(stages)).decode(), "before": before, "limit": limit}
        with self._read() as conn:
            return [(r[0], r[1], r[2]) for r in conn.execute(q("orders_at_stages"), params)]

    def order_stages(self) -> list[OrderStageCount]:
        with self._read() as conn:
            return order_stages.counts(conn)

    def entities_in_stage(
        self, domain: str, stages: Sequence[str], *, before: str | None = None, limit: int = 100
    ) -> list[Projection]:
        params = {
            **domain_range(domain),
            "stages": orjson.dumps(list(stages)).decode(),
            "before": before,
            "limit": limit,
        }
        with self._read() as conn:
            rows = conn.execute(q("entities_in_stage"), params).fetchall()
        return [projection_from_row(r) for r in rows]

    def documents_of_orders(
        self, domain: str, order_numbers: Sequence[str], limit: int = 1000
    ) -> list[Projection]:
        params = {
            "domain": domain,
            "values": orjson.dumps(list(order_numbers)).decode(),
            "limit": limit,
        }
        with self._read() as conn:
            rows = conn.execute(q("documents_of_orders"), params).fetchall()
        return [projection_from_row(r) for r in rows]

    def undelivered(
        self, target: str, domain: str, stages: Sequence[str], *, before: str, limit: int = 100
    ) -> list[DeliveryRecord]:
        params = {
            **domain_range(domain),
            "target": target,
            "stages": orjson.dumps(list(stages)).decode(),
            "before": before,
            "limit": limit,
        }
        with self._read() as conn:
            return [
                DeliveryRecord(*row) for row in conn.execute(q("undelivered_to_target"), params)
            ]

    # -- crosswalk -----------------------------------------------------------------------------
    def resolve(self, system: str, external_id: str) -> str | None:
        with self._read() as conn:
            row = conn.execute(q("find_link"), (system, external_id)).fetchone()
        return None if row is None else str(row[0])

    def identifiers(self, entity_key: str) -> list[CrosswalkLink]:
        with self._read() as conn:
            rows = conn.execute(q("links_of_entity"), (entity_key,)).fetchall()
        return [CrosswalkLink(*row) for row in rows]

    def known_as(self, external_id: str, limit: int = 50) -> list[CrosswalkLink]:
        with self._read() as conn:
            rows = conn.execute(q("links_of_external_id"), (external_id, limit)).fetchall()
        return [CrosswalkLink(*row) for row in rows]
