"""Where a scan happened decides its UTC time; a carrier system's settings give the poller's
endpoint."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from logisync.config import SystemConfig
from logisync.connectors.carriers.scans import (
    ScanPlace,
    compact_date_time,
    iso_time,
    localise,
    parse_offset,
)
from logisync.connectors.carriers.settings import carrier_endpoint, settings_issues
from logisync.connectors.carriers.timezones import zone_for


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
