"""RequestOnlyRoute calls its endpoint with the request alone, and refuses an endpoint that
asks for more (FastAPI would have resolved it; this route would silently pass nothing)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request
from starlette.responses import JSONResponse, Response

from logisync.api.request_only_route import RequestOnlyRoute


async def _echo(request: Request) -> Response:
    return JSONResponse({"path": request.url.path, "body": (await request.body()).decode()})


def test_the_endpoint_gets_the_request_and_its_operation_is_published() -> None:
    router = APIRouter(route_class=RequestOnlyRoute)
    router.post("/echo", summary="Echo")(_echo)
    app = FastAPI()
    app.include_router(router)
    transport = httpx.ASGITransport(app=app)

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
            return await client.post("/echo", content=b"hello")

    answer = asyncio.run(call())
    assert answer.json() == {"path": "/echo", "body": "hello"}
    assert app.openapi()["paths"]["/echo"]["post"]["summary"] == "Echo"


@pytest.mark.parametrize("kind", ["query", "dependency", "no request"])
def test_an_endpoint_that_asks_for_more_than_the_request_is_refused(kind: str) -> None:
    async def query(request: Request, limit: int = 10) -> Response:
        return Response()

    def token() -> str:
        return "t"

    async def dependency(request: Request, value: str = Depends(token)) -> Response:
        return Response()

    async def nothing() -> Response:
        return Response()

    endpoint = {"query": query, "dependency": dependency, "no request": nothing}[kind]
    router = APIRouter(route_class=RequestOnlyRoute)
    with pytest.raises(TypeError, match="must take only `request: Request`"):
        router.post("/x")(endpoint)
