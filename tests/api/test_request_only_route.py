"""RequestOnlyRoute calls an endpoint that takes only the request directly; anything that asks
for more (a parameter, a dependency of the route, router, inclusion or app) is served by
FastAPI's own handler, so no guard is skipped."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from starlette.responses import JSONResponse, Response

from logisync.api.request_only_route import RequestOnlyRoute

from .conftest import BATCH, STRUCTURED, RunningHub, order


async def _echo(request: Request) -> Response:
    return JSONResponse({"path": request.url.path, "body": (await request.body()).decode()})


def _guard() -> None:
    raise HTTPException(403, "the guard ran")


def _call(app: FastAPI, path: str = "/echo") -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
            return await client.post(path, content=b"hello")

    return asyncio.run(call())


def test_the_endpoint_gets_the_request_and_its_operation_is_published() -> None:
    router = APIRouter(route_class=RequestOnlyRoute)
    router.post("/echo", summary="Echo")(_echo)
    app = FastAPI()
    app.include_router(router)
    assert _call(app).json() == {"path": "/echo", "body": "hello"}
    assert app.openapi()["paths"]["/echo"]["post"]["summary"] == "Echo"


def _router(**options: Any) -> APIRouter:
    router = APIRouter(route_class=RequestOnlyRoute, **options)
    router.post("/echo")(_echo)
    return router


GUARDED: dict[str, Callable[[], FastAPI]] = {
    "route": lambda: _included(_route_with_guard()),
    "router": lambda: _included(_router(dependencies=[Depends(_guard)])),
    "include_router": lambda: _included(_router(), dependencies=[Depends(_guard)]),
    "app": lambda: _included(_router(), app=FastAPI(dependencies=[Depends(_guard)])),
    "app's own router": lambda: _on_the_apps_router(FastAPI(dependencies=[Depends(_guard)])),
}


def _on_the_apps_router(app: FastAPI) -> FastAPI:
    """As the hub adds its intake routes (``intake.add_routes``): no ``include_router``."""
    app.router.add_api_route(
        "/echo", _echo, methods=["POST"], route_class_override=RequestOnlyRoute
    )
    return app


def _route_with_guard() -> APIRouter:
    router = APIRouter(route_class=RequestOnlyRoute)
    router.post("/echo", dependencies=[Depends(_guard)])(_echo)
    return router


def _included(router: APIRouter, app: FastAPI | None = None, **options: Any) -> FastAPI:
    app = app or FastAPI()
    app.include_router(router, **options)
    return app


@pytest.mark.parametrize("level", GUARDED)
def test_a_dependency_declared_at_any_level_still_runs(level: str) -> None:
    answer = _call(GUARDED[level]())
    assert answer.status_code == 403 and answer.json() == {"detail": "the guard ran"}


def test_an_endpoint_with_parameters_gets_them_from_fastapi() -> None:
    async def paged(request: Request, limit: int = 10) -> Response:
        return JSONResponse({"limit": limit})

    router = APIRouter(route_class=RequestOnlyRoute)
    router.post("/paged")(paged)
    app = _included(router)
    assert _call(app, "/paged?limit=3").json() == {"limit": 3}


def test_the_fast_path_does_not_resolve_dependencies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the route: FastAPI's per-request resolution is not run for it."""
    import fastapi.routing

    async def refuse(**_: Any) -> None:
        raise AssertionError("FastAPI resolved dependencies for a request-only endpoint")

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", refuse)
    assert _call(_included(_router())).json() == {"path": "/echo", "body": "hello"}
    assert _call(_on_the_apps_router(FastAPI())).json() == {"path": "/echo", "body": "hello"}
    with pytest.raises(AssertionError, match="resolved dependencies"):
        _call(_included(_router(dependencies=[Depends(_guard)])))


def test_the_hubs_intake_routes_take_the_fast_path(
    start_hub: Callable[..., RunningHub], monkeypatch: pytest.MonkeyPatch
) -> None:
    import fastapi.routing

    async def refuse(**_: Any) -> None:
        raise AssertionError("FastAPI resolved dependencies for an intake route")

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", refuse)
    running = start_hub()
    token, _ = running.key()
    with running.client(token) as client:
        single = client.post(
            "/v1/events", content=orjson.dumps(order("SO1", "1")), headers=STRUCTURED
        )
        batch = client.post(
            "/v1/events/batch", content=orjson.dumps([order("SO2", "2")]), headers=BATCH
        )
    assert (single.status_code, batch.status_code) == (202, 202), (single.text, batch.text)
