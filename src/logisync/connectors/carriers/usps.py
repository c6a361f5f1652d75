"""USPS Tracking v3 responses -> scans (USPS does not push; an aggregator may post this shape).

``trackingEvents[]`` (newest first): ``eventTimestamp`` is local, ``GMTOffset`` (``-7:00``)
says how far from UTC; without it the time is read in the state's zone. Events without a
country are in the United States.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from logisync.connectors.carriers.payload_reading import (
    items,
    load_object,
    read_part,
    required_text,
)
from logisync.connectors.carriers.scans import (
    ParsedScans,
    Scan,
    ScanPlace,
    country_code,
    iso_time,
    parse_offset,
    text_of,
    with_zone_name,
)
from logisync.errors import Problem
from logisync.model.values import in_zone


def parse_usps(body: bytes) -> ParsedScans:
    parsed = ParsedScans()
    document = load_object(body, parsed, "USPS tracking response")
    if document is None:
        return parsed
    if "trackingEvents" not in document:
        parsed.problems.append(
            Problem("", "not a USPS tracking response: trackingEvents is missing")
        )
        return parsed
    number = read_part(parsed, "/trackingNumber", required_text, document, "trackingNumber")
    if number is None:
        return parsed
    for e, event in enumerate(
        items(document.get("trackingEvents"), parsed, "/trackingEvents", "trackingEvents")
    ):
        scan = read_part(parsed, f"/trackingEvents/{e}", _scan, event, number)
        if scan is not None:
            parsed.scans.append(scan)
    return parsed


def _scan(event: Any, number: str) -> Scan:
    if not isinstance(event, dict):
        raise TypeError("a tracking event must be a JSON object")
    country = event.get("eventCountry")
    place = ScanPlace(
        text_of(event.get("eventCity")),
        text_of(event.get("eventState")),
        text_of(event.get("eventZIP")),
        country_code(country) if text_of(country) else "US",
    )
    stamp = event.get("eventTimestamp")
    offset = event.get("GMTOffset")
    if isinstance(stamp, str) and isinstance(offset, str) and offset.strip():
        local = datetime.fromisoformat(stamp.strip())
        if local.tzinfo is None:
            local = local.replace(tzinfo=parse_offset(offset))
        occurred, place = in_zone(local, UTC), with_zone_name(place)
    elif isinstance(stamp, str):
        occurred, place = iso_time(stamp, place)
    elif isinstance(event.get("GMTTimestamp"), str):
        occurred, place = iso_time(event["GMTTimestamp"].rstrip("Z") + "Z", place)
    else:
        raise ValueError("eventTimestamp is missing or not text")
    codes = {"eventCode": text_of(event.get("eventCode"), 8) or ""}
    text = text_of(event.get("eventType"))
    signer = text_of(event.get("name"), 128) if codes["eventCode"] in ("01", "17", "43") else None
    return Scan("usps", number, occurred, codes, text, place, signer)
