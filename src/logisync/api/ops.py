"""Probes for the orchestrator: ``/healthz`` says the process serves, ``/readyz`` that the
store would take a write now (a load balancer should stop sending events otherwise)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from logisync.api.auth import hub_of
from logisync.api.problems import Problem, problem_responses
from logisync.errors import StoreError

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The store can take writes", responses=problem_responses(503))
async def readyz(request: Request) -> dict[str, str]:
    hub = hub_of(request)
    try:
        if (problem := await hub.committer.writer_problem()) is not None:
            raise StoreError(problem)
        await hub.committer.call(hub.writer.check_writable)
    except StoreError as error:
        raise Problem(
            "store-unavailable",
            f"the store cannot take writes: {error}",
            headers={"Retry-After": str(hub.settings.retry_after_seconds)},
        ) from None
    return {"status": "ready"}
