"""The storage port: everything the core asks of a backend (the records it exchanges are in
``core.records`` and re-exported here).

A backend (``logisync.store.sqlite``, later PostgreSQL) implements ``Store``; the contract
suite in ``tests/contract`` holds every backend to the same behaviour. The port is shaped for
many worker processes on many machines: work is taken with *claims* (a token and an expiry),
and every commit re-checks its claim in the same transaction, so a worker that stalled past its
lease cannot overwrite the work of the one that took over. No in-process lock is relied upon.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Literal, Protocol, TypeVar

from logisync.core.accounts import DashboardUser
from logisync.core.keys import ApiKey
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

T = TypeVar("T")

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


class Store(Protocol):
    """What every storage backend provides. Each method is one transaction or a pure read."""

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

    # -- journal ---------------------------------------------------------------------------
    def append(self, entries: Sequence[NewJournalEntry]) -> list[AppendResult]:
        """Journal a batch in one transaction; duplicates (by idempotency key, or by source and
        id) store nothing and report the original. Returns only after the commit."""
        ...

    def get_event(self, event_id: str, source: str) -> JournalRecord | None:
        """An event by its CloudEvents identity (``id`` is unique per ``source`` only)."""
        ...

    def events_with_id(self, event_id: str) -> list[JournalRecord]:
        """Every source's event with this id, by source (an index search, not a scan)."""
        ...

    def events_for(self, entity_key: str) -> list[JournalRecord]: ...

    def events_for_entities(self, entity_keys: Sequence[str]) -> list[JournalRecord]:
        """The events of all these entities, in journal order (one read, however many keys:
        the processor asks for a batch's worth at once)."""
        ...

    def events_for_correlation(self, correlation_id: str) -> list[JournalRecord]:
        """The events of one business transaction (same ``correlationid``), in journal order,
        including those the processor has not indexed yet."""
        ...

    def events_by_seq(self, seqs: Sequence[int]) -> dict[int, JournalRecord]: ...

    def raw_payload(self, seq: int) -> bytes | None: ...

    # -- processing ------------------------------------------------------------------------
    def claim_entities(
        self, owner: str, limit: int, lease_seconds: float, now: datetime
    ) -> EntityClaim | None:
        """Lease up to ``limit`` entities with pending events, oldest waiting first, skipping
        entities another live claim holds. ``None`` when there is nothing to do."""
        ...

    def load_work(self, claim: EntityClaim, max_events: int) -> list[EntityWork]:
        """The claimed entities' projections and pending events in journal order."""
        ...

    def commit_processing(
        self, claim: EntityClaim, results: Sequence[EntityResult], now: datetime
    ) -> None:
        """Write projections, markers, history, conflicts, links and deliveries in ONE
        transaction, after checking the claim is still held (else ``LeaseLost``). A result
        with ``parked`` set parks its entity at the first event it did not process."""
        ...

    def release_claim(self, claim: EntityClaim) -> None: ...

    def parked(self) -> list[ParkedEntity]:
        """Entities stopped at an event that could not be processed, oldest first."""
        ...

    def unpark(self, entity_key: str) -> bool:
        """Let workers take a parked entity again (after the cause was fixed)."""
        ...

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
        """Lease due deliveries of ``target``, most urgent first (priority ages with waiting);
        expired leases are taken over. Never two deliveries of one entity, never one behind an
        older undelivered one, and no claim while ``max_in_flight`` batches are out."""
        ...

    def finish_deliveries(
        self,
        claim: DeliveryClaim,
        outcomes: Sequence[DeliveryOutcome],
        now: datetime,
        next_batch: NextBatch | None = None,
    ) -> DeliveryClaim | None:
        """Record outcomes and attempts in one transaction, after checking the claim is still
        held (else ``LeaseLost``); dead deliveries move to the dead-letter queue. With
        ``next_batch``, the same transaction then claims the target's next deliveries as
        ``claim_deliveries`` would, after these outcomes, and returns that claim (or ``None``).

        A first-try success writes no attempt row: the delivery's own row (``delivered``,
        one attempt, ``delivered_at``, ``target_ref``) tells it, and ``attempts`` shows it."""
        ...

    def dead_letters(
        self, target: str | None = None, limit: int = 1000, state: str | None = "dead"
    ) -> list[DeadLetter]: ...

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
        """Queue a dead delivery again (as sent, or as the entity's current state) and audit
        who did it, why and from where, in one transaction. False when it is not (or no
        longer) dead, or when a pending state delivery of its entity already carries more."""
        ...

    def redrive(
        self, target: str, *, domain: str | None, actor: str, reason: str, now: datetime
    ) -> int:
        """Queue the current state of every entity (of ``domain``) for ``target`` again, e.g.
        after the target's database was restored; audited. Returns how many were queued."""
        ...

    def audit_log(self, limit: int = 100) -> list[AuditEntry]: ...

    def last_audit(self, action: str) -> AuditEntry | None:
        """The newest audit entry of ``action``, if any."""
        ...

    def record_audit(self, entries: Sequence[AuditEntry]) -> None:
        """Append to the audit log (never updated nor deleted)."""
        ...

    # -- API keys --------------------------------------------------------------------------
    def save_api_keys(self, keys: Sequence[ApiKey], audit: AuditEntry) -> None:
        """Store new keys or their new expiry/revocation, and the audit entry, together."""
        ...

    def api_key(self, key_id: str) -> ApiKey | None: ...

    # -- polled sources --------------------------------------------------------------------
    def source_cursor(self, source: str, stream: str) -> JsonObject | None:
        """Where a poller last read ``stream`` of ``source`` up to (None: never read)."""
        ...

    def save_source_cursor(self, source: str, stream: str, position: JsonObject) -> None:
        """Remember how far ``stream`` was read. Saved after the events read are appended:
        a crash in between re-reads them, and the journal's idempotency drops the repeats."""
        ...

    # -- EDI control numbers ---------------------------------------------------------------
    def record_control_number(
        self, partner: str, standard: str, level: str, number: int, digest: str
    ) -> ReceivedControlNumber:
        """Record a control number a partner sent (kept as first recorded if seen before) and
        say, in the same transaction, what was known of it and the highest number before."""
        ...

    def next_control_number(self, partner: str, standard: str, level: str) -> int:
        """Take our next outbound control number for ``partner`` (1, 2, 3... per level);
        never the same twice, even across processes."""
        ...

    def api_keys(self) -> list[ApiKey]: ...

    def find_dead_letters(
        self,
        *,
        target: str | None = None,
        event_type: str | None = None,
        error: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[int]:
        """Ids of dead deliveries matching every given filter (error: a case-blind substring;
        since/until: UTC text bounds of when they died)."""
        ...

    def attempts(self, delivery_id: int) -> list[tuple[int, str, str, str | None]]:
        """A delivery's attempts: (number, time, outcome, detail), oldest first."""
        ...

    def update_target_state(
        self, target: str, change: Callable[[JsonObject | None], tuple[JsonObject, T]]
    ) -> T:
        """Read the target's shared policy state, apply ``change`` and save what it returns,
        in ONE transaction, so that workers on many machines share one bucket and breaker."""
        ...

    # -- reads -----------------------------------------------------------------------------
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

    def check_writable(self) -> None:
        """Take the write lock and let it go: raises StoreBusy or StoreUnavailable when a
        write would fail now (for readiness probes)."""
        ...

    # -- monitors (business SLAs) -------------------------------------------------------------
    def stuck_entities(
        self,
        domain: str,
        status: str,
        entered_before: str,
        *,
        limit: int,
        not_set_by: str | None = None,
        missing: tuple[str, tuple[str, ...]] | None = None,
    ) -> list[StuckEntity]:
        """Entities of ``domain`` in ``status`` since before ``entered_before`` (UTC text), by
        index, oldest first: those whose status was last set by ``not_set_by`` left out, and,
        with ``missing = (domain, statuses)``, those with an entity of that domain for the same
        order in one of those statuses (a shipment's invoice) left out."""
        ...

    def last_heard(self, source: str) -> str | None:
        """When the newest event from ``source`` was journaled (None: never)."""
        ...

    def record_alerts(
        self,
        monitors: Sequence[str],
        breaches: Sequence[Breach],
        now: datetime,
        notify: Sequence[str] = (),
    ) -> AlertChanges:
        """In ONE transaction: raise an alert for each breach without an open one, clear the
        open alerts of ``monitors`` that no breach names. Alerts of monitors in ``notify``
        get a webhook notice to send (a clear whose raise was never sent cancels it)."""
        ...

    def active_alerts(self, monitor: str | None = None) -> list[Alert]:
        """Open alerts (of ``monitor``), oldest first."""
        ...

    def alerts_to_notify(self, limit: int = 100) -> list[Alert]:
        """Alerts with a webhook notice still to send, oldest first."""
        ...

    def finish_notice(self, alert_id: int, notice: str, *, sent: bool, give_up: bool) -> None:
        """The notice was sent (or given up on): none is due; else count a failed attempt.
        Nothing changes if the alert's due notice is no longer ``notice``."""
        ...

    # -- crosswalk -------------------------------------------------------------------------
    def link(self, links: Sequence[CrosswalkLink]) -> list[CrosswalkLink]:
        """Link external ids to entities; return the existing links that point elsewhere
        (those are not changed)."""
        ...

    def resolve(self, system: str, external_id: str) -> str | None: ...

    def identifiers(self, entity_key: str) -> list[CrosswalkLink]: ...

    def known_as(self, external_id: str, limit: int = 50) -> list[CrosswalkLink]:
        """Every link of this external id, whatever the system: what an operator searching for
        a number sees first, before knowing which system it came from."""
        ...

    # -- dashboard -------------------------------------------------------------------------
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
