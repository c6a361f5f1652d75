"""The read API's response documents, built from store records through a ``Disclosure``.

The documents are the published contract (OpenAPI); the records are the store's. Every value
that may hold personal data goes through the disclosure on its way from one to the other.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from logisync.api.disclosure import Disclosure
from logisync.core.ports import (
    ConflictRecord,
    CrosswalkLink,
    DeliveryRecord,
    JournalRecord,
    ProcessedEvent,
)

Outcome = Literal["applied", "partly_applied", "superseded", "conflict", "unchanged", "corrected"]


class Processing(BaseModel):
    """What the processor did with an event."""

    outcome: Outcome
    entity_version: int = Field(description="The entity's version after this event")
    detail: dict[str, Any] = Field(
        description="changed: the values it set; superseded: why a field was stale; "
        "refused: the fields governance refused"
    )
    processed_at: str | None


class EventView(BaseModel):
    """A journaled event: its CloudEvents envelope and data, its place in the journal, and what
    processing made of it (``processing`` is null until the processor has reached it)."""

    specversion: Literal["1.0"] = "1.0"
    id: str
    source: str
    type: str
    subject: str
    time: str
    datacontenttype: Literal["application/json"] = "application/json"
    sourceversion: str | None
    correlationid: str | None
    causationid: str | None
    data: dict[str, Any]
    seq: int = Field(description="Place in the journal")
    received_at: str
    processing: Processing | None


class HistoryEntry(BaseModel):
    seq: int
    event_id: str
    source: str
    type: str
    time: str
    outcome: Outcome
    entity_version: int
    detail: dict[str, Any]
    processed_at: str | None


class ConflictView(BaseModel):
    """A write that governance refused (``conflict``) or queued for a steward (``proposal``),
    and, once a steward decided it, the outcome: ``accepted`` (the value was journaled as the
    steward's and applied) or ``rejected`` (the current value stays), by whom and when."""

    id: int
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
    state: Literal["open", "accepted", "rejected"]
    decided_by: str | None = None
    decided_at: str | None = None


class Identifier(BaseModel):
    system: str
    external_id: str


class EntityView(BaseModel):
    """An entity's projection: its state, who set each field (``provenance``), what every
    processed event did to it, its open and decided conflicts and its id in each system."""

    key: str
    domain: str
    version: int
    state: dict[str, Any]
    provenance: dict[str, dict[str, Any]] = Field(
        description="Per field: system, version, time and event of the fact that set it"
    )
    updated_at: str | None
    pending_events: int = Field(description="Journaled events not processed yet")
    history: list[HistoryEntry]
    conflicts: list[ConflictView]
    decided_conflicts: list[ConflictView] = Field(
        default_factory=list, description="Conflicts and proposals a steward decided"
    )
    identifiers: list[Identifier]


class DeliveryView(BaseModel):
    id: int
    target: str
    flow: str
    mode: Literal["state", "event"]
    priority: int
    entity_key: str
    entity_version: int
    event_seq: int
    event_id: str
    state: Literal["pending", "claimed", "delivered", "dead", "coalesced"]
    attempts: int
    coalesced: int = Field(description="Earlier changes of the entity this delivery carries")
    created_at: str
    due_at: str
    first_attempt_at: str | None
    last_error: str | None
    delivered_at: str | None
    dead_at: str | None


class DeliveryPage(BaseModel):
    deliveries: list[DeliveryView]
    next_after: int | None = Field(
        description="Pass as ?after= for the next page; null when this page is the last"
    )


def event_view(
    record: JournalRecord, processed: ProcessedEvent | None, disclosure: Disclosure
) -> EventView:
    return EventView(
        id=record.event_id,
        source=record.source,
        type=record.type,
        subject=record.subject,
        time=record.time,
        sourceversion=record.sourceversion,
        correlationid=record.correlationid,
        causationid=record.causationid,
        data=disclosure.event_data(record.type, record.data),
        seq=record.seq,
        received_at=record.received_at,
        processing=None if processed is None else processing_view(processed, disclosure),
    )


def processing_view(processed: ProcessedEvent, disclosure: Disclosure) -> Processing:
    return Processing(
        outcome=processed.outcome,
        entity_version=processed.version,
        detail=disclosure.processing_detail(processed.entity_key, processed.detail),
        processed_at=processed.processed_at,
    )


def history_entry(
    record: JournalRecord, processed: ProcessedEvent, disclosure: Disclosure
) -> HistoryEntry:
    return HistoryEntry(
        seq=record.seq,
        event_id=record.event_id,
        source=record.source,
        type=record.type,
        time=record.time,
        outcome=processed.outcome,
        entity_version=processed.version,
        detail=disclosure.processing_detail(processed.entity_key, processed.detail),
        processed_at=processed.processed_at,
    )


def conflict_view(conflict: ConflictRecord, disclosure: Disclosure) -> ConflictView:
    key, name = conflict.entity_key, conflict.field
    return ConflictView(
        id=conflict.id,
        field=name,
        kind=conflict.kind,
        policy=conflict.policy,
        event_seq=conflict.event_seq,
        event_id=conflict.event_id,
        proposed_by=conflict.proposed_by,
        proposed_value=disclosure.field_value(key, name, conflict.proposed_value),
        current_value=disclosure.field_value(key, name, conflict.current_value),
        current_source=conflict.current_source,
        created_at=conflict.created_at,
        state=conflict.state,
        decided_by=conflict.decided_by,
        decided_at=conflict.decided_at,
    )


def identifier(link: CrosswalkLink) -> Identifier:
    return Identifier(system=link.system, external_id=link.external_id)


def delivery_view(record: DeliveryRecord) -> DeliveryView:
    return DeliveryView(
        id=record.id,
        target=record.target,
        flow=record.flow,
        mode=record.mode,
        priority=record.priority,
        entity_key=record.entity_key,
        entity_version=record.entity_version,
        event_seq=record.event_seq,
        event_id=record.event_id,
        state=record.state,
        attempts=record.attempts,
        coalesced=record.coalesced,
        created_at=record.created_at,
        due_at=record.due_at,
        first_attempt_at=record.first_attempt_at,
        last_error=record.last_error,
        delivered_at=record.delivered_at,
        dead_at=record.dead_at,
    )
