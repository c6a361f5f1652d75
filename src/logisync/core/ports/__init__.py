"""The storage port: everything the core asks of a backend (the records it exchanges are in
``core.records`` and re-exported here).

A backend (``logisync.store.sqlite``, ``logisync.store.postgres``) implements ``Store``; the
contract suite in ``tests/contract`` holds every backend to the same behaviour. The port is
shaped for many worker processes on many machines: work is taken with *claims* (a token and an
expiry), and every commit re-checks its claim in the same transaction, so a worker that stalled
past its lease cannot overwrite the work of the one that took over. No in-process lock is
relied upon. ``Store`` is composed of one protocol per concern, one module each: the journal
and crosswalk, claimed work (processing, deliveries), operations, and reads.
"""

from __future__ import annotations

from typing import Literal, Protocol

from logisync.core.ports.journal import CrosswalkStore, JournalStore
from logisync.core.ports.operations import OperationsStore
from logisync.core.ports.reads import DashboardStore, ReadStore
from logisync.core.ports.work import DeliveryStore, ProcessingStore
from logisync.core.records import (
    Alert,
    AlertChanges,
    AppendResult,
    AuditEntry,
    Breach,
    ConflictRecord,
    CrosswalkLink,
    DeadLetter,
    DeliveryClaim,
    DeliveryOutcome,
    DeliveryRecord,
    EntityClaim,
    EntityResult,
    EntityWork,
    JournalRecord,
    JsonObject,
    LatencyHistogram,
    NewDelivery,
    NewJournalEntry,
    NextBatch,
    OrderStageCount,
    Outcome,
    ParkedEntity,
    ProcessedEvent,
    Projection,
    ReceivedControlNumber,
    SourceActivity,
    SourceCursor,
    SourceMinute,
    StageCount,
    StoreCounts,
    StuckEntity,
    TargetHealth,
    TargetMinute,
)

WorkKind = Literal["events", "deliveries", "any"]
"""What an idle loop waits for: the processor for events, the delivery loop for deliveries."""

__all__ = [
    "Alert",
    "AlertChanges",
    "AppendResult",
    "AuditEntry",
    "Breach",
    "ConflictRecord",
    "CrosswalkLink",
    "DeadLetter",
    "DeliveryClaim",
    "DeliveryOutcome",
    "DeliveryRecord",
    "EntityClaim",
    "EntityResult",
    "EntityWork",
    "JournalRecord",
    "JsonObject",
    "LatencyHistogram",
    "NewDelivery",
    "NewJournalEntry",
    "NextBatch",
    "OrderStageCount",
    "Outcome",
    "ParkedEntity",
    "ProcessedEvent",
    "Projection",
    "ReceivedControlNumber",
    "SourceActivity",
    "SourceCursor",
    "SourceMinute",
    "StageCount",
    "Store",
    "StoreCounts",
    "StuckEntity",
    "TargetHealth",
    "TargetMinute",
    "WorkKind",
]


class Store(
    JournalStore,
    CrosswalkStore,
    ProcessingStore,
    DeliveryStore,
    OperationsStore,
    ReadStore,
    DashboardStore,
    Protocol,
):
    """What every storage backend provides. Each method is one transaction or a pure read.
    The parts, one module each, group the methods by what they serve."""

    def migrate(self) -> list[str]:
        """Bring the schema up to date; return the names of the migrations applied."""
        ...

    def close(self) -> None: ...

    def wait_for_work(self, timeout: float, work: WorkKind = "any") -> bool:
        """Wait until new work of the kind asked for may have arrived (``events``: a journal
        append; ``deliveries``: new or replayed deliveries; from any process) or ``timeout``
        seconds passed; True when woken by such news. Idle worker loops call it instead of
        sleeping, so that latency does not hang on a polling interval. A backend that cannot
        tell the kinds apart wakes on any news: an extra wake costs one empty claim."""
        ...

    def check_writable(self) -> None:
        """Take the write lock and let it go: raises StoreBusy or StoreUnavailable when a
        write would fail now (for readiness probes)."""
        ...
