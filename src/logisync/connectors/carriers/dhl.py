"""DHL Shipment Tracking - Unified responses -> scans (DHL does not push; an aggregator may
post this shape to the hub).

``shipments[].events[]``: an event naming ``pieceIds`` is a scan of each of those pieces (a
multi-piece shipment is delivered only when every piece is, so each keeps its own number);
an event without them is a scan of the shipment's ``id``. Timestamps may lack an offset: they
are then local to the event's country. ``returnFlag`` turns a failure into a return.
"""

from __future__ import annotations

from typing import Any

from logisync.connectors.carriers.payload_reading import items, load_object, mapping, read_part
from logisync.connectors.carriers.scans import (
    ParsedScans,
    Scan,
    ScanPlace,
    country_code,
    iso_time,
    text_of,
)
from logisync.errors import Problem


def parse_dhl(body: bytes) -> ParsedScans:
    parsed = ParsedScans()
    document = load_object(body, parsed, "DHL tracking response")
    if document is None:
        return parsed
    if "shipments" not in document:
        parsed.problems.append(Problem("", "not a DHL tracking response: shipments is missing"))
        return parsed
    for s, shipment in enumerate(
        items(document.get("shipments"), parsed, "/shipments", "shipments")
    ):
        read_part(parsed, f"/shipments/{s}", _shipment, shipment, parsed, f"/shipments/{s}")
    return parsed


def _shipment(shipment: Any, parsed: ParsedScans, pointer: str) -> None:
    if not isinstance(shipment, dict):
        raise TypeError("a shipment must be a JSON object")
    number = text_of(shipment.get("id"), 64)
    if number is None:
        raise ValueError("id (the shipment's tracking number) is missing")
    returned = shipment.get("returnFlag") is True
    details = mapping(shipment.get("details"))
    signer = text_of(
        mapping(mapping(details.get("proofOfDelivery")).get("signed")).get("name"), 128
    )
    for e, event in enumerate(items(shipment.get("events"), parsed, f"{pointer}/events", "events")):
        scans = read_part(parsed, f"{pointer}/events/{e}", _scans, event, number, returned, signer)
        parsed.scans.extend(scans or [])


def _scans(event: Any, number: str, returned: bool, signer: str | None) -> list[Scan]:
    if not isinstance(event, dict):
        raise TypeError("an event must be a JSON object")
    address = mapping(mapping(event.get("location")).get("address"))
    place = ScanPlace(
        city=text_of(address.get("addressLocality")),
        postal_code=text_of(address.get("postalCode")),
        country=country_code(address.get("countryCode")),
    )
    stamp = event.get("timestamp")
    if not isinstance(stamp, str):
        raise ValueError("timestamp is missing or not text")
    occurred, place = iso_time(stamp, place)
    codes = {"statusCode": text_of(event.get("statusCode"), 16) or ""}
    if text_of(event.get("eventCode"), 8):
        codes["eventCode"] = text_of(event.get("eventCode"), 8) or ""
    text = text_of(event.get("description")) or text_of(event.get("status"))
    delivered = codes["statusCode"].lower() == "delivered"
    pieces = [p.strip() for p in event.get("pieceIds") or [] if isinstance(p, str) and p.strip()]
    return [
        Scan("dhl", piece, occurred, codes, text, place, signer if delivered else None,
             return_flag=returned)
        for piece in (pieces or [number])
    ]  # fmt: skip
