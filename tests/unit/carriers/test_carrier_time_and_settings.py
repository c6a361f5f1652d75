"""Where a scan happened decides its UTC time; a carrier system's settings give the poller's
endpoint."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from logisync.config import SystemConfig
from logisync.connectors.carriers.dhl import parse_dhl
from logisync.connectors.carriers.fedex import parse_fedex
from logisync.connectors.carriers.scans import (
    ParsedScans,
    ScanPlace,
    compact_date_time,
    iso_time,
    localise,
    parse_offset,
)
from logisync.connectors.carriers.settings import carrier_endpoint, settings_issues
from logisync.connectors.carriers.timezones import zone_for
from logisync.connectors.carriers.ups import parse_ups
from logisync.connectors.carriers.usps import parse_usps


@pytest.mark.parametrize(
    ("country", "region", "zone"),
    [
        ("DE", None, "Europe/Berlin"),
        ("de", "NW", "Europe/Berlin"),
        ("US", "CA", "America/Los_Angeles"),
        ("US", "az", "America/Phoenix"),
        ("CA", "BC", "America/Vancouver"),
        ("AU", "WA", "Australia/Perth"),
        ("BR", "AM", "America/Manaus"),
        ("MX", "JAL", "America/Mexico_City"),
        ("MX", "ROO", "America/Cancun"),
        ("US", None, None),  # several zones and no state: unknown
        ("RU", None, None),
        (None, None, None),
    ],
)
def test_zone_by_country_and_region(
    country: str | None, region: str | None, zone: str | None
) -> None:
    found = zone_for(country, region)
    assert (found.key if found else None) == zone


def test_a_local_time_without_offset_follows_daylight_saving_of_its_place() -> None:
    place = ScanPlace(city="Chicago", region="IL", country="US")
    winter, named = localise(datetime(2026, 3, 7, 12, 0), place)
    summer, _ = localise(datetime(2026, 3, 9, 12, 0), place)
    assert winter == datetime(2026, 3, 7, 18, 0, tzinfo=UTC)
    assert summer == datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
    assert named.timezone == "America/Chicago"


def test_an_offset_in_the_text_wins_over_the_place() -> None:
    at, named = iso_time("2026-03-01T10:00:00+09:00", ScanPlace(country="DE"))
    assert at == datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
    assert named.timezone == "Europe/Berlin"


@pytest.mark.parametrize(
    ("text", "minutes"), [("-05:00", -300), ("-04.00", -240), ("-7:00", -420), ("+0530", 330)]
)
def test_carrier_offsets(text: str, minutes: int) -> None:
    offset = parse_offset(text).utcoffset(None)
    assert offset is not None and offset.total_seconds() == minutes * 60


@pytest.mark.parametrize("text", ["", "EST", "+25:00", "-05:99"])
def test_bad_offsets_say_so(text: str) -> None:
    with pytest.raises(ValueError, match="offset"):
        parse_offset(text)


def test_ups_times_lose_leading_zeros() -> None:
    assert compact_date_time("20260301", "74700") == datetime(2026, 3, 1, 7, 47)
    with pytest.raises(ValueError, match="YYYYMMDD"):
        compact_date_time("2026-03-01", "074700")


UPS_ALERT_EAST_OF_GREENWICH = {
    "trackingNumber": "1Z999AA10123456784",
    "activityStatus": {"type": "I", "code": "OR"},
    "localActivityDate": "00010101",
    "localActivityTime": "3000",
    "gmtOffset": "+01:00",
}
UPS_ACTIVITY_IN_BERLIN = {
    "trackResponse": {
        "shipment": [
            {
                "package": [
                    {
                        "trackingNumber": "1Z999AA10123456784",
                        "activity": [
                            {
                                "location": {"address": {"city": "Berlin", "countryCode": "DE"}},
                                "status": {"type": "I", "code": "AR"},
                                "date": "00010101",
                                "time": "003000",
                            }
                        ],
                    }
                ]
            }
        ]
    }
}
USPS_EVENT_WEST_OF_GREENWICH = {
    "trackingNumber": "9400100000000000000000",
    "trackingEvents": [
        {"eventTimestamp": "9999-12-31T23:30:00", "GMTOffset": "-5:00", "eventCode": "10"}
    ],
}
DHL_EVENT_IN_GERMANY = {
    "shipments": [
        {
            "id": "00340434161094042557",
            "events": [
                {
                    "timestamp": "0001-01-01T00:30:00",
                    "location": {"address": {"countryCode": "DE"}},
                    "statusCode": "transit",
                }
            ],
        }
    ]
}
FEDEX_SCAN_EAST_OF_GREENWICH = {
    "output": {
        "completeTrackResults": [
            {
                "trackingNumber": "794644790132",
                "trackResults": [
                    {
                        "trackingNumberInfo": {"trackingNumber": "794644790132"},
                        "scanEvents": [{"date": "0001-01-01T00:30:00+01:00", "eventType": "PU"}],
                    }
                ],
            }
        ]
    }
}


@pytest.mark.parametrize(
    ("parse", "payload", "where", "time"),
    [
        (parse_ups, UPS_ALERT_EAST_OF_GREENWICH, "", "0001-01-01T00:30:00+01:00"),
        (
            parse_ups,
            UPS_ACTIVITY_IN_BERLIN,
            "/trackResponse/shipment/0/package/0/activity/0",
            "0001-01-01T00:30:00+00:53:28",  # Berlin's local mean time before 1893
        ),
        (
            parse_usps,
            USPS_EVENT_WEST_OF_GREENWICH,
            "/trackingEvents/0",
            "9999-12-31T23:30:00-05:00",
        ),
        (parse_dhl, DHL_EVENT_IN_GERMANY, "/shipments/0/events/0", "0001-01-01T00:30:00+00:53:28"),
        (
            parse_fedex,
            FEDEX_SCAN_EAST_OF_GREENWICH,
            "/output/completeTrackResults/0/trackResults/0/scanEvents/0",
            "0001-01-01T00:30:00+01:00",
        ),
    ],
    ids=["ups-alert-offset", "ups-activity-zone", "usps", "dhl", "fedex"],
)
def test_a_scan_time_that_leaves_the_calendar_in_utc_is_a_located_problem(
    parse: Callable[[bytes], ParsedScans], payload: dict[str, Any], where: str, time: str
) -> None:
    """It was refused as a bare "date value out of range", naming neither time nor reason."""
    parsed = parse(orjson.dumps(payload))
    assert parsed.scans == []
    [problem] = parsed.problems
    assert problem.location == where
    assert problem.message == f"time {time} falls outside the years 1 to 9999 in UTC"


def test_a_time_with_its_own_offset_is_not_converted_again_in_the_places_zone() -> None:
    """The place's zone only names where the scan was; converting the time in it as well
    refused 00:30 UTC on 0001-01-01 in Berlin, which is in year 0 only in Berlin's zone."""
    alert = {
        **UPS_ALERT_EAST_OF_GREENWICH,
        "gmtOffset": "+00:00",
        "activityLocation": {"city": "Berlin", "country": "DE"},
    }
    parsed = parse_ups(orjson.dumps(alert))
    assert parsed.problems == []
    [scan] = parsed.scans
    assert scan.occurred_at == datetime(1, 1, 1, 0, 30, tzinfo=UTC)
    assert scan.place.timezone == "Europe/Berlin"


def test_a_carrier_system_gives_its_endpoint() -> None:
    system = SystemConfig.model_validate(
        {
            "kind": "dhl",
            "url": "https://api-eu.dhl.com",
            "rate_limit": "2/s",
            "headers": {"DHL-API-Key": "env:DHL_KEY", "Accept": "application/json"},
            "burst": 3,
        }
    )
    endpoint = carrier_endpoint("dhl-eu", system, {"env:DHL_KEY": "k-123"}.__getitem__)
    assert endpoint is not None
    assert (endpoint.carrier, endpoint.source, endpoint.base_url) == (
        "dhl",
        "dhl-eu",
        "https://api-eu.dhl.com",
    )
    assert endpoint.headers == {"DHL-API-Key": "k-123", "Accept": "application/json"}
    assert endpoint.rate is not None and (endpoint.rate.rate, endpoint.rate.burst) == (2.0, 3)
    assert settings_issues("dhl-eu", system) == []
    push_only = SystemConfig.model_validate({"kind": "ups"})
    assert carrier_endpoint("ups", push_only, str) is None


def test_bad_carrier_settings_are_located() -> None:
    system = SystemConfig.model_validate({"kind": "usps", "burst": 0})
    ((where, why),) = settings_issues("usps", system)
    assert where == ("systems", "usps", "burst") and "greater than or equal to 1" in why
