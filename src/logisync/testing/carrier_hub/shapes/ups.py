"""UPS shapes: Tracking API v1 answers and Track Alert pushes (UPS-API Tracking.yaml,
UPSTrackAlert.yaml).

Activity is newest first; ``date``/``time`` are local, ``gmtDate``/``gmtTime`` UTC, with
``gmtTime`` losing its leading zero as in UPS's own example ('74700'). A push carries the
offset as ``-04.00``.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from logisync.testing.carrier_hub.shapes.local_time import compact_date, compact_time, offset_text
from logisync.testing.carrier_hub.shipments import Scan, Shipment

__all__ = ["not_found", "push_body", "track_answer", "unauthorized"]

_SLIC = {"Atlanta": "3033", "Louisville": "4002", "Memphis": "3811", "Chicago": "6060"}


def track_answer(shipment: Shipment, number: str, scans: list[Scan]) -> dict[str, Any]:
    newest_first = sorted(scans, key=lambda s: (s.at, s.sequence), reverse=True)
    latest = newest_first[0]
    package: dict[str, Any] = {
        "trackingNumber": number,
        "packageCount": len(shipment.pieces),
        "service": {"description": shipment.service},
        "currentStatus": _status(latest),
        "activity": [_activity(scan) for scan in newest_first],
        "packageAddress": [
            _package_address("ORIGIN", shipment.origin),
            _package_address("DESTINATION", shipment.destination),
        ],
        "deliveryDate": [],
    }
    if latest.expected == "delivered":
        local = latest.place.local(latest.at)
        package["deliveryDate"] = [{"type": "DEL", "date": compact_date(local)}]
        package["deliveryTime"] = {"type": "DEL", "endTime": compact_time(local)}
        package["deliveryInformation"] = {"location": "Front Door", "receivedBy": ""}
    return {
        "trackResponse": {
            "shipment": [{"inquiryNumber": number, "package": [package], "userRelation": []}]
        }
    }


def push_body(scan: Scan) -> dict[str, Any]:
    local = scan.place.local(scan.at)
    utc = scan.at.astimezone(UTC)
    body: dict[str, Any] = {
        "trackingNumber": scan.tracking_number,
        "localActivityDate": compact_date(local),
        "localActivityTime": compact_time(local),
        "gmtActivityDate": compact_date(utc),
        "gmtActivityTime": compact_time(utc),
        "gmtOffset": offset_text(scan.place.utc_offset(scan.at), separator="."),
        "activityLocation": {
            "city": scan.place.city,
            "stateProvince": scan.place.state,
            "postalCode": scan.place.postal_code,
            "country": scan.place.country,
        },
        "activityStatus": {
            "type": scan.status.status_type,
            "code": scan.status.code,
            "description": scan.status.description,
            "descriptionCode": scan.status.detail_code,
        },
    }
    if scan.expected == "delivered":
        body["actualDeliveryDate"] = compact_date(local)
        body["actualDeliveryTime"] = compact_time(local)
    return body


def not_found(number: str) -> dict[str, Any]:
    return _errors("151044", f"Tracking Information Not Found for {number}")


def unauthorized() -> dict[str, Any]:
    return _errors("250002", "Invalid Authentication Information.")


def bad_request(message: str) -> dict[str, Any]:
    return _errors("TW0001", message)


def _errors(code: str, message: str) -> dict[str, Any]:
    return {"response": {"errors": [{"code": code, "message": message}]}}


def _activity(scan: Scan) -> dict[str, Any]:
    local = scan.place.local(scan.at)
    utc = scan.at.astimezone(UTC)
    return {
        "location": {
            "address": {
                "city": scan.place.city,
                "stateProvince": scan.place.state,
                "postalCode": scan.place.postal_code,
                "countryCode": scan.place.country,
                "country": scan.place.country,
            },
            "slic": _SLIC.get(scan.place.city, "9999"),
        },
        "status": _status(scan),
        "date": compact_date(local),
        "time": compact_time(local),
        "gmtDate": compact_date(utc),
        "gmtTime": str(int(compact_time(utc))) if utc.hour or utc.minute or utc.second else "0",
        "gmtOffset": offset_text(scan.place.utc_offset(scan.at)),
        "logicalScan": scan.status.status_type == "M",
    }


def _status(scan: Scan) -> dict[str, str]:
    return {
        "type": scan.status.status_type,
        "code": scan.status.code,
        "description": scan.status.description,
        "simplifiedTextDescription": scan.status.description,
        "statusCode": scan.status.detail_code,
    }


def _package_address(kind: str, place: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "address": {
            "city": place.city,
            "stateProvince": place.state,
            "postalCode": place.postal_code,
            "countryCode": place.country,
        },
    }
