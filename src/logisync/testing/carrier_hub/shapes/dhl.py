"""DHL Shipment Tracking - Unified shapes (``GET /track/shipments``), DHL Express service.

Events are newest first and list the pieces they concern. DHL sometimes omits the offset of a
timestamp (local wall-clock time): which events do is fixed per event by the hub's seed, so a
hub parser meets both spellings and must resolve the local time with the location's zone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from logisync.testing.carrier_hub.shapes.local_time import naive_iso
from logisync.testing.carrier_hub.shipments import Scan, Shipment

__all__ = ["not_found", "shipments_answer", "unauthorized"]


def shipments_answer(
    shipment: Shipment, scans: list[Scan], *, without_offset: Callable[[Scan], bool]
) -> dict[str, Any]:
    newest_first = sorted(scans, key=lambda s: (s.at, s.sequence), reverse=True)
    piece_ids = [piece.tracking_number for piece in shipment.pieces[1:]]
    events = [_event(scan, piece_ids, without_offset(scan)) for scan in newest_first]
    details: dict[str, Any] = {
        "product": {"productName": "EXPRESS WORLDWIDE"},
        "totalNumberOfPieces": len(piece_ids),
        "pieceIds": piece_ids,
    }
    latest = newest_first[0]
    if latest.expected == "delivered":
        details["proofOfDelivery"] = {
            "timestamp": latest.place.local(latest.at).isoformat(timespec="seconds"),
            "signed": {"@type": "Person", "name": "RECIPIENT"},
        }
    return {
        "shipments": [
            {
                "id": shipment.tracking_number,
                "service": shipment.service,
                "origin": {"address": _address(shipment.origin)},
                "destination": {"address": _address(shipment.destination)},
                "status": events[0],
                "returnFlag": any(scan.status.return_flag for scan in scans),
                "details": details,
                "events": events,
            }
        ],
        "possibleAdditionalShipmentsUrl": [
            f"/track/shipments?trackingNumber={shipment.tracking_number}&service=parcel-de"
        ],
    }


def not_found(number: str) -> dict[str, Any]:
    return _problem(404, "No result found", "No shipment with given tracking number found.", number)


def unauthorized() -> dict[str, Any]:
    return _problem(401, "Unauthorized", "Invalid or missing DHL-API-Key header.", "")


def bad_request(message: str) -> dict[str, Any]:
    return _problem(400, "Bad Request", message, "")


def _problem(status: int, title: str, detail: str, number: str) -> dict[str, Any]:
    return {"title": title, "status": status, "detail": detail, "instance": f"/shipment/{number}"}


def _event(scan: Scan, piece_ids: list[str], without_offset: bool) -> dict[str, Any]:
    local = scan.place.local(scan.at)
    return {
        "timestamp": naive_iso(local) if without_offset else local.isoformat(timespec="seconds"),
        "location": {"address": _address(scan.place)},
        "statusCode": scan.status.status_type,
        "status": scan.status.description,
        "description": scan.status.description,
        "pieceIds": piece_ids,
    }


def _address(place: Any) -> dict[str, str]:
    return {
        "addressLocality": f"{place.city.upper()} - {place.country}",
        "postalCode": place.postal_code,
        "countryCode": place.country,
    }
