"""``GET /v1/deliveries`` (dead letters and the rest, by state) and
``POST /v1/deliveries/{id}/replay``: the dead-letter queue over HTTP.

A replay needs the ``admin`` scope and a reason; it is audited in the same transaction that
queues the delivery again, with the key as actor and the client's address as origin.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from logisync.api.auth import hub_of, origin_of, requires
from logisync.api.problems import Problem, problem_responses
from logisync.api.read_views import DeliveryPage, DeliveryView, delivery_view
from logisync.core.keys import ADMIN, READ, ApiKey

router = APIRouter(prefix="/v1/deliveries", tags=["deliveries"])

DeliveryState = Literal["pending", "claimed", "delivered", "dead", "coalesced"]
DeliveryId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The delivery's id")]


class ReplayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=1000, description="Why (kept in the audit log)")
    mode: Literal["sent", "current"] = Field(
        default="sent",
        description="sent: the delivery as it was routed; current: the entity's current state",
    )


@router.get(
    "",
    response_model=DeliveryPage,
    summary="Deliveries in one state (dead letters by default), oldest first",
    responses=problem_responses(400, 401, 403, 429, 503),
)
async def list_deliveries(
    request: Request,
    state: Annotated[DeliveryState, Query(description="The deliveries' state")] = "dead",
    target: Annotated[str | None, Query(min_length=1, max_length=128)] = None,
    after: Annotated[int, Query(ge=0, le=2**63 - 1, description="Only ids above this")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    _key: ApiKey = Depends(requires(READ)),  # noqa: B008
) -> DeliveryPage:
    store = hub_of(request).reader
    found = store.deliveries_in_state(state, target=target, after=after, limit=limit + 1)
    page = found[:limit]
    return DeliveryPage(
        deliveries=[delivery_view(record) for record in page],
        next_after=page[-1].id if len(found) > limit else None,
    )


@router.post(
    "/{delivery_id}/replay",
    status_code=202,
    response_model=DeliveryView,
    summary="Queue a dead delivery again, as sent or as the entity's current state (audited)",
    responses=problem_responses(400, 401, 403, 404, 409, 429, 503),
)
async def replay(
    request: Request,
    delivery_id: DeliveryId,
    body: ReplayRequest,
    key: ApiKey = Depends(requires(ADMIN)),  # noqa: B008
) -> DeliveryView:
    hub = hub_of(request)
    if hub.reader.delivery(delivery_id) is None:
        raise Problem("not-found", f"no delivery {delivery_id}")
    replayed = await hub.committer.call(
        partial(
            hub.writer.replay_dead_letter,
            delivery_id,
            current=body.mode == "current",
            actor=f"key:{key.key_id}",
            reason=body.reason,
            now=hub.clock.now(),
            origin=origin_of(request),
        )
    )
    record = hub.reader.delivery(delivery_id)
    assert record is not None  # deliveries are never deleted
    if not replayed:
        raise Problem("not-replayable", _why_not(record.state, record.target, record.entity_key))
    return delivery_view(record)


def _why_not(state: str, target: str, entity_key: str) -> str:
    if state != "dead":
        return f"the delivery is {state}, not dead: only dead letters are replayed"
    return (
        f"a state delivery of {entity_key} to {target} is already queued and carries its "
        "latest state: let it go through instead"
    )
