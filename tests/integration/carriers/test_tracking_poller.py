"""The tracking poller against a small carrier API served on loopback (real HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response

from logisync.connectors.carriers.poller import CarrierEndpoint, TrackingPoller
from logisync.connectors.carriers.tracking_numbers import make_ups
from logisync.core.clock import ManualClock
from logisync.core.delivery.rate_limit import TokenBucket
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Rules
from logisync.model import new_event
from logisync.store.sqlite import SqliteStore
from logisync.testing.serving import serving

GOLDEN = Path(__file__).parents[2] / "golden" / "carriers"
UPS_NUMBER = "1Z999AA10123456784"
UPS_UNKNOWN = make_ups(42)


def carrier_api(asked: list[str]) -> FastAPI:
    app = FastAPI()

    def golden(name: str) -> Response:
        return Response((GOLDEN / name).read_bytes(), media_type="application/json")

    @app.get("/api/track/v1/details/{number}")
    def ups(number: str, request: Request) -> Response:
        asked.append(f"ups {number} {request.headers.get('transactionSrc')}")
        return (
            golden("ups_track_response.json") if number == UPS_NUMBER else Response(status_code=404)
        )

    @app.post("/track/v1/trackingnumbers")
    async def fedex(request: Request) -> Response:
        body: Any = await request.json()
        number = body["trackingInfo"][0]["trackingNumberInfo"]["trackingNumber"]
        asked.append(f"fedex {number} {body['includeDetailedScans']}")
        return golden("fedex_track_response.json")

    @app.get("/track/shipments")
    def dhl(trackingNumber: str, request: Request) -> Response:  # noqa: N803 (DHL's name)
        asked.append(f"dhl {trackingNumber} {request.headers.get('DHL-API-Key')}")
        return golden("dhl_tracking_response.json")

    @app.get("/tracking/v3/tracking/{number}")
    def usps(number: str, expand: str) -> Response:
        asked.append(f"usps {number} {expand}")
        return golden("usps_tracking_response.json")

    return app


def shipment(number: str, carrier: str, tracking: str, **extra: Any) -> Any:
    data = {"number": number, "carrier": carrier, "tracking_number": tracking, **extra}
    return new_event(
        "shipment.dispatched", data, source="wms", id=f"d-{number}", time="2026-02-27T00:00:00Z"
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    hub = SqliteStore(tmp_path / "hub.db")
    hub.migrate()
    Journal(hub).append(
        [
            shipment("SH-1", "UPS", UPS_NUMBER, dispatched_at="2026-02-27T00:00:00Z"),
            shipment("SH-2", "fedex_ground", "986578788855", dispatched_at="2026-03-01T00:00:00Z"),
            shipment(
                "SH-3",
                "DHL Express",
                "3318810025",
                packages=[
                    {"tracking_number": "JD014600006281230701"},
                    {"tracking_number": "JD014600006281230702"},
                ],
            ),
            shipment(
                "SH-4",
                "usps",
                "9400111899223197428497",
                status={"milestone": "delivered", "occurred_at": "2026-03-02T20:58:00Z"},
            ),
            shipment("SH-5", "acme freight", "ACME-1"),
            shipment("SH-6", "ups", UPS_UNKNOWN),
        ]
    )
    Processor(hub, Rules(flows=())).run_until_idle()
    yield hub
    hub.close()


def endpoints(base: str, rate: TokenBucket | None = None) -> dict[str, CarrierEndpoint]:
    return {
        "ups": CarrierEndpoint("ups", base, "ups", rate),
        "fedex": CarrierEndpoint("fedex", base, "fedex"),
        "dhl": CarrierEndpoint("dhl", base, "dhl", headers={"DHL-API-Key": "demo-key"}),
        "usps": CarrierEndpoint("usps", base, "usps"),
    }


def test_active_shipments_are_polled_and_journaled_once(store: SqliteStore) -> None:
    asked: list[str] = []
    with serving(carrier_api(asked)) as base, httpx.Client(timeout=5) as client:
        poller = TrackingPoller(store, endpoints(base), client)  # type: ignore[arg-type]
        first = poller.poll_once()
        second = poller.poll_once()
    assert sorted(set(asked)) == sorted(
        {
            f"ups {UPS_NUMBER} logisync",
            f"ups {UPS_UNKNOWN} logisync",
            "fedex 986578788855 True",
            "dhl 3318810025 demo-key",
        }
    ), "delivered (SH-4), unknown carriers (SH-5) and pieces already answered for are not asked"
    assert (first.polled, first.not_found, first.failed, first.refused) == (4, 1, [], [])
    assert first.answered_already == 2
    # UPS: 5 scans; SH-1's dispatch date drops none. FedEx: its OC scan predates dispatch.
    assert first.before_ship_date == 1
    assert first.journaled == 5 + 4 + 6 and first.already_known == 0
    assert second.journaled == 0 and second.already_known == first.journaled + first.already_known
    # Journaled under the shipments polled, not under bare tracking numbers.
    sh1 = [e for e in store.events_for("shipment:SH-1") if e.type.endswith("milestone_recorded")]
    # the answer for SH-1's number lists a second package of the same shipment: SH-1's too
    numbers = sorted(e.data["tracking_number"] for e in sh1)
    assert numbers == sorted([UPS_NUMBER] * 4 + ["1ZA1B2C30100000052"])
    assert store.events_for("shipment:" + UPS_NUMBER) == []
    pieces = {e.data.get("tracking_number") for e in store.events_for("shipment:SH-3")}
    assert {"JD014600006281230701", "JD014600006281230702", "3318810025"} <= pieces


def test_the_rate_limit_spaces_requests_to_one_carrier(store: SqliteStore) -> None:
    clock = ManualClock(datetime(2026, 3, 3, tzinfo=UTC))
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)

    with serving(carrier_api([])) as base, httpx.Client(timeout=5) as client:
        bucket = TokenBucket(rate=0.5, burst=1)
        poller = TrackingPoller(
            store,
            endpoints(base, bucket),
            client,
            clock=clock,
            sleep=sleep,  # type: ignore[arg-type]
        )
        poller.poll_once()
    assert waits == [pytest.approx(2.0)]  # two UPS numbers, one token every two seconds


def test_a_carrier_that_cannot_be_reached_is_reported(store: SqliteStore) -> None:
    with httpx.Client(timeout=0.5) as client:
        poller = TrackingPoller(
            store, {"fedex": CarrierEndpoint("fedex", "http://127.0.0.1:9", "fedex")}, client
        )
        report = poller.poll_once()
    assert report.polled == 1 and report.journaled == 0
    assert "fedex 986578788855: ConnectError" in report.failed[0]


def test_failing_and_garbled_answers_are_reported_and_nothing_is_journaled(
    store: SqliteStore,
) -> None:
    app = FastAPI()

    @app.get("/api/track/v1/details/{number}")
    def ups(number: str) -> Response:
        if number == UPS_NUMBER:
            return Response(b"<html>maintenance</html>", media_type="text/html")
        return Response(status_code=503)

    with serving(app) as base, httpx.Client(timeout=5) as client:
        poller = TrackingPoller(store, {"ups": CarrierEndpoint("ups", base, "ups")}, client)
        report = poller.poll_once()
    assert (report.polled, report.journaled) == (2, 0)
    assert report.failed == [f"ups {UPS_UNKNOWN}: HTTP 503"]
    assert len(report.refused) == 1 and "not JSON" in report.refused[0]
