"""``GET /v1/events/{id}`` and ``GET /v1/entities/{key}``: the journal and the projections.

Reads use the hub's reader handle on the event loop (WAL lets them run beside the writer);
personal data is masked unless the key has ``pii:read`` (see ``api.disclosure``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from logisync.api.auth import hub_of, requires
from logisync.api.disclosure import Disclosure
from logisync.api.problems import Problem, problem_responses
from logisync.api.read_views import (
    EntityView,
    EventView,
    conflict_view,
    event_view,
    history_entry,
    identifier,
)
from logisync.core.keys import READ, ApiKey
from logisync.core.ports import JournalRecord, Store
from logisync.core.stewardship import every_conflict
from logisync.model.envelope import ENTITY_KEY_PATTERN

router = APIRouter(tags=["read"])

EventId = Annotated[str, Path(min_length=1, max_length=256, description="The event's id")]
Source = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=256,
        description="The event's source: needed only when several sources used the same id",
    ),
]
EntityKey = Annotated[
    str,
    Path(
        max_length=512,
        pattern=ENTITY_KEY_PATTERN,
        description="<domain>:<business key>, e.g. sales_order:SO1001",
    ),
]


@router.get(
    "/v1/events/{event_id:path}",
    response_model=EventView,
    summary="One journaled event, with what processing made of it",
    responses=problem_responses(400, 401, 403, 404, 409, 429, 503),
)
async def get_event(
    request: Request,
    event_id: EventId,
    source: Source = None,
    key: ApiKey = Depends(requires(READ)),  # noqa: B008
) -> EventView:
    store = hub_of(request).reader
    record = _one_event(store, event_id, source)
    processed = store.processing_of([record.seq]).get(record.seq)
    return event_view(record, processed, Disclosure.for_key(key))


def _one_event(store: Store, event_id: str, source: str | None) -> JournalRecord:
    if source is not None:
        record = store.get_event(event_id, source)
        if record is None:
            raise Problem("not-found", f"no event {event_id!r} from {source!r}")
        return record
    found = store.events_with_id(event_id)
    if not found:
        raise Problem("not-found", f"no event {event_id!r} from any source")
    if len(found) > 1:
        sources = ", ".join(record.source for record in found)
        raise Problem(
            "ambiguous-event-id",
            f"{len(found)} events have the id {event_id!r}, from the sources {sources}; "
            "add ?source= to name one",
        )
    return found[0]


@router.get(
    "/v1/entities/{key:path}",
    response_model=EntityView,
    summary="An entity's state, provenance, history, conflicts and ids in each system",
    responses=problem_responses(400, 401, 403, 404, 429, 503),
)
async def get_entity(
    request: Request,
    key: EntityKey,
    caller: ApiKey = Depends(requires(READ)),  # noqa: B008
) -> EntityView:
    store = hub_of(request).reader
    disclosure = Disclosure.for_key(caller)
    projection = store.get_projection(key)
    events = {record.seq: record for record in store.events_for(key)}
    links = store.identifiers(key)
    if projection is None and not events and not links:
        raise Problem("not-found", f"no entity {key!r}: no event was journaled about it")
    history = [p for p in store.history(key) if p.seq in events]
    conflicts_of_entity = every_conflict(store, key)
    conflicts = [c for c in conflicts_of_entity if c.state == "open"]
    return EntityView(
        key=key,
        domain=key.split(":", 1)[0],
        version=projection.version if projection else 0,
        state=disclosure.state(key, projection.state) if projection else {},
        provenance=projection.provenance if projection else {},
        updated_at=projection.updated_at if projection else None,
        pending_events=len(events) - len(history),
        history=[history_entry(events[p.seq], p, disclosure) for p in history],
        conflicts=[conflict_view(c, disclosure) for c in conflicts],
        decided_conflicts=[
            conflict_view(c, disclosure) for c in conflicts_of_entity if c.state != "open"
        ],
        identifiers=[identifier(link) for link in links],
    )
