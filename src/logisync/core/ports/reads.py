"""Reads for the API, the CLI and the dashboard, and a steward's decisions: each an index
search or a key range, never a pass over a whole table. Part of the storage port
(``core.ports.Store``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from logisync.core.accounts import DashboardUser
from logisync.core.records import (
    AuditEntry,
    ConflictRecord,
    DeliveryRecord,
    LatencyHistogram,
    NewJournalEntry,
    OrderStageCount,
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


class ReadStore(Protocol):
    """Projections, history, conflicts, deliveries, counts and health."""

    def get_projection(self, entity_key: str) -> Projection | None: ...

    def projections_of(self, domain: str, *, after: str = "", limit: int = 500) -> list[Projection]:
        """The projections of one domain's entities (``shipment``) in key order, from after
        the key ``after``: page by passing the last key seen."""
        ...

    def history(self, entity_key: str) -> list[ProcessedEvent]: ...

    def processing_of(self, seqs: Sequence[int]) -> dict[int, ProcessedEvent]:
        """What processing did with each of these events; processed ones only."""
        ...

    def conflicts(
        self, entity_key: str | None = None, *, after: int = 0, limit: int = 1000
    ) -> list[ConflictRecord]:
        """Conflicts and proposals in every state (of ``entity_key``), by id, from after the
        id ``after``, at most ``limit``: page by passing the last id seen."""
        ...

    def deliveries(
        self, target: str | None = None, entity_key: str | None = None, limit: int = 1000
    ) -> list[DeliveryRecord]: ...

    def delivery(self, delivery_id: int) -> DeliveryRecord | None: ...

    def deliveries_in_state(
        self, state: str, *, target: str | None = None, after: int = 0, limit: int = 100
    ) -> list[DeliveryRecord]:
        """Deliveries in ``state`` (of ``target``), by id, from after the id ``after``."""
        ...

    def deliveries_for_correlation(self, correlation_id: str) -> list[DeliveryRecord]:
        """The deliveries routed from one business transaction's events, by id. A state
        delivery carries the correlation of the latest event it absorbed."""
        ...

    def counts(self) -> StoreCounts: ...

    def target_health(self) -> list[TargetHealth]: ...

    def delivery_latency(self) -> list[LatencyHistogram]: ...

    def oldest_pending_received_at(self) -> str | None:
        """When the oldest event still waiting for the processor was received (parked entities
        excluded: they wait for a person, not for the processor); None when caught up."""
        ...

    def source_activity(self) -> list[SourceActivity]:
        """Per source, the events journaled and when the newest arrived, by source."""
        ...

    def source_cursors(self) -> list[SourceCursor]:
        """Every poller's cursor, by source and stream."""
        ...


class DashboardStore(Protocol):
    """Accounts, conflict decisions, per-minute series and lifecycle stages."""

    def save_dashboard_user(self, user: DashboardUser, audit: AuditEntry) -> None:
        """Store a new account or its new role, password or disabling, and the audit entry,
        together."""
        ...

    def dashboard_user(self, name: str) -> DashboardUser | None: ...

    def dashboard_users(self) -> list[DashboardUser]: ...

    def open_conflicts(self, *, after: int = 0, limit: int = 100) -> list[ConflictRecord]:
        """Open conflicts and proposals by id, from after the id ``after`` (with their ids)."""
        ...

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
        """Close an open conflict or proposal as ``accepted`` or ``rejected`` and audit who
        decided, why and from where, in one transaction. False when it is not (or no longer)
        open. The projection is not touched: a value reaches it only through the journal.

        ``journal`` (the steward's acceptance) is appended in that same transaction, and only
        if the conflict was still open: an accept and a concurrent reject cannot both take
        effect, and a crash leaves neither the event nor the decision."""
        ...

    def received_per_minute(self, since: str) -> list[SourceMinute]:
        """Events journaled per source and minute from ``since`` (UTC text) on; reads the
        window's rows only."""
        ...

    def deliveries_per_minute(self, since: str) -> list[TargetMinute]:
        """Delivery outcomes per target and minute from ``since`` on, as recorded by
        ``finish_deliveries`` (the same for every process, kept across restarts)."""
        ...

    def prune_delivery_minutes(self, before: str, *, limit: int) -> int:
        """Delete at most ``limit`` of the oldest per-minute delivery outcomes from before
        ``before`` (UTC text) in one transaction; return how many went (call again while it
        returns ``limit``)."""
        ...

    def stage_counts(self, domain: str) -> list[StageCount]:
        """The entities of ``domain`` by lifecycle stage (the status code)."""
        ...

    def orders_at_stages(
        self, stages: Sequence[str], *, before: str, limit: int = 100
    ) -> list[tuple[str, str, str]]:
        """``(order number, stage, since)`` of the orders that reached one of ``stages``
        before ``before`` and are still there, longest there first (``order_stages``)."""
        ...

    def order_stages(self) -> list[OrderStageCount]:
        """Orders by order-to-cash stage, each order once at its furthest (``core.order_to_cash``
        over the order and the shipments and invoices naming it), kept up to date by
        ``commit_processing`` in its transaction; by stage code. Reads one row per order at
        most, never the projections."""
        ...

    def entities_in_stage(
        self, domain: str, stages: Sequence[str], *, before: str | None = None, limit: int = 100
    ) -> list[Projection]:
        """Entities of ``domain`` at one of ``stages`` (since before ``before``, if given),
        the longest-waiting first."""
        ...

    def documents_of_orders(
        self, domain: str, order_numbers: Sequence[str], limit: int = 1000
    ) -> list[Projection]:
        """Entities of ``domain`` (shipments, invoices, returns) whose ``order_number`` is one
        of ``order_numbers``: an index search, by entity key."""
        ...

    def undelivered(
        self, target: str, domain: str, stages: Sequence[str], *, before: str, limit: int = 100
    ) -> list[DeliveryRecord]:
        """Deliveries to ``target`` of ``domain``'s entities now at one of ``stages`` that are
        dead, or still pending or in flight and routed before ``before``; by id."""
        ...
