"""Each carrier's tracking API over real HTTP: shapes, auth, visibility, downtime, malformed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest

from logisync.testing.carrier_hub import CarrierHubSim, carrier_hub

DAYS = 24 * 3600
UPS_HEADERS = {"Authorization": "Bearer ups-test-token", "transId": "t1", "transactionSrc": "tests"}
FEDEX_HEADERS = {"Authorization": "Bearer fedex-test-token"}
DHL_HEADERS = {"DHL-API-Key": "dhl-test-key"}
USPS_HEADERS = {"Authorization": "Bearer usps-test-token"}


@pytest.fixture
def carriers() -> Iterator[CarrierHubSim]:
    with carrier_hub(seed=21) as running:
        yield running


def _ups(carriers: CarrierHubSim, number: str, **headers: str) -> httpx.Response:
    url = f"{carriers.urls['ups']}/api/track/v1/details/{number}"
    return httpx.get(url, headers=headers or UPS_HEADERS)


def _fedex(carriers: CarrierHubSim, *numbers: str) -> httpx.Response:
    body = {
        "includeDetailedScans": True,
        "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": n}} for n in numbers],
    }
    url = f"{carriers.urls['fedex']}/track/v1/trackingnumbers"
    return httpx.post(url, json=body, headers=FEDEX_HEADERS)


def _dhl(carriers: CarrierHubSim, number: str) -> httpx.Response:
    url = f"{carriers.urls['dhl']}/track/shipments"
    return httpx.get(url, params={"trackingNumber": number}, headers=DHL_HEADERS)


def _usps(carriers: CarrierHubSim, number: str) -> httpx.Response:
    url = f"{carriers.urls['usps']}/tracking/v3/tracking/{number}"
    return httpx.get(url, params={"expand": "DETAIL"}, headers=USPS_HEADERS)


def test_ups_details_newest_first_with_local_and_gmt_times(carriers: CarrierHubSim) -> None:
    shipment = carriers.register("ups", pieces=2, outcome="delivered")
    carriers.advance(10 * DAYS)
    number = shipment.tracked_numbers[1]
    answer = _ups(carriers, number).json()
    package = answer["trackResponse"]["shipment"][0]["package"][0]
    assert package["trackingNumber"] == number and package["packageCount"] == 2
    activity = package["activity"]
    scans = shipment.scans[number]
    assert [a["status"]["code"] for a in activity] == [s.status.code for s in reversed(scans)]
    assert activity[0]["status"]["type"] == "D" and activity[-1]["status"]["type"] == "M"
    for entry, scan in zip(activity, reversed(scans), strict=True):
        assert re.fullmatch(r"[+-]\d\d:\d\d", entry["gmtOffset"])
        local = datetime.strptime(entry["date"] + entry["time"], "%Y%m%d%H%M%S")
        assert local == scan.place.local(scan.at).replace(tzinfo=None)
        gmt = datetime.strptime(entry["gmtDate"] + entry["gmtTime"].zfill(6), "%Y%m%d%H%M%S")
        assert gmt == scan.at.replace(tzinfo=None)
    assert package["deliveryDate"][0]["type"] == "DEL"


def test_ups_refuses_bad_auth_missing_headers_and_unknown_numbers(carriers: CarrierHubSim) -> None:
    shipment = carriers.register("ups")
    number = shipment.tracking_number
    assert _ups(carriers, number, Authorization="Bearer wrong").status_code == 401
    missing = _ups(carriers, number, Authorization="Bearer ups-test-token")
    assert missing.status_code == 400 and "transId" in missing.text
    unknown = _ups(carriers, "1Z023E2X0214323462")
    assert unknown.status_code == 404
    assert unknown.json()["response"]["errors"][0]["code"] == "151044"


def test_fedex_results_per_number_with_offsets_and_latest_status(carriers: CarrierHubSim) -> None:
    shipment = carriers.register("fedex", pieces=2, outcome="attempted")
    carriers.advance(10 * DAYS)
    answer = _fedex(carriers, *shipment.tracked_numbers, "776094337676").json()
    complete = answer["output"]["completeTrackResults"]
    assert [c["trackingNumber"] for c in complete] == [*shipment.tracked_numbers, "776094337676"]
    result = complete[0]["trackResults"][0]
    assert result["latestStatusDetail"]["code"] == "DE"
    assert result["latestStatusDetail"]["ancillaryDetails"][0]["reason"] == "08"
    events = result["scanEvents"]
    assert events[0]["eventType"] == "DE" and events[-1]["eventType"] == "OC"
    assert all(re.search(r"[+-]\d\d:\d\d$", event["date"]) for event in events)
    dates = [datetime.fromisoformat(event["date"]) for event in events]
    assert dates == sorted(dates, reverse=True)
    missing = complete[2]["trackResults"][0]["error"]
    assert missing["code"] == "TRACKING.TRACKINGNUMBER.NOTFOUND"


def test_fedex_refuses_a_body_without_numbers_and_a_wrong_token(carriers: CarrierHubSim) -> None:
    url = f"{carriers.url}/track/v1/trackingnumbers"
    bad = httpx.post(url, content=b"{not json", headers=FEDEX_HEADERS)
    assert bad.status_code == 400 and "not JSON" in bad.text
    empty = httpx.post(url, json={"trackingInfo": []}, headers=FEDEX_HEADERS)
    assert empty.status_code == 400 and "non-empty" in empty.text
    assert httpx.post(url, json={}, headers={"Authorization": "Bearer x"}).status_code == 401


def test_dhl_shipment_with_pieces_return_flag_and_some_naive_timestamps(
    carriers: CarrierHubSim,
) -> None:
    shipments = [carriers.register("dhl", pieces=2, outcome="returned") for _ in range(3)]
    carriers.advance(15 * DAYS)
    naive = 0
    for shipment in shipments:
        answer = _dhl(carriers, shipment.tracking_number).json()["shipments"][0]
        assert answer["id"] == shipment.tracking_number and answer["returnFlag"] is True
        assert answer["details"]["pieceIds"] == [p.tracking_number for p in shipment.pieces[1:]]
        assert answer["status"] == answer["events"][0]
        assert answer["events"][0]["statusCode"] == "failure"
        assert answer["events"][-1]["statusCode"] == "pre-transit"
        for event in answer["events"]:
            naive += datetime.fromisoformat(event["timestamp"]).tzinfo is None
    assert naive > 0  # some timestamps come without an offset, as DHL sends them


def test_dhl_needs_its_api_key_and_a_number(carriers: CarrierHubSim) -> None:
    url = f"{carriers.url}/track/shipments"
    assert httpx.get(url, params={"trackingNumber": "1"}).status_code == 401
    assert httpx.get(url, headers=DHL_HEADERS).status_code == 400
    assert _dhl(carriers, "7777777770").json()["title"] == "No result found"


def test_usps_events_newest_first_local_time_and_unpadded_offset(carriers: CarrierHubSim) -> None:
    shipment = carriers.register("usps", outcome="held")
    carriers.advance(10 * DAYS)
    answer = _usps(carriers, shipment.tracking_number).json()
    events = answer["trackingEvents"]
    assert [e["eventCode"] for e in events][:2] == ["14", "02"] and events[-1]["eventCode"] == "GX"
    for event in events:
        assert re.fullmatch(r"-\d:00", event["GMTOffset"])  # '-7:00', as USPS spells it
        assert datetime.fromisoformat(event["eventTimestamp"]).tzinfo is None
    assert answer["statusCategory"] == "Available for Pickup"
    bad = httpx.get(f"{carriers.url}/tracking/v3/tracking/{shipment.tracking_number}")
    assert bad.status_code == 401


def test_scans_appear_only_when_their_time_comes(carriers: CarrierHubSim) -> None:
    shipment = carriers.register("usps", start_in=3600)
    assert _usps(carriers, shipment.tracking_number).status_code == 404
    carriers.advance(3600)
    assert len(_usps(carriers, shipment.tracking_number).json()["trackingEvents"]) == 1


def test_downtime_answers_503_with_retry_after_then_recovers(carriers: CarrierHubSim) -> None:
    shipment = carriers.register("dhl")
    carriers.down_for(600)
    down = _dhl(carriers, shipment.tracking_number)
    assert down.status_code == 503 and down.headers["retry-after"] == "600"
    assert _ups(carriers, "1Z023E2X0214323462").status_code == 503
    carriers.advance(600)
    assert _dhl(carriers, shipment.tracking_number).status_code == 200


def test_malformed_answers_are_cut_short_and_recorded(carriers: CarrierHubSim) -> None:
    shipment = carriers.register("usps")
    carriers.faults = carriers.faults.model_copy(update={"malformed_rate": 1.0})
    answer = _usps(carriers, shipment.tracking_number)
    assert answer.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.text)
    assert carriers.records.polls("usps")[-1].tags == ("malformed",)


def test_the_sim_controls(carriers: CarrierHubSim) -> None:
    shipment = carriers.register("fedex", outcome="delivered")
    url = carriers.url
    refused = httpx.put(f"{url}/__sim__/faults", json={"duplicate_rate": 2})
    assert refused.status_code == 422
    plan = httpx.put(f"{url}/__sim__/faults", json={"late_rate": 0.5, "seed": 4}).json()
    assert plan["late_rate"] == 0.5 and carriers.faults.seed == 4
    moved = httpx.post(f"{url}/__sim__/advance", json={"seconds": 30 * DAYS}).json()
    assert moved["now"] == httpx.get(f"{url}/__sim__/clock").json()["now"]
    assert httpx.post(f"{url}/__sim__/advance", json={"seconds": -1}).status_code == 422
    _fedex(carriers, shipment.tracking_number)
    sent = httpx.get(f"{url}/__sim__/sent").json()
    assert [m["channel"] for m in sent] == ["poll"] and sent[0]["status"] == 200
    expected = httpx.get(f"{url}/__sim__/expected").json()
    assert expected[0]["final_milestone"] == "delivered"
    assert httpx.delete(f"{url}/__sim__/sent").status_code == 204
    assert carriers.records.all() == []
    assert httpx.post(f"{url}/__sim__/tick").json() == []  # no push_to: nothing pushed
