"""The records the core and a storage backend exchange (see ``ports.Store``).

Named tuples where a backend hands rows straight to its driver (the hot paths), frozen
dataclasses elsewhere. No behaviour beyond small conveniences: the rules live in the core.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

JsonObject = dict[str, Any]


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
    traceparent: str | None = None  # W3C trace context the event came with (validated)
    tracestate: str | None = None


class AppendResult(NamedTuple):
    """``duplicate`` means nothing new was stored; ``event_id``/``seq`` are the original's.

    ``same_content`` is False when the idempotency key was reused for a different fact.
    A named tuple, like the entries it answers: one is made per appended event, and a frozen
    dataclass cost ~1.4 µs of each on the reference VM.
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
    traceparent: str | None = None  # the trace its deliveries continue
    tracestate: str | None = None


@dataclass(slots=True)
class Projection:
    """The current canonical state of one entity, with provenance per field.

    ``provenance[field]`` = ``{"system", "version", "time", "event", "kind"}`` of the fact that
    set the field's current value (``kind`` is ``owner`` or ``fill``; a value a data steward
    accepted has ``system`` ``steward`` and names ``proposed_by``, ``decided_by`` and the
    ``conflict``). ``meta`` holds
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
    # the store's id, filled by reads (a steward's decision names it); not part of the fact
    id: int = dataclasses.field(default=0, compare=False)
    # who closed it (``state`` accepted or rejected) and when (UTC text), filled by reads
    decided_by: str | None = dataclasses.field(default=None, compare=False)
    decided_at: str | None = dataclasses.field(default=None, compare=False)


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


class DeliveryRecord(NamedTuple):
    """One delivery row. A named tuple, as the journal's records: a claim builds hundreds at a
    time, and a frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field) was a
    tenth of a delivery worker's time (bench/RESULTS.md, session 12)."""

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

    @property
    def window(self) -> int:
        """How many of the target's oldest due deliveries a claim reads to fill ``limit``. An
        entity's backlog sits in runs (the processor writes its deliveries together) and only
        the first of a run can go, so the window is ten batches wide; it costs an index range,
        not a check per row (bench/RESULTS.md, session 8)."""
        return max(self.limit * 10, 200)


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """What became of one claimed delivery: ``delivered`` (with the target's id for it),
    ``retry`` at ``due_at``, or ``dead`` (moved to the dead-letter queue), with the error."""

    delivery_id: int
    kind: Literal["delivered", "retry", "dead"]
    error: str | None = None
    due_at: str | None = None
    target_ref: str | None = None
    external_id: str | None = None  # the target's id for the entity: linked in the crosswalk


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
class SourceActivity:
    """What one source has sent: how many events the journal holds from it, and when the
    newest of them was received (a source gone quiet is often the first sign of trouble)."""

    source: str
    events: int
    last_received_at: str


@dataclass(frozen=True, slots=True)
class SourceCursor:
    """How far a poller read one stream of a source, and when it last moved."""

    source: str
    stream: str
    position: JsonObject
    updated_at: str


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


@dataclass(frozen=True, slots=True)
class ReceivedControlNumber:
    """What the store knew of a partner's control number when it was recorded: the digest of
    what first came under it (``None``: it is new) and the highest number seen before it."""

    first_digest: str | None
    highest_before: int | None


@dataclass(frozen=True, slots=True)
class StuckEntity:
    """An entity that has been in one status since ``since`` (the time of the fact that set
    it), with the order it belongs to (``order_number``, or its own number for an order)."""

    entity_key: str
    status: str
    since: str
    order_number: str | None


@dataclass(frozen=True, slots=True)
class Breach:
    """A monitor's condition holding for one subject (an entity key or a source) now."""

    monitor: str
    subject: str
    detail: str


@dataclass(frozen=True, slots=True)
class Alert:
    """A breach as recorded: raised once, cleared by itself when the condition stops holding.
    ``notice`` is the webhook notice still to send (``raise``/``clear``), if any."""

    id: int
    monitor: str
    subject: str
    detail: str
    raised_at: str
    cleared_at: str | None = None
    notice: str | None = None
    notice_attempts: int = 0


@dataclass(frozen=True, slots=True)
class AlertChanges:
    raised: tuple[Alert, ...]
    cleared: tuple[Alert, ...]


@dataclass(frozen=True, slots=True)
class SourceMinute:
    """Events journaled from one source in one minute (``minute``: ``YYYY-MM-DDTHH:MM``)."""

    minute: str
    source: str
    received: int


@dataclass(frozen=True, slots=True)
class TargetMinute:
    """What one target's deliveries came to in one minute: delivered (and their summed
    latency from routing to delivery), retried after a transient failure, dead-lettered."""

    minute: str
    target: str
    delivered: int
    retried: int
    dead: int
    latency_seconds: float


@dataclass(frozen=True, slots=True)
class OrderStageCount:
    """How many orders are at one order-to-cash stage (each order once, at its furthest; see
    ``core.order_to_cash``), and since when the longest-waiting and the median one are there."""

    stage: str
    orders: int
    oldest_since: str
    median_since: str


@dataclass(frozen=True, slots=True)
class StageCount:
    """How many entities of a domain are at one lifecycle stage (``None``: no status yet),
    and since when the longest-waiting of them has been there."""

    stage: str | None
    entities: int
    oldest_since: str | None
