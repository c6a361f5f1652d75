"""``GET /v1/conflicts``: every write governance refused or queued for a steward, open or
decided, a page at a time (by id), with values masked as the entity read masks them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from logisync.api.auth import hub_of, requires
from logisync.api.disclosure import Disclosure
from logisync.api.problems import problem_responses
from logisync.api.read_views import ConflictView, conflict_view
from logisync.core.keys import READ, ApiKey
from logisync.model.envelope import ENTITY_KEY_PATTERN

router = APIRouter(prefix="/v1/conflicts", tags=["read"])


class ConflictEntry(ConflictView):
    """A conflict as listed: the entity view's conflict, with the entity it belongs to."""

    entity_key: str


class ConflictPage(BaseModel):
    conflicts: list[ConflictEntry]
    next_after: int | None
    """Pass it as ``after`` for the next page; null on the last one."""


@router.get(
    "",
    response_model=ConflictPage,
    summary="Conflicts and proposals, open or decided, oldest first, a page at a time",
    responses=problem_responses(400, 401, 403, 429, 503),
)
async def list_conflicts(
    request: Request,
    entity: Annotated[
        str | None, Query(max_length=512, pattern=ENTITY_KEY_PATTERN, description="One entity")
    ] = None,
    after: Annotated[int, Query(ge=0, le=2**63 - 1, description="Only ids above this")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    key: ApiKey = Depends(requires(READ)),  # noqa: B008
) -> ConflictPage:
    found = hub_of(request).reader.conflicts(entity, after=after, limit=limit + 1)
    page = found[:limit]
    disclosure = Disclosure.for_key(key)
    return ConflictPage(
        conflicts=[
            ConflictEntry(**conflict_view(c, disclosure).model_dump(), entity_key=c.entity_key)
            for c in page
        ],
        next_after=page[-1].id if len(found) > limit else None,
    )
