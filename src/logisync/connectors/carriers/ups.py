"""UPS payloads -> scans: the Track Alert push body and the Track API response.

Both give the local date and time of a scan (``YYYYMMDD``, ``HHMMSS``; the time may lose its
leading zero: ``74700``) with its GMT offset (``-05:00``, or ``-04.00`` in Track Alert); the
GMT date and time are used when the offset is missing, the location's zone as a last resort.
Track API activity is newest first. Type ``D`` is ``delivered`` only for code ``FS``, or for
the newest type-D activity of a package that reports a delivery (``DEL``) date.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from logisync.connectors.carriers.payload_reading import (
    items,
    load_object,
    mapping,
    read_part,
    required_text,
)
from logisync.connectors.carriers.scans import (
    ParsedScans,
    Scan,
    ScanPlace,
    compact_date_time,
    country_code,
    localise,
    parse_offset,
    text_of,
    with_zone_name,
)
from logisync.errors import Problem
from logisync.model.values import in_zone


def parse_ups(body: bytes) -> ParsedScans:
    """A Track Alert push (one scan) or a Track API response (``trackResponse``)."""
    parsed = ParsedScans()
    document = load_object(body, parsed, "UPS payload")
    if document is None:
        return parsed
    if "trackResponse" in document:
        _track_response(document, parsed)
    elif "activityStatus" in document or "trackingNumber" in document:
        scan = read_part(parsed, "", _alert_scan, document)
        if scan is not None:
            parsed.scans.append(scan)
    else:
        parsed.problems.append(
            Problem(
                "",
                "neither a Track Alert push (trackingNumber, activityStatus) nor a "
                "Track API response (trackResponse)",
            )
        )
    return parsed


def _alert_scan(alert: dict[str, Any]) -> Scan:
    status = mapping(alert.get("activityStatus"))
    where = mapping(alert.get("activityLocation"))
    place = ScanPlace(
        text_of(where.get("city")),
        text_of(where.get("stateProvince")),
        text_of(where.get("postalCode")),
        country_code(where.get("country") or where.get("countryCode")),
    )
    occurred, place = _when(
        alert.get("localActivityDate"),
        alert.get("localActivityTime"),
        alert.get("gmtOffset"),
        alert.get("gmtActivityDate"),
        alert.get("gmtActivityTime"),
        place,
    )
    return Scan(
        carrier="ups",
        tracking_number=required_text(alert, "trackingNumber"),
        occurred_at=occurred,
        codes={
            "type": text_of(status.get("type"), 4) or "",
            "code": text_of(status.get("code"), 8) or "",
        },
        text=text_of(status.get("description")),
        place=place,
        signed_by=text_of(alert.get("receivedBy"), 128),
        delivered=bool(text_of(alert.get("actualDeliveryDate"))),
    )


def _track_response(document: dict[str, Any], parsed: ParsedScans) -> None:
    response = mapping(document.get("trackResponse"))
    shipments = items(response.get("shipment"), parsed, "/trackResponse/shipment", "shipment")
    for s, shipment in enumerate(shipments):
        pointer = f"/trackResponse/shipment/{s}/package"
        for p, package in enumerate(
            items(mapping(shipment).get("package"), parsed, pointer, "package")
        ):
            read_part(parsed, f"{pointer}/{p}", _package, package, parsed, f"{pointer}/{p}")


def _package(package: Any, parsed: ParsedScans, pointer: str) -> None:
    if not isinstance(package, dict):
        raise TypeError("a package must be a JSON object")
    number = required_text(package, "trackingNumber")
    dates = package.get("deliveryDate")
    dates = dates if isinstance(dates, list) else []
    has_delivery_date = any(mapping(d).get("type") == "DEL" for d in dates)
    signer = text_of(mapping(package.get("deliveryInformation")).get("receivedBy"), 128)
    newest_d_seen = False
    activities = items(package.get("activity"), parsed, f"{pointer}/activity", "activity")
    for a, activity in enumerate(activities):
        scan = read_part(parsed, f"{pointer}/activity/{a}", _activity, number, activity)
        if scan is None:
            continue
        if scan.codes.get("type", "").upper() == "D" and not newest_d_seen:
            newest_d_seen = True
            if has_delivery_date:
                scan = Scan(**{**scan.__dict__, "delivered": True, "signed_by": signer})
        parsed.scans.append(scan)


def _activity(number: str, activity: Any) -> Scan:
    if not isinstance(activity, dict):
        raise TypeError("an activity must be a JSON object")
    status = mapping(activity.get("status"))
    address = mapping(mapping(activity.get("location")).get("address"))
    place = ScanPlace(
        text_of(address.get("city")),
        text_of(address.get("stateProvince")),
        text_of(address.get("postalCode")),
        country_code(address.get("countryCode") or address.get("country")),
    )
    occurred, place = _when(
        activity.get("date"), activity.get("time"), activity.get("gmtOffset"),
        activity.get("gmtDate"), activity.get("gmtTime"), place,
    )  # fmt: skip
    return Scan(
        carrier="ups",
        tracking_number=number,
        occurred_at=occurred,
        codes={
            "type": text_of(status.get("type"), 4) or "",
            "code": text_of(status.get("code"), 8) or "",
        },
        text=text_of(status.get("description")),
        place=place,
    )


def _when(
    local_date: Any, local_time: Any, offset: Any, gmt_date: Any, gmt_time: Any, place: ScanPlace
) -> tuple[datetime, ScanPlace]:
    """UTC time of a scan: local + offset, else the GMT fields, else local in the place's zone."""
    have_local = isinstance(local_date, str) and isinstance(local_time, str)
    if have_local and isinstance(offset, str) and offset.strip():
        local = compact_date_time(local_date, local_time)
        aware = local.replace(tzinfo=parse_offset(offset))
        return in_zone(aware, UTC), with_zone_name(place)
    if isinstance(gmt_date, str) and isinstance(gmt_time, str):
        gmt = compact_date_time(gmt_date.replace("-", ""), gmt_time.replace(":", ""))
        return gmt.replace(tzinfo=UTC), with_zone_name(place)
    if have_local:
        return localise(compact_date_time(local_date, local_time), place)
    raise ValueError("the scan has no date and time (date/time or gmtDate/gmtTime)")
