"""The carrier hub's HTTP server: four carriers' tracking APIs and the ``/__sim__`` controls.

One app serves every carrier at the path its real API uses, so each carrier's base URL is
the server's root:

- UPS ``GET /api/track/v1/details/{n}`` (Bearer, transId, transactionSrc);
- FedEx ``POST /track/v1/trackingnumbers`` (Bearer);
- DHL ``GET /track/shipments?trackingNumber=`` (DHL-API-Key);
- USPS ``GET /tracking/v3/tracking/{n}?expand=DETAIL`` (Bearer).

During downtime they answer 503 with Retry-After; a malformed-message fault cuts an answer in
half. ``/__sim__``: ``GET|PUT faults``, ``GET|DELETE sent``, ``GET expected``,
``GET clock``, ``POST advance`` ({"seconds": n}), ``POST tick``. The controls are never
faulted nor recorded.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from logisync.testing.carrier_hub.carriers import Carrier
from logisync.testing.carrier_hub.faults import CarrierFaultPlan
from logisync.testing.carrier_hub.hub import CarrierHub
from logisync.testing.carrier_hub.pushing import Pusher
from logisync.testing.carrier_hub.records import SentMessage
from logisync.testing.carrier_hub.shapes import dhl, fedex, ups, usps
from logisync.testing.carrier_hub.shipments import Scan

__all__ = ["create_carrier_hub_app"]

Answer = tuple[int, dict[str, Any], list[Scan]]


def create_carrier_hub_app(hub: CarrierHub, pusher: Pusher | None = None) -> Starlette:
    routes = [
        Route("/api/track/v1/details/{number}", _ups(hub), methods=["GET"]),
        Route("/track/v1/trackingnumbers", _fedex(hub), methods=["POST"]),
        Route("/track/shipments", _dhl(hub), methods=["GET"]),
        Route("/tracking/v3/tracking/{number}", _usps(hub), methods=["GET"]),
        *_admin_routes(hub, pusher),
    ]
    return Starlette(routes=routes)


def _bearer_ok(request: Request, token: str) -> bool:
    return request.headers.get("authorization", "") == f"Bearer {token}"


def _answer(
    hub: CarrierHub,
    request: Request,
    carrier: Carrier,
    refusal: Callable[[], dict[str, Any] | None],
    render: Callable[[], Answer],
) -> Response:
    """Check auth (``refusal``), downtime, render, maybe truncate, and record the answer."""
    if (problem := refusal()) is not None:
        return _record(hub, carrier, request, 401, problem, [])
    window = hub.faults.down_at(hub.now())
    if window is not None:
        wait = max(1, math.ceil((window.end - hub.now()).total_seconds()))
        body = {"message": "Service temporarily unavailable"}
        return _record(hub, carrier, request, 503, body, [], headers={"retry-after": str(wait)})
    status, payload, scans = render()
    truncate = status == 200 and hub.draw_rate(hub.faults.malformed_rate)
    return _record(hub, carrier, request, status, payload, scans, truncate=truncate)


def _record(
    hub: CarrierHub,
    carrier: Carrier,
    request: Request,
    status: int,
    payload: dict[str, Any],
    scans: list[Scan],
    *,
    truncate: bool = False,
    headers: dict[str, str] | None = None,
) -> Response:
    text = json.dumps(payload, separators=(",", ":"))
    if truncate:
        text = text[: len(text) // 2]
    hub.records.add(
        SentMessage(
            channel="poll",
            carrier=carrier,
            target=str(request.url.path),
            body=text,
            at=hub.now().isoformat(),
            status=status,
            scan_ids=tuple(scan.scan_id for scan in scans),
            tracking_numbers=tuple(sorted({scan.tracking_number for scan in scans})),
            tags=("malformed",) if truncate else (),
        )
    )
    return Response(text, status, headers=headers, media_type="application/json")


def _ups(hub: CarrierHub) -> Callable[[Request], Any]:
    async def track(request: Request) -> Response:
        number = request.path_params["number"]

        def refusal() -> dict[str, Any] | None:
            ok = _bearer_ok(request, hub.credentials.ups_bearer)
            return None if ok else ups.unauthorized()

        def render() -> Answer:
            if not request.headers.get("transid") or not request.headers.get("transactionsrc"):
                return (
                    400,
                    ups.bad_request("the transId and transactionSrc headers are required"),
                    [],
                )
            shipment, scans = hub.shipment(number), hub.visible_scans(number)
            if shipment is None or not scans:
                return 404, ups.not_found(number), []
            return 200, ups.track_answer(shipment, number, scans), scans

        return _answer(hub, request, "ups", refusal, render)

    return track


def _fedex(hub: CarrierHub) -> Callable[[Request], Any]:
    async def track(request: Request) -> Response:
        raw = await request.body()

        def refusal() -> dict[str, Any] | None:
            ok = _bearer_ok(request, hub.credentials.fedex_bearer)
            return None if ok else fedex.unauthorized()

        def render() -> Answer:
            try:
                numbers = fedex.requested_numbers(raw)
            except ValueError as exc:
                return 400, fedex.bad_request(str(exc)), []
            complete, shown = [], []
            for number in numbers:
                shipment, scans = hub.shipment(number), hub.visible_scans(number)
                if shipment is None or not scans:
                    result = fedex.not_found_result(number)
                else:
                    result = fedex.track_result(shipment, number, scans)
                    shown += scans
                complete.append({"trackingNumber": number, "trackResults": [result]})
            output = {"completeTrackResults": complete}
            return 200, {"transactionId": "carrier-hub", "output": output}, shown

        return _answer(hub, request, "fedex", refusal, render)

    return track


def _dhl(hub: CarrierHub) -> Callable[[Request], Any]:
    async def track(request: Request) -> Response:
        number = request.query_params.get("trackingNumber", "")

        def refusal() -> dict[str, Any] | None:
            ok = request.headers.get("dhl-api-key") == hub.credentials.dhl_api_key
            return None if ok else dhl.unauthorized()

        def render() -> Answer:
            if not number:
                return 400, dhl.bad_request("the trackingNumber query parameter is required"), []
            shipment, scans = hub.shipment(number), hub.visible_scans(number)
            if shipment is None or not scans:
                return 404, dhl.not_found(number), []
            answer = dhl.shipments_answer(shipment, scans, without_offset=hub.hides_offset)
            return 200, answer, scans

        return _answer(hub, request, "dhl", refusal, render)

    return track


def _usps(hub: CarrierHub) -> Callable[[Request], Any]:
    async def track(request: Request) -> Response:
        number = request.path_params["number"]

        def refusal() -> dict[str, Any] | None:
            ok = _bearer_ok(request, hub.credentials.usps_bearer)
            return None if ok else usps.unauthorized()

        def render() -> Answer:
            shipment, scans = hub.shipment(number), hub.visible_scans(number)
            if shipment is None or not scans:
                return 404, usps.not_found(number), []
            answer = usps.tracking_answer(shipment, scans)
            if request.query_params.get("expand", "").upper() != "DETAIL":
                answer["trackingEvents"] = answer["trackingEvents"][:1]
            return 200, answer, scans

        return _answer(hub, request, "usps", refusal, render)

    return track


def _admin_routes(hub: CarrierHub, pusher: Pusher | None) -> list[Route]:
    async def get_faults(request: Request) -> Response:
        return JSONResponse(hub.faults.model_dump(mode="json"))

    async def put_faults(request: Request) -> Response:
        try:
            hub.faults = CarrierFaultPlan.model_validate_json(await request.body())
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_context=False, include_input=False)
            return JSONResponse({"detail": errors}, 422)
        return JSONResponse(hub.faults.model_dump(mode="json"))

    async def get_sent(request: Request) -> Response:
        return JSONResponse([message.as_json() for message in hub.records.all()])

    async def clear_sent(request: Request) -> Response:
        hub.records.clear()
        return Response(status_code=204)

    async def get_expected(request: Request) -> Response:
        return JSONResponse(hub.expected_all())

    async def get_clock(request: Request) -> Response:
        return JSONResponse({"now": hub.now().isoformat()})

    async def advance(request: Request) -> Response:
        try:
            seconds = float(json.loads(await request.body())["seconds"])
            now = hub.advance(seconds)
        except (ValueError, KeyError, TypeError) as exc:
            return JSONResponse({"detail": f'expected {{"seconds": n >= 0}}: {exc}'}, 422)
        return JSONResponse({"now": now.isoformat()})

    async def tick(request: Request) -> Response:
        if pusher is None:
            return JSONResponse({"detail": "this hub pushes nowhere (no push_to)"}, 409)
        sent = await run_in_threadpool(pusher.tick)
        return JSONResponse([message.as_json() for message in sent])

    return [
        Route("/__sim__/faults", get_faults, methods=["GET"]),
        Route("/__sim__/faults", put_faults, methods=["PUT"]),
        Route("/__sim__/sent", get_sent, methods=["GET"]),
        Route("/__sim__/sent", clear_sent, methods=["DELETE"]),
        Route("/__sim__/expected", get_expected, methods=["GET"]),
        Route("/__sim__/clock", get_clock, methods=["GET"]),
        Route("/__sim__/advance", advance, methods=["POST"]),
        Route("/__sim__/tick", tick, methods=["POST"]),
    ]
