"""The carriers' payload parsers on realistic samples (tests/golden/carriers/)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from logisync.connectors.carriers.dhl import parse_dhl
from logisync.connectors.carriers.events import attach_subjects, dedupe_key, draft_events
from logisync.connectors.carriers.fedex import parse_fedex
from logisync.connectors.carriers.scans import ParsedScans
from logisync.connectors.carriers.ups import parse_ups
from logisync.connectors.carriers.usps import parse_usps
from logisync.model import parse_event

GOLDEN = Path(__file__).parents[2] / "golden" / "carriers"


def _drafts(name: str, parse: Callable[[bytes], ParsedScans], source: str) -> list[dict[str, Any]]:
    drafted = draft_events(parse((GOLDEN / name).read_bytes()), source)
    assert drafted.problems == []
    return [event["data"] for event in drafted.events]


def _row(data: dict[str, Any]) -> tuple[str, str, str]:
    return data["tracking_number"], data["milestone"], data["occurred_at"]


def test_ups_track_alert_pads_the_time_and_applies_the_dotted_offset() -> None:
    (data,) = _drafts("ups_track_alert.json", parse_ups, "ups")
    assert _row(data) == ("1Z999AA10123456784", "out_for_delivery", "2026-03-01T11:47:00Z")
    assert data["carrier_code"] == "I/OT"
    assert data["location"] == {
        "city": "TIMONIUM",
        "region": "MD",
        "postal_code": "21093",
        "country": "US",
        "timezone": "America/New_York",
    }


def test_ups_track_response_reads_every_package_newest_first() -> None:
    rows = [_row(d) for d in _drafts("ups_track_response.json", parse_ups, "ups")]
    assert rows == [
        ("1Z999AA10123456784", "delivered", "2026-03-01T19:23:00Z"),
        ("1Z999AA10123456784", "out_for_delivery", "2026-03-01T12:47:00Z"),
        ("1Z999AA10123456784", "in_transit", "2026-03-01T04:30:00Z"),
        ("1Z999AA10123456784", "pre_transit", "2026-02-27T15:15:00Z"),
        ("1ZA1B2C30100000052", "out_for_delivery", "2026-03-01T12:48:00Z"),
    ]
    delivered = _drafts("ups_track_response.json", parse_ups, "ups")[0]
    assert delivered["signed_by"] == "MILLER"


def test_ups_type_d_without_fs_is_delivered_only_when_the_package_has_a_delivery_date() -> None:
    document = orjson.loads((GOLDEN / "ups_track_response.json").read_bytes())
    package = document["trackResponse"]["shipment"][0]["package"][0]
    package["activity"][0]["status"]["code"] = "KX"
    with_date = _milestones(parse_ups(orjson.dumps(document)))
    del package["deliveryDate"]
    without_date = _milestones(parse_ups(orjson.dumps(document)))
    assert with_date[0] == "delivered"
    assert without_date[0] == "out_for_delivery"


def _milestones(parsed: ParsedScans) -> list[str]:
    return [e["data"]["milestone"] for e in draft_events(parsed, "ups").events]


def test_fedex_keeps_only_the_newest_track_result_of_a_reused_number() -> None:
    rows = [_row(d) for d in _drafts("fedex_track_response.json", parse_fedex, "fedex")]
    assert rows == [
        ("986578788855", "delivered", "2026-03-02T15:41:00Z"),
        ("986578788855", "out_for_delivery", "2026-03-02T13:05:00Z"),
        ("986578788855", "delivery_attempted", "2026-03-02T04:10:00Z"),
        ("986578788855", "picked_up", "2026-03-01T13:00:00Z"),
        # no offset: local to New York (EST, UTC-5)
        ("986578788855", "pre_transit", "2026-02-28T21:00:00Z"),
    ]


def test_dhl_keeps_each_piece_and_resolves_local_times_by_country() -> None:
    data = _drafts("dhl_tracking_response.json", parse_dhl, "dhl")
    rows = [_row(d) for d in data]
    assert rows == [
        ("JD014600006281230701", "delivered", "2026-03-02T10:05:00Z"),
        ("JD014600006281230702", "delivered", "2026-03-02T10:05:00Z"),
        ("JD014600006281230701", "out_for_delivery", "2026-03-02T07:14:00Z"),
        ("3318810025", "in_transit", "2026-03-01T18:30:00Z"),
        ("3318810025", "picked_up", "2026-02-28T16:00:00Z"),
        ("00340434292135100186", "returned_to_sender", "2026-03-03T08:00:00Z"),
    ]
    assert data[2]["location"]["timezone"] == "Europe/Berlin"
    assert data[0]["signed_by"] == "K. Weber"


def test_usps_uses_the_gmt_offset_and_the_state_zone_without_it() -> None:
    data = _drafts("usps_tracking_response.json", parse_usps, "usps")
    rows = [(d["milestone"], d["occurred_at"], d["carrier_code"]) for d in data]
    assert rows == [
        ("delivered", "2026-03-02T20:58:00Z", "01"),
        ("out_for_delivery", "2026-03-02T13:10:00Z", "OF"),
        ("in_transit", "2026-03-02T04:41:00Z", "EF"),  # Chicago, CST
        ("unknown", "2026-03-01T16:00:00Z", "Q9"),
    ]
    assert data[3]["carrier_text"] == "Mystery event"
    assert data[0]["location"]["timezone"] == "America/Phoenix"


def test_the_same_scan_by_poll_and_by_push_has_the_same_id() -> None:
    polled = draft_events(parse_ups((GOLDEN / "ups_track_response.json").read_bytes()), "ups")
    pushed = draft_events(parse_ups((GOLDEN / "ups_track_alert.json").read_bytes()), "ups")
    # The push's OT scan is the same scan an hour earlier in the sample's -04.00 offset; make
    # it the very same scan as the poll's and the ids must agree.
    alert = orjson.loads((GOLDEN / "ups_track_alert.json").read_bytes())
    alert["gmtOffset"] = "-05:00"
    alert["activityLocation"]["city"] = "Timonium"
    same = draft_events(parse_ups(orjson.dumps(alert)), "ups")
    assert same.events[0]["id"] == polled.events[1]["id"]
    assert pushed.events[0]["id"] != polled.events[1]["id"]
    again = draft_events(parse_ups((GOLDEN / "ups_track_response.json").read_bytes()), "ups")
    assert [e["id"] for e in again.events] == [e["id"] for e in polled.events]


def test_drafts_become_valid_events_once_the_subject_is_resolved() -> None:
    drafted = draft_events(parse_dhl((GOLDEN / "dhl_tracking_response.json").read_bytes()), "dhl")
    links = {("dhl", "JD014600006281230701"): "shipment:WH-OUT-7"}
    events = attach_subjects(drafted.events, lambda s, n: links.get((s, n)))
    parsed = [parse_event(e) for e in events]
    assert parsed[0].subject == "shipment:WH-OUT-7"
    assert parsed[0].data["shipment_number"] == "WH-OUT-7"
    assert parsed[1].subject == "shipment:JD014600006281230702"
    assert all(e.source == "dhl" and e.sourceversion for e in parsed)
    assert all("subject" not in d for d in drafted.events)


def test_scans_before_the_ship_date_are_dropped_and_counted() -> None:
    parsed = parse_ups((GOLDEN / "ups_track_response.json").read_bytes())
    drafted = draft_events(parsed, "ups", not_before=datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    assert drafted.before_ship_date == 2
    assert len(drafted.events) == 3


def test_an_invalid_tracking_number_is_a_problem_naming_it() -> None:
    alert = orjson.loads((GOLDEN / "ups_track_alert.json").read_bytes())
    alert["trackingNumber"] = "1Z999AA10123456785"
    drafted = draft_events(parse_ups(orjson.dumps(alert)), "ups")
    assert drafted.events == []
    (problem,) = drafted.problems
    assert "1Z999AA10123456785" in problem.message and "check digit" in problem.message


def test_an_unknown_country_reads_the_local_time_as_utc_without_a_zone() -> None:
    body = {
        "shipments": [
            {
                "id": "3318810025",
                "events": [
                    {
                        "timestamp": "2026-03-01T10:00:00",
                        "statusCode": "transit",
                        "location": {"address": {"countryCode": "RU"}},
                    }
                ],
            }
        ]
    }
    (data,) = [e["data"] for e in draft_events(parse_dhl(orjson.dumps(body)), "dhl").events]
    assert data["occurred_at"] == "2026-03-01T10:00:00Z"
    assert "timezone" not in data["location"]


def test_broken_parts_are_located_and_the_rest_is_kept() -> None:
    body = {
        "trackingNumber": "9400111899223197428497",
        "trackingEvents": [
            {"eventTimestamp": "yesterday", "eventCode": "01"},
            "not an object",
            {"eventTimestamp": "2026-03-02T06:10:00", "eventState": "AZ", "eventCode": "OF"},
        ],
    }
    parsed = parse_usps(orjson.dumps(body))
    assert [p.location for p in parsed.problems] == ["/trackingEvents/0", "/trackingEvents/1"]
    assert len(parsed.scans) == 1


def test_a_scan_before_the_year_1000_keeps_a_four_digit_year_in_the_events_time() -> None:
    """glibc's strftime writes year 1 as "1": the draft's time was "1-01-01T00:30:00Z", which
    the event model then refused (as a time it could not read), though 00:30 UTC on 0001-01-01
    is a valid scan time."""
    body = {
        "shipments": [
            {
                "id": "3318810025",
                "events": [{"timestamp": "0001-01-01T00:30:00Z", "statusCode": "transit"}],
            }
        ]
    }
    parsed = parse_dhl(orjson.dumps(body))
    drafted = draft_events(parsed, "dhl")
    assert drafted.problems == []
    [draft] = drafted.events
    assert draft["time"] == draft["sourceversion"] == "0001-01-01T00:30:00Z"
    assert draft["data"]["occurred_at"] == "0001-01-01T00:30:00Z"
    assert "\x1f0001-01-01T00:30:00Z\x1f" in dedupe_key(parsed.scans[0], "transit")
    [event] = [parse_event(e) for e in attach_subjects(drafted.events, lambda s, n: None)]
    assert event.time == datetime(1, 1, 1, 0, 30, tzinfo=UTC)
