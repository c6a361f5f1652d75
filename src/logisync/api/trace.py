"""``GET /v1/trace/{correlation_id}``: one business transaction across systems, in time order.

The entries are everything the hub did for the transaction: each event received and
processed (with its outcome), each delivery routed from them, and each delivery attempt
(failed and to be retried, dead-lettered, or delivered). A state delivery carries the
correlation of the latest event it absorbed, so an earlier transaction whose change was
coalesced into a later one shows its events but not that delivery.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from logisync.api.auth import hub_of, requires
from logisync.api.disclosure import Disclosure
from logisync.api.problems import Problem, problem_responses
from logisync.api.read_views import Outcome
from logisync.core.keys import READ, ApiKey
from logisync.core.ports import DeliveryRecord, JournalRecord, ProcessedEvent, Store

router = APIRouter(tags=["read"])

CorrelationId = Annotated[
    str, Path(min_length=1, max_length=256, description="The events' correlationid")
]


class EventReceived(BaseModel):
    kind: Literal["event.received"] = "event.received"
    at: str
    seq: int
    event_id: str
    source: str
    type: str
    subject: str
    time: str = Field(description="When the fact happened, as its source says")
    data: dict[str, Any]


class EventProcessed(BaseModel):
    kind: Literal["event.processed"] = "event.processed"
    at: str
    seq: int
    event_id: str
    source: str
    subject: str
    outcome: Outcome
    entity_version: int
    detail: dict[str, Any]


class DeliveryCreated(BaseModel):
    kind: Literal["delivery.created"] = "delivery.created"
    at: str
    delivery_id: int
    target: str
    flow: str
    mode: Literal["state", "event"]
    entity_key: str
    event_seq: int
    event_id: str
    state: str = Field(description="The delivery's state now")


class DeliveryAttempted(BaseModel):
    """``delivery.failed``: a transient failure, retried later; ``delivery.dead_lettered``: a
    refusal or the last retry, moved to the dead-letter queue; ``delivery.delivered``."""

    kind: Literal["delivery.failed", "delivery.dead_lettered", "delivery.delivered"]
    at: str
    delivery_id: int
    target: str
    attempt: int
    error: str | None = None
    target_ref: str | None = Field(default=None, description="The target's id for the write")


TraceEntry = Annotated[
    EventReceived | EventProcessed | DeliveryCreated | DeliveryAttempted,
    Field(discriminator="kind"),
]


class Trace(BaseModel):
    correlation_id: str
    events: int
    deliveries: int
    entries: list[TraceEntry]


_ATTEMPT_KINDS = {
    "transient": "delivery.failed",
    "permanent": "delivery.dead_lettered",
    "delivered": "delivery.delivered",
}
# Entries at the same instant keep the order in which one causes the next.
_RANK = {
    "event.received": 0,
    "event.processed": 1,
    "delivery.created": 2,
    "delivery.failed": 3,
    "delivery.dead_lettered": 3,
    "delivery.delivered": 3,
}


@router.get(
    "/v1/trace/{correlation_id:path}",
    response_model=Trace,
    summary="Every event, delivery and attempt of one business transaction, in time order",
    responses=problem_responses(400, 401, 403, 404, 429, 503),
)
async def trace(
    request: Request,
    correlation_id: CorrelationId,
    key: ApiKey = Depends(requires(READ)),  # noqa: B008
) -> Trace:
    found = build_trace(hub_of(request).reader, correlation_id, Disclosure.for_key(key))
    if found is None:
        raise Problem(
            "not-found", f"no event nor delivery has the correlationid {correlation_id!r}"
        )
    return found


def build_trace(store: Store, correlation_id: str, disclosure: Disclosure) -> Trace | None:
    """One business transaction's entries, or None when the hub knows nothing of it. The CLI
    and the dashboard render the same entries as the read API."""
    events = store.events_for_correlation(correlation_id)
    deliveries = store.deliveries_for_correlation(correlation_id)
    return _trace(store, correlation_id, events, deliveries, disclosure)


ORDER_DOCUMENTS = ("shipment", "invoice")
"""Domains whose entities name their order in ``order_number``: an order's trace shows them."""


def build_entity_trace(store: Store, entity_key: str, disclosure: Disclosure) -> Trace | None:
    """Everything about one entity across all its transactions (an orphan carrier scan has
    no correlation id, a stock level has many); ``correlation_id`` holds the entity key.

    An order's trace also shows its shipments and invoices: systems that send no correlation
    id still name the order in those documents, and without them the order's timeline would
    stop at the warehouse's door (no carrier scan, no proof of delivery, no invoice)."""
    keys = [entity_key, *_documents_of(store, entity_key)]
    events = [record for key in keys for record in store.events_for(key)]
    deliveries = [record for key in keys for record in store.deliveries(entity_key=key)]
    return _trace(store, entity_key, events, deliveries, disclosure)


def _documents_of(store: Store, entity_key: str) -> list[str]:
    domain, _, number = entity_key.partition(":")
    if domain != "sales_order" or not number:
        return []
    return [
        projection.entity_key
        for document in ORDER_DOCUMENTS
        for projection in store.documents_of_orders(document, [number], limit=100)
    ]


def _trace(
    store: Store,
    name: str,
    events: list[JournalRecord],
    deliveries: list[DeliveryRecord],
    disclosure: Disclosure,
) -> Trace | None:
    if not events and not deliveries:
        return None
    processed = store.processing_of([record.seq for record in events])
    entries = _event_entries(events, processed, disclosure)
    entries += _delivery_entries(store, deliveries)
    entries.sort(key=lambda entry: (entry.at, _RANK[entry.kind]))
    return Trace(
        correlation_id=name, events=len(events), deliveries=len(deliveries), entries=entries
    )


def _event_entries(
    events: list[JournalRecord], processed: dict[int, ProcessedEvent], disclosure: Disclosure
) -> list[Any]:
    entries: list[Any] = []
    for record in events:
        entries.append(
            EventReceived(
                at=record.received_at,
                seq=record.seq,
                event_id=record.event_id,
                source=record.source,
                type=record.type,
                subject=record.subject,
                time=record.time,
                data=disclosure.event_data(record.type, record.data),
            )
        )
        done = processed.get(record.seq)
        if done is not None:
            entries.append(
                EventProcessed(
                    at=done.processed_at or record.received_at,
                    seq=record.seq,
                    event_id=record.event_id,
                    source=record.source,
                    subject=record.subject,
                    outcome=done.outcome,
                    entity_version=done.version,
                    detail=disclosure.processing_detail(done.entity_key, done.detail),
                )
            )
    return entries


def _delivery_entries(store: Store, deliveries: list[DeliveryRecord]) -> list[Any]:
    entries: list[Any] = []
    for delivery in deliveries:
        entries.append(
            DeliveryCreated(
                at=delivery.created_at,
                delivery_id=delivery.id,
                target=delivery.target,
                flow=delivery.flow,
                mode=delivery.mode,
                entity_key=delivery.entity_key,
                event_seq=delivery.event_seq,
                event_id=delivery.event_id,
                state=delivery.state,
            )
        )
        for number, at, outcome, detail in store.attempts(delivery.id):
            delivered = outcome == "delivered"
            entries.append(
                DeliveryAttempted(
                    kind=_ATTEMPT_KINDS[outcome],
                    at=at,
                    delivery_id=delivery.id,
                    target=delivery.target,
                    attempt=number,
                    error=None if delivered else detail,
                    target_ref=detail if delivered else None,
                )
            )
    return entries
