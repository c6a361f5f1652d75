"""The simulated TMS over HTTP: booking consignments, and the shared ``/__sim__`` routes.

``POST /api/v1/consignments`` with ``X-Api-Key``::

    {"reference": "OUT-000001", "destination": {"city": "Tilburg", "zip": "5038",
                                               "country": "NL"}}

answers 201 ``{"reference", "route": null}`` (200 for a repeat), 400 for a body it cannot
read, 401 without the key, 429/503 with Retry-After when told to. ``POST /api/v1/routes``
plans every unplanned consignment on a route and answers the ``route.planned`` message it owes.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from logisync.testing.sim_control import add_sim_routes
from logisync.testing.tms.transport import Consignment, TransportSystem

__all__ = ["create_tms_app"]


class _Destination(BaseModel):
    model_config = ConfigDict(extra="forbid")
    city: str | None = None
    zip: str | None = None
    country: str | None = Field(default=None, min_length=2, max_length=2)


class _Booking(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reference: str = Field(min_length=1, max_length=64, pattern=r"^[^\s:/]+$")
    destination: _Destination = _Destination()


def _error(status: int, message: str, retry_after: int | None = None) -> JSONResponse:
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def create_tms_app(transport: TransportSystem, api_key: str) -> FastAPI:
    app = FastAPI(title="Simulated TMS", docs_url=None, redoc_url=None, openapi_url=None)

    def refused(request: Request) -> JSONResponse | None:
        given = request.headers.get("x-api-key", "")
        if not hmac.compare_digest(given.encode(), api_key.encode()):
            return _error(401, "a valid X-Api-Key is required")
        forced = transport.forced_answer()
        if forced is not None:
            retry_after = transport.faults.retry_after if forced in (429, 503) else None
            return _error(forced, f"the simulated TMS answers {forced}", retry_after)
        return None

    @app.post("/api/v1/consignments")
    async def book(request: Request) -> JSONResponse:
        body = await request.body()
        answer = refused(request) or _book(transport, body)
        transport.record(
            {"path": request.url.path, "body": body.decode(errors="replace")}, answer.status_code
        )
        return answer

    @app.post("/api/v1/routes")
    async def plan(request: Request) -> JSONResponse:
        answer = refused(request)
        if answer is None:
            planned = transport.plan_route()
            answer = (
                JSONResponse(planned, status_code=201)
                if planned
                else _error(409, "nothing to plan")
            )
        transport.record({"path": request.url.path, "body": ""}, answer.status_code)
        return answer

    add_sim_routes(
        app,
        clock=transport.clock,
        outbox=transport.outbox,
        faults=lambda: transport.faults,
        set_faults=transport.set_faults,
        received=lambda: list(transport.received),
    )
    return app


def _book(transport: TransportSystem, body: bytes) -> JSONResponse:
    try:
        booking = _Booking.model_validate_json(body)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        return _error(400, f"{where}: {first['msg']}")
    place = booking.destination
    status, held = transport.book(
        Consignment(booking.reference, place.city, place.zip, place.country)
    )
    answer: dict[str, Any] = {"reference": held.shipment_number, "route": held.route_id}
    return JSONResponse(answer, status_code=status)
