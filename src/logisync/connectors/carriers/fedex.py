"""FedEx payloads -> scans: the Track API response and the webhook push (same shape).

``output.completeTrackResults[].trackResults[]``: a reused tracking number answers several
track results; only the one with the newest scan is read (older ones belong to an earlier
parcel). Scan dates carry their offset; a date without one is read in the scan location's
zone. FedEx does not publish its webhook schema: a push is read either as the same
``completeTrackResults`` shape (with or without the ``output`` wrapper) or as one track
result on its own (``trackingNumberInfo``, ``latestStatusDetail``, ``scanEvents``).
"""

from __future__ import annotations

from typing import Any

from logisync.connectors.carriers.payload_reading import (
    items,
    load_object,
    mapping,
    read_part,
)
from logisync.connectors.carriers.scans import (
    ParsedScans,
    Scan,
    ScanPlace,
    country_code,
    iso_time,
    text_of,
)
from logisync.errors import Problem


def parse_fedex(body: bytes) -> ParsedScans:
    parsed = ParsedScans()
    document = load_object(body, parsed, "FedEx payload")
    if document is None:
        return parsed
    output = mapping(document.get("output")) or document
    if "completeTrackResults" not in output and "scanEvents" in document:
        # one track result pushed on its own (a webhook event): read it as such
        number = text_of(document.get("trackingNumber"), 64)
        scans = read_part(parsed, "", _result, document, number, parsed, "")
        parsed.scans.extend(scans or [])
        return parsed
    if "completeTrackResults" not in output:
        parsed.problems.append(
            Problem("", "not a FedEx track reply: completeTrackResults is missing")
        )
        return parsed
    base = "/output/completeTrackResults" if "output" in document else "/completeTrackResults"
    for c, complete in enumerate(
        items(output.get("completeTrackResults"), parsed, base, "completeTrackResults")
    ):
        pointer = f"{base}/{c}/trackResults"
        results = items(mapping(complete).get("trackResults"), parsed, pointer, "trackResults")
        number = text_of(mapping(complete).get("trackingNumber"), 64)
        candidates = []
        for r, result in enumerate(results):
            scans = read_part(
                parsed, f"{pointer}/{r}", _result, result, number, parsed, f"{pointer}/{r}"
            )
            if scans:
                candidates.append(scans)
        if candidates:
            parsed.scans.extend(
                max(candidates, key=lambda scans: max(s.occurred_at for s in scans))
            )
    return parsed


def _result(result: Any, number: str | None, parsed: ParsedScans, pointer: str) -> list[Scan]:
    if not isinstance(result, dict):
        raise TypeError("a track result must be a JSON object")
    if result.get("error") and not result.get("scanEvents"):
        error = mapping(result.get("error"))
        raise ValueError(
            f"FedEx answered {text_of(error.get('code'))}: {text_of(error.get('message'))}"
        )
    info = mapping(result.get("trackingNumberInfo"))
    tracking = text_of(info.get("trackingNumber"), 64) or number
    if tracking is None:
        raise ValueError("trackingNumberInfo.trackingNumber is missing")
    signer = text_of(mapping(result.get("deliveryDetails")).get("receivedByName"), 128)
    scans = []
    for e, event in enumerate(
        items(result.get("scanEvents"), parsed, f"{pointer}/scanEvents", "scanEvents")
    ):
        scan = read_part(parsed, f"{pointer}/scanEvents/{e}", _scan, event, tracking, signer)
        if scan is not None:
            scans.append(scan)
    return scans


def _scan(event: Any, tracking: str, signer: str | None) -> Scan:
    if not isinstance(event, dict):
        raise TypeError("a scan event must be a JSON object")
    where = mapping(event.get("scanLocation"))
    place = ScanPlace(
        text_of(where.get("city")),
        text_of(where.get("stateOrProvinceCode")),
        text_of(where.get("postalCode")),
        country_code(where.get("countryCode")),
    )
    date = event.get("date")
    if not isinstance(date, str):
        raise ValueError("date is missing or not text")
    occurred, place = iso_time(date, place)
    codes = {
        "derivedStatusCode": text_of(event.get("derivedStatusCode"), 8) or "",
        "eventType": text_of(event.get("eventType"), 8) or "",
    }
    text = text_of(event.get("eventDescription"))
    exception = text_of(event.get("exceptionDescription"))
    if exception:
        text = f"{text}: {exception}" if text else exception
    delivered = codes["eventType"].upper() == "DL"
    return Scan("fedex", tracking, occurred, codes, text, place, signer if delivered else None)
