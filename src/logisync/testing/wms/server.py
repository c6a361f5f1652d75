"""The simulated WMS over HTTP: its outbound-order API and the ``/__sim__`` control routes.

``/__sim__/faults`` (GET, PUT a ``MessageFaultPlan``) changes misbehaviour live;
``/__sim__/advance`` (POST ``{"seconds": n}``) moves the clock and posts what became due;
``/__sim__/records`` shows the requests answered and the messages posted.
"""

from __future__ import annotations

import hmac
from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from logisync.testing.message_faults import MessageFaultPlan
from logisync.testing.wms.api_models import ReleaseRequest
from logisync.testing.wms.warehouse import Warehouse

__all__ = ["create_wms_app"]


class _Advance(BaseModel):
    seconds: float = Field(ge=0, le=30 * 86400)


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

    @app.get("/__sim__/faults")
    async def faults() -> dict[str, Any]:
        return warehouse.faults.model_dump(mode="json")

    @app.put("/__sim__/faults")
    async def set_faults(request: Request) -> JSONResponse:
        try:
            plan = MessageFaultPlan.model_validate_json(await request.body())
        except ValidationError as error:
            return JSONResponse({"errors": error.errors(include_url=False)}, status_code=422)
        warehouse.set_faults(plan)
        return JSONResponse(plan.model_dump(mode="json"))

    @app.post("/__sim__/advance")
    async def advance(step: _Advance) -> dict[str, Any]:
        now = warehouse.clock.advance(step.seconds)
        sent = warehouse.outbox.flush()
        return {"now": now.isoformat(), "sent": [asdict(message) for message in sent]}

    @app.get("/__sim__/records")
    async def records() -> dict[str, Any]:
        return {
            "received": list(warehouse.received),
            "sent": [asdict(message) for message in warehouse.outbox.sent],
        }

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
