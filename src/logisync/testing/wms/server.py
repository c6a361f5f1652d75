"""The simulated WMS over HTTP: its outbound-order API and the ``/__sim__`` control routes.

The control routes (``/__sim__/faults``, ``/__sim__/advance``, ``/__sim__/records``) are those
of ``sim_control``.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from logisync.testing.sim_control import add_sim_routes
from logisync.testing.wms.api_models import ReleaseRequest
from logisync.testing.wms.warehouse import Warehouse

__all__ = ["create_wms_app"]


def _error(status: int, code: str, message: str, retry_after: int | None = None) -> JSONResponse:
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def create_wms_app(warehouse: Warehouse, token: str) -> FastAPI:
    app = FastAPI(title="Simulated WMS", docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/api/v2/outbound-orders")
    async def release(request: Request) -> JSONResponse:
        body = await request.body()
        seen: dict[str, Any] = {"path": request.url.path, "body": body.decode(errors="replace")}
        answer = _release(warehouse, token, request.headers.get("authorization", ""), body)
        warehouse.record(seen, answer.status_code)
        return answer

    @app.get("/api/v2/outbound-orders/{reference}")
    async def read(reference: str, request: Request) -> JSONResponse:
        if not _authorised(token, request.headers.get("authorization", "")):
            return _error(401, "unauthorized", "a valid bearer token is required")
        order = warehouse.orders.get(reference)
        if order is None:
            return _error(404, "not_found", f"no outbound order {reference}")
        return JSONResponse(order.answer())

    add_sim_routes(
        app,
        clock=warehouse.clock,
        outbox=warehouse.outbox,
        faults=lambda: warehouse.faults,
        set_faults=warehouse.set_faults,
        received=lambda: list(warehouse.received),
    )
    return app


def _authorised(token: str, header: str) -> bool:
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())


def _release(warehouse: Warehouse, token: str, authorization: str, body: bytes) -> JSONResponse:
    if not _authorised(token, authorization):
        return _error(401, "unauthorized", "a valid bearer token is required")
    forced = warehouse.forced_answer()
    if forced is not None:
        retry_after = warehouse.faults.retry_after if forced in (429, 503) else None
        return _error(forced, "simulated", f"the simulated WMS answers {forced}", retry_after)
    try:
        request = ReleaseRequest.model_validate_json(body)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        return _error(400, "invalid_order", f"{where}: {first['msg']}")
    status, answer = warehouse.release(request)
    if status == 409:
        return JSONResponse(
            {
                "error": "conflict",
                "message": f"{request.client_reference} was released with other items",
                "id": answer["id"],
            },
            status_code=409,
        )
    return JSONResponse(answer, status_code=status)
