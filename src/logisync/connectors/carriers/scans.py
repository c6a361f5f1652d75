"""One carrier scan as the parsers read it, before it becomes a canonical event.

Parsers never raise on a bad payload: they return the scans they could read and a ``Problem``
(JSON pointer + sentence) for each part they could not, like the webhook adapters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from logisync.connectors.carriers.code_tables import Carrier
from logisync.connectors.carriers.timezones import zone_for
from logisync.errors import Problem
from logisync.model.identifiers import is_ascii_digits
from logisync.model.values import in_zone


@dataclass(frozen=True)
class ScanPlace:
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    timezone: str | None = None

    def as_location(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


@dataclass(frozen=True)
class Scan:
    """A carrier's report that a package (``tracking_number``) reached a step, in UTC."""

    carrier: Carrier
    tracking_number: str
    occurred_at: datetime
    codes: dict[str, str]
    text: str | None
    place: ScanPlace = field(default_factory=ScanPlace)
    signed_by: str | None = None
    delivered: bool = False
    return_flag: bool = False


@dataclass
class ParsedScans:
    scans: list[Scan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_OFFSET = re.compile(r"^([+-])?([0-9]{1,2})(?:[:.]?([0-9]{2}))?$")


def parse_offset(text: str) -> timezone:
    """``-05:00``, ``-04.00``, ``-7:00``, ``+0530`` -> a fixed zone; ``ValueError`` otherwise."""
    match = _OFFSET.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a UTC offset such as -05:00")
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes > 59:
        raise ValueError(f"{text!r} is not a UTC offset (beyond 14 hours)")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if sign == "-" else delta)


def compact_date_time(date: str, time: str) -> datetime:
    """UPS's ``YYYYMMDD`` and ``HHMMSS`` (leading zeros may be missing: ``74700``), naive."""
    if not (is_ascii_digits(date) and len(date) == 8 and is_ascii_digits(time) and len(time) <= 6):
        raise ValueError(f"{date!r} {time!r} is not a YYYYMMDD date and HHMMSS time")
    return datetime.strptime(date + time.zfill(6), "%Y%m%d%H%M%S")


def localise(local: datetime, place: ScanPlace) -> tuple[datetime, ScanPlace]:
    """A naive local time made UTC with the place's zone (UTC when the zone is unknown),
    and the place with its zone's name."""
    zone = zone_for(place.country, place.region)
    if zone is None:
        return local.replace(tzinfo=UTC), place
    aware = local.replace(tzinfo=zone)
    return in_zone(aware, UTC), ScanPlace(
        place.city, place.region, place.postal_code, place.country, zone.key
    )


def iso_time(text: str, place: ScanPlace) -> tuple[datetime, ScanPlace]:
    """An ISO 8601 time: with its offset when it has one, else local to the place."""
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        return localise(parsed, place)
    return in_zone(parsed, UTC), with_zone_name(place)


def with_zone_name(place: ScanPlace) -> ScanPlace:
    """The place with the name of its zone, for a time that came with its own offset: the
    zone only names where the scan was, it must not convert the time a second time."""
    zone = zone_for(place.country, place.region)
    return ScanPlace(
        place.city, place.region, place.postal_code, place.country, zone.key if zone else None
    )


def text_of(value: Any, limit: int = 512) -> str | None:
    """A string field as text (trimmed, bounded), ``None`` when absent or not a string."""
    if isinstance(value, str) and value.strip():
        return value.strip()[:limit]
    return None


def country_code(value: Any) -> str | None:
    text = text_of(value, 8)
    return text.upper() if text and re.fullmatch(r"[A-Za-z]{2}", text) else None
