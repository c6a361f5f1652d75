"""The storage port: everything the core asks of a backend, and the records it exchanges.

A backend (``logisync.store.sqlite``, later PostgreSQL) implements ``Store``; the contract
suite in ``tests/contract`` holds every backend to the same behaviour. The port is shaped for
many worker processes on many machines: work is taken with *claims* (a token and an expiry),
and every commit re-checks its claim in the same transaction, so a worker that stalled past its
lease cannot overwrite the work of the one that took over. No in-process lock is relied upon.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, NamedTuple, Protocol, TypeVar

from logisync.core.keys import ApiKey

JsonObject = dict[str, Any]
T = TypeVar("T")


class NewJournalEntry(NamedTuple):
    """An event ready to be journaled, with its pre-computed ordering and dedup attributes.

    A named tuple, in the journal's column order, because append is the hottest path of the
    hub: backends can hand it to the driver as a row without copying.
    """

    event_id: str
    source: str
    type: str
    subject: str
    time: str  # utc_text of the event's time
    sourceversion: str | None
    version_key: str | None  # sortable form of sourceversion (see core.stamps)
    correlationid: str | None
    causationid: str | None
    idempotency_key: str | None  # explicit key only; (source, event_id) is always an identity
    content_hash: str
    data: bytes  # canonical JSON
    raw: bytes | None  # what the sender sent, kept for audit and replay
    received_at: str


@dataclass(frozen=True, slots=True)
class AppendResult:
    """``duplicate`` means nothing new was stored; ``event_id``/``seq`` are the original's.

    ``same_content`` is False when the idempotency key was reused for a different fact.
    """

    event_id: str
    seq: int
    duplicate: bool
    same_content: bool = True


class JournalRecord(NamedTuple):
    """A journaled event as the processor reads it (no re-validation on the hot path)."""

    seq: int
    event_id: str
    source: str
    type: str
    subject: str
    time: str
    sourceversion: str | None
    version_key: str | None
    correlationid: str | None
    causationid: str | None
    data: JsonObject
    received_at: str


@dataclass(slots=True)
class Projection:
    """The current canonical state of one entity, with provenance per field.

    ``provenance[field]`` = ``{"system", "version", "time", "event", "kind"}`` of the fact that
    set the field's current value (``kind`` is ``owner`` or ``fill``). ``meta`` holds
    per-field bookkeeping of the sequencing rules (lifecycle correction floors, quantity
    ledgers).
    """

    entity_key: str
    version: int = 0
    state: JsonObject = field(default_factory=dict)
    provenance: dict[str, JsonObject] = field(default_factory=dict)
    meta: JsonObject = field(default_factory=dict)
    updated_at: str | None = None


@dataclass(frozen=True, slots=True)
class EntityClaim:
    """A lease on some entities' pending events. Only the token holder may commit them."""

    token: str
    owner: str
    expires_at: str
    entity_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityWork:
    projection: Projection | None
    events: tuple[JournalRecord, ...]
    entity_key: str


Outcome = Literal["applied", "partly_applied", "superseded", "conflict", "unchanged", "corrected"]


class ProcessedEvent(NamedTuple):
    """The processing marker of one event, with what it did (the entity's history).

    ``processed_at`` is filled by the store's reads; the processor's commit stamps it."""

    seq: int
    entity_key: str
    outcome: Outcome
    version: int
    detail: JsonObject
    processed_at: str | None = None


@dataclass(frozen=True, slots=True)
class ConflictRecord:
    """A write refused by governance (``conflict``) or queued for a steward (``proposal``)."""

    entity_key: str
    field: str
    kind: Literal["conflict", "proposal"]
    policy: str
    event_seq: int
    event_id: str
    proposed_by: str
    proposed_value: Any
    current_value: Any
    current_source: str | None
    created_at: str
    state: str = "open"


class NewDelivery(NamedTuple):
    """A routed fact for one target. State-mode deliveries of one entity coalesce in the store
    (one pending row per target and entity carries the latest version)."""

    target: str
    flow: str
    mode: Literal["state", "event"]
    priority: int
    entity_key: str
    entity_version: int
    event_seq: int
    event_id: str
    correlationid: str | None
    created_at: str
    absorbed: int = 0  # earlier changes of the same entity this one already carries


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    id: int
    target: str
    flow: str
    mode: str
    priority: int
    entity_key: str
    entity_version: int
    event_seq: int
    event_id: str
    state: str
    attempts: int
    due_at: str
    created_at: str
    coalesced: int
    first_attempt_at: str | None = None  # a retry's age counts from here, not from creation
    # Filled by the read queries (not by claims, which do not need them):
    last_error: str | None = None
    delivered_at: str | None = None
    dead_at: str | None = None  # when it last went to the dead-letter queue, if it is there


@dataclass(frozen=True, slots=True)
class DeliveryClaim:
    """A lease on some deliveries of one target: at most one per entity, each the entity's
    oldest undelivered one."""

    token: str
    owner: str
    target: str
    expires_at: str
    deliveries: tuple[DeliveryRecord, ...]


@dataclass(frozen=True, slots=True)
class NextBatch:
    """The next batch of the same target, for the same owner, to claim in the transaction that
    records a batch's outcomes: a worker with a backlog commits once per batch, not twice."""

    limit: int
    lease_seconds: float
    max_in_flight: int | None = None


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """What became of one claimed delivery: ``delivered`` (with the target's id for it),
    ``retry`` at ``due_at``, or ``dead`` (moved to the dead-letter queue), with the error."""

    delivery_id: int
    kind: Literal["delivered", "retry", "dead"]
    error: str | None = None
    due_at: str | None = None
    target_ref: str | None = None


@dataclass(frozen=True, slots=True)
class DeadLetter:
    delivery_id: int
    target: str
    flow: str
    entity_key: str
    event_seq: int
    event_id: str
    attempts: int
    last_error: str
    dead_at: str
    state: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: str
    actor: str
    action: str
    subject: str
    reason: str
    detail: JsonObject | None
    origin: str | None = None  # where the request came from (client address), when known


@dataclass(frozen=True, slots=True)
class CrosswalkLink:
    system: str
    external_id: str
    entity_key: str


@dataclass(slots=True)
class EntityResult:
    """Everything processing one entity's claimed events produced, committed as one unit."""

    entity_key: str
    projection: Projection
    processed: list[ProcessedEvent] = field(default_factory=list)
    conflicts: list[ConflictRecord] = field(default_factory=list)
    deliveries: list[NewDelivery] = field(default_factory=list)
    links: list[CrosswalkLink] = field(default_factory=list)
    changed: bool = False
    parked: str | None = None  # why the next event could not be processed; the rest waits
    parked_at_index: int | None = None  # which of the loaded events that was


@dataclass(frozen=True, slots=True)
class ParkedEntity:
    entity_key: str
    first_seq: int
    reason: str
    parked_at: str


@dataclass(frozen=True, slots=True)
class StoreCounts:
    journal: int
    pending_events: int
    pending_entities: int
    entities: int
    deliveries_pending: int
    conflicts_open: int
    parked_entities: int = 0


@dataclass(frozen=True, slots=True)
class TargetHealth:
    """One target's queue and breaker, as operations dashboards and metrics show it."""

    target: str
    queued: int
    in_flight: int
    dead: int
    oldest_queued_at: str | None
    breaker: str | None  # closed, open, half_open; None before the target was ever gated


@dataclass(frozen=True, slots=True)
class LatencyHistogram:
    """Deliveries per latency bucket (upper bound in seconds, not cumulative) of one target."""

    target: str
    buckets: tuple[tuple[float, int], ...]
    count: int
    seconds: float


class Store(Protocol):
    """What every storage backend provides. Each method is one transaction or a pure read."""

    def migrate(self) -> list[str]:
        """Bring the schema up to date; return the names of the migrations applied."""
        ...

    def close(self) -> None: ...

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

    def history(self, entity_key: str) -> list[ProcessedEvent]: ...

    def processing_of(self, seqs: Sequence[int]) -> dict[int, ProcessedEvent]:
        """What processing did with each of these events; processed ones only."""
        ...

    def conflicts(self, entity_key: str | None = None) -> list[ConflictRecord]: ...

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

    def check_writable(self) -> None:
        """Take the write lock and let it go: raises StoreBusy or StoreUnavailable when a
        write would fail now (for readiness probes)."""
        ...

    # -- crosswalk -------------------------------------------------------------------------
    def link(self, links: Sequence[CrosswalkLink]) -> list[CrosswalkLink]:
        """Link external ids to entities; return the existing links that point elsewhere
        (those are not changed)."""
        ...

    def resolve(self, system: str, external_id: str) -> str | None: ...

    def identifiers(self, entity_key: str) -> list[CrosswalkLink]: ...
