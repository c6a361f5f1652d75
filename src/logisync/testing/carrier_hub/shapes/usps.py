"""USPS Tracking v3 shapes (``GET /tracking/v3/tracking/{n}?expand=DETAIL``).

Events are newest first; ``eventTimestamp`` is local time without an offset, ``GMTTimestamp``
is UTC and ``GMTOffset`` spells the offset without padding the hour ('-7:00').
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from logisync.testing.carrier_hub.shapes.local_time import naive_iso, offset_text
from logisync.testing.carrier_hub.shipments import Scan, Shipment

__all__ = ["not_found", "tracking_answer", "unauthorized"]

_CATEGORIES = {
    "pre_transit": "Pre-Shipment",
    "picked_up": "Accepted",
    "in_transit": "In Transit",
    "out_for_delivery": "Out for Delivery",
    "delivered": "Delivered",
    "delivery_attempted": "Alert",
    "available_for_pickup": "Available for Pickup",
    "exception": "Alert",
    "returned_to_sender": "Alert",
    "cancelled": "Alert",
    "unknown": "Alert",
}


def tracking_answer(shipment: Shipment, scans: list[Scan]) -> dict[str, Any]:
    newest_first = sorted(scans, key=lambda s: (s.at, s.sequence), reverse=True)
    latest = newest_first[0]
    local = latest.place.local(latest.at)
    return {
        "trackingNumber": shipment.tracking_number,
        "mailClass": shipment.service,
        "originCity": shipment.origin.city.upper(),
        "originState": shipment.origin.state,
        "originZIP": shipment.origin.postal_code,
        "destinationCity": shipment.destination.city.upper(),
        "destinationState": shipment.destination.state,
        "destinationZIP": shipment.destination.postal_code,
        "status": latest.status.description,
        "statusCategory": _CATEGORIES[latest.expected],
        "statusSummary": (
            f"{latest.status.description} at {local:%H:%M} on {local:%B %d, %Y} "
            f"in {latest.place.city.upper()}, {latest.place.state} {latest.place.postal_code}."
        ),
        "trackingEvents": [_event(scan) for scan in newest_first],
    }


def not_found(number: str) -> dict[str, Any]:
    return _error("404", f"The tracking number {number} was not found.")


def unauthorized() -> dict[str, Any]:
    return _error("401", "OAuth token missing, invalid or expired.")


def bad_request(message: str) -> dict[str, Any]:
    return _error("400", message)


def _error(code: str, message: str) -> dict[str, Any]:
    return {"apiVersion": "v3", "error": {"code": code, "message": message, "errors": []}}


def _event(scan: Scan) -> dict[str, Any]:
    local = scan.place.local(scan.at)
    return {
        "eventType": scan.status.description,
        "eventTimestamp": naive_iso(local),
        "GMTTimestamp": scan.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "GMTOffset": offset_text(scan.place.utc_offset(scan.at), pad_hours=False),
        "eventCountry": None,
        "eventCity": scan.place.city.upper(),
        "eventState": scan.place.state,
        "eventZIP": scan.place.postal_code,
        "firm": None,
        "name": None,
        "authorizedAgent": "false",
        "eventCode": scan.status.code,
        "actionCode": "",
        "reasonCode": "",
    }
