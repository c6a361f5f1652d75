"""FedEx shapes: Track API v1 answers and the simulator's Advanced Integrated Visibility push.

Scan dates are ISO 8601 local time with the offset. FedEx publishes the webhook schema only
in its portal (CARRIERS_EDI.md: unverified), so a push here carries one scan event in the
Track API's own event shape with the latest status: a hub parser for one handles both.
"""

from __future__ import annotations

import json
from typing import Any

from logisync.testing.carrier_hub.shipments import Scan, Shipment

__all__ = ["not_found_result", "push_body", "requested_numbers", "track_result", "unauthorized"]


def requested_numbers(raw: bytes) -> list[str]:
    """The numbers a Track API request asks for; ValueError saying what is wrong otherwise."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"the request body is not JSON: {exc}") from None
    infos = body.get("trackingInfo") if isinstance(body, dict) else None
    if not isinstance(infos, list) or not infos:
        raise ValueError(
            "trackingInfo must be a non-empty list of {trackingNumberInfo: {trackingNumber}}"
        )
    numbers = []
    for index, info in enumerate(infos):
        inner = info.get("trackingNumberInfo") if isinstance(info, dict) else None
        number = inner.get("trackingNumber") if isinstance(inner, dict) else None
        if not isinstance(number, str) or not number:
            raise ValueError(f"trackingInfo[{index}].trackingNumberInfo.trackingNumber is missing")
        numbers.append(number)
    return numbers


_DERIVED: dict[str, tuple[str, str]] = {
    "pre_transit": ("IN", "Label created"),
    "picked_up": ("PU", "Picked up"),
    "in_transit": ("IT", "In transit"),
    "out_for_delivery": ("OD", "On FedEx vehicle for delivery"),
    "delivered": ("DL", "Delivered"),
    "delivery_attempted": ("DE", "Delivery exception"),
    "exception": ("SE", "Shipment exception"),
    "returned_to_sender": ("RS", "Return to shipper"),
    "available_for_pickup": ("HL", "Ready for pickup"),
    "cancelled": ("CA", "Cancelled"),
    "unknown": ("", ""),
}


def track_result(shipment: Shipment, number: str, scans: list[Scan]) -> dict[str, Any]:
    newest_first = sorted(scans, key=lambda s: (s.at, s.sequence), reverse=True)
    latest = newest_first[0]
    sequence = [p.tracking_number for p in shipment.pieces].index(number) + 1
    dates = [{"type": "SHIP", "dateTime": _iso(scans[0])}]
    for scan in scans:
        if scan.expected == "picked_up":
            dates.append({"type": "ACTUAL_PICKUP", "dateTime": _iso(scan)})
        if scan.expected == "delivered":
            dates.append({"type": "ACTUAL_DELIVERY", "dateTime": _iso(scan)})
    return {
        "trackingNumberInfo": _number_info(shipment, number),
        "latestStatusDetail": latest_status(latest),
        "dateAndTimes": dates,
        "packageDetails": {"count": str(len(shipment.pieces)), "sequenceNumber": str(sequence)},
        "serviceDetail": {"description": shipment.service},
        "originLocation": {"locationContactAndAddress": {"address": _address(shipment.origin)}},
        "destinationLocation": {
            "locationContactAndAddress": {"address": _address(shipment.destination)}
        },
        "scanEvents": [scan_event(scan) for scan in newest_first],
    }


def not_found_result(number: str) -> dict[str, Any]:
    return {
        "trackingNumberInfo": {
            "trackingNumber": number,
            "carrierCode": "",
            "trackingNumberUniqueId": "",
        },
        "error": {
            "code": "TRACKING.TRACKINGNUMBER.NOTFOUND",
            "message": "Tracking number cannot be found. Please correct the tracking number "
            "and try again.",
        },
    }


def push_body(shipment: Shipment, scan: Scan) -> dict[str, Any]:
    return {
        "trackingNumber": scan.tracking_number,
        "trackingNumberInfo": _number_info(shipment, scan.tracking_number),
        "masterTrackingNumber": shipment.tracking_number,
        "latestStatusDetail": latest_status(scan),
        "scanEvents": [scan_event(scan)],
    }


def unauthorized() -> dict[str, Any]:
    return _errors(
        "NOT.AUTHORIZED.ERROR",
        "Access token expired or invalid. Please modify your request and try again.",
    )


def bad_request(message: str) -> dict[str, Any]:
    return _errors("TRACKING.TRACKINGNUMBER.EMPTY", message)


def _errors(code: str, message: str) -> dict[str, Any]:
    return {"transactionId": "carrier-hub", "errors": [{"code": code, "message": message}]}


def latest_status(scan: Scan) -> dict[str, Any]:
    derived, _ = _DERIVED[scan.expected]
    detail: dict[str, Any] = {
        "code": scan.status.code,
        "derivedCode": derived,
        "statusByLocale": scan.status.description,
        "description": scan.status.description,
        "scanLocation": _address(scan.place),
    }
    if scan.status.detail_code:
        detail["ancillaryDetails"] = [
            {"reason": scan.status.detail_code, "reasonDescription": scan.status.detail_description}
        ]
    return detail


def scan_event(scan: Scan) -> dict[str, Any]:
    derived, derived_text = _DERIVED[scan.expected]
    return {
        "date": _iso(scan),
        "eventType": scan.status.code,
        "eventDescription": scan.status.description,
        "exceptionCode": scan.status.detail_code,
        "exceptionDescription": scan.status.detail_description,
        "scanLocation": {"streetLines": [""], **_address(scan.place), "residential": False},
        "derivedStatusCode": derived,
        "derivedStatus": derived_text,
    }


def _number_info(shipment: Shipment, number: str) -> dict[str, str]:
    carrier_code = "FDXG" if shipment.service == "FedEx Ground" else "FDXE"
    shipped = shipment.shipped_at.strftime("%Y%m%d")
    return {
        "trackingNumber": number,
        "carrierCode": carrier_code,
        "trackingNumberUniqueId": f"{shipped}~{number}~FX",
    }


def _iso(scan: Scan) -> str:
    return scan.place.local(scan.at).isoformat(timespec="seconds")


def _address(place: Any) -> dict[str, str]:
    return {
        "city": place.city.upper(),
        "stateOrProvinceCode": place.state,
        "postalCode": place.postal_code,
        "countryCode": place.country,
    }
