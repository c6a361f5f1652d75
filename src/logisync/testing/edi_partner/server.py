"""The partner's control server on loopback: change its faults live, read what it did.

``GET|PUT /__sim__/faults`` (a ``PartnerFaultPlan`` as JSON), ``GET /__sim__/sent``,
``GET /__sim__/received`` (acknowledgements, documents from the hub, unreadable replies),
``GET /__sim__/expected`` (facts the hub should hold), ``POST /__sim__/drop``
(``{"kind": ..., "faults": [...]}``), ``POST /__sim__/tick``, ``POST /__sim__/advance``
(``{"seconds": n}``), ``GET /__sim__/clock``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from logisync.testing.edi_partner.documents import DOCUMENT_KINDS
from logisync.testing.edi_partner.faults import PartnerFaultPlan
from logisync.testing.edi_partner.partner import EdiPartner

__all__ = ["create_edi_partner_app"]


def create_edi_partner_app(partner: EdiPartner) -> Starlette:
    async def faults(request: Request) -> JSONResponse:
        if request.method == "PUT":
            body = await _json(request)
            if isinstance(body, JSONResponse):
                return body
            try:
                plan = PartnerFaultPlan.model_validate(body)
                partner.faults = plan
            except ValidationError as invalid:
                problems = [
                    {"location": "/" + "/".join(map(str, e["loc"])), "message": e["msg"]}
                    for e in invalid.errors()
                ]
                return JSONResponse({"title": "invalid fault plan", "problems": problems}, 422)
            except ValueError as wrong:
                problems = [{"location": "/malformations", "message": str(wrong)}]
                return JSONResponse({"title": "invalid fault plan", "problems": problems}, 422)
        return JSONResponse(partner.faults.model_dump(mode="json"))

    async def sent(request: Request) -> JSONResponse:
        return JSONResponse(partner.records.sent_json())

    async def received(request: Request) -> JSONResponse:
        await run_in_threadpool(partner.read_replies)
        return JSONResponse(partner.records.received_json())

    async def expected(request: Request) -> JSONResponse:
        return JSONResponse([asdict(fact) for fact in partner.records.expected()])

    async def drop(request: Request) -> JSONResponse:
        body = await _json(request)
        if isinstance(body, JSONResponse):
            return body
        kind = body.get("kind") if isinstance(body, dict) else None
        if kind is not None and kind not in DOCUMENT_KINDS:
            return _problem(f"kind {kind!r} is not one of {', '.join(DOCUMENT_KINDS)}")
        try:
            done = await run_in_threadpool(partner.drop, kind, faults=body.get("faults", ()))
        except ValueError as wrong:
            return _problem(str(wrong))
        return JSONResponse([s.as_json() for s in done])

    async def tick(request: Request) -> JSONResponse:
        done = await run_in_threadpool(partner.tick)
        return JSONResponse([s.as_json() for s in done])

    async def advance(request: Request) -> JSONResponse:
        body = await _json(request)
        if isinstance(body, JSONResponse):
            return body
        seconds = body.get("seconds")
        if not isinstance(seconds, int | float) or seconds < 0:
            return _problem("seconds must be a number of seconds, 0 or more")
        return JSONResponse({"now": partner.advance(float(seconds)).isoformat()})

    async def clock(request: Request) -> JSONResponse:
        return JSONResponse({"now": partner.now().isoformat()})

    return Starlette(
        routes=[
            Route("/__sim__/faults", faults, methods=["GET", "PUT"]),
            Route("/__sim__/sent", sent, methods=["GET"]),
            Route("/__sim__/received", received, methods=["GET"]),
            Route("/__sim__/expected", expected, methods=["GET"]),
            Route("/__sim__/drop", drop, methods=["POST"]),
            Route("/__sim__/tick", tick, methods=["POST"]),
            Route("/__sim__/advance", advance, methods=["POST"]),
            Route("/__sim__/clock", clock, methods=["GET"]),
        ]
    )


async def _json(request: Request) -> dict[str, Any] | JSONResponse:
    try:
        body = json.loads(await request.body() or b"{}")
    except json.JSONDecodeError as error:
        return _problem(f"the body is not JSON: {error.msg} at character {error.pos}")
    if not isinstance(body, dict):
        return _problem("the body must be a JSON object")
    return body


def _problem(message: str) -> JSONResponse:
    return JSONResponse({"title": "bad request", "detail": message}, 400)
