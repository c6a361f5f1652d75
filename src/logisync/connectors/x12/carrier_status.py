"""214 carrier shipment status, both ways: one ``shipment.milestone_recorded`` per AT7 status.

B10 01 is the carrier's reference (its tracking or PRO number), 02 our shipment number, 03 the
carrier's SCAC. Each LX loop holds an AT7 (01 status code, 02 reason, 05 date, 06 time, 07 time
code) and MS1 (city, region, country) where it happened. The status code gives the canonical
milestone; a reason can turn a neutral status into an attempt or an exception. A code we do
not know becomes ``unknown`` with the code kept, so no status is lost.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from logisync.connectors.x12.reading import (
    US_ZONES,
    Mapped,
    SetContext,
    SetReader,
    zone_of_time_code,
)
from logisync.connectors.x12.syntax import Segment
from logisync.connectors.x12.writer import OutboundSet, SegmentData, date_time

# AT7-01 (data element 1650) status codes -> canonical milestone, and their words.
STATUS_CODES: dict[str, tuple[str, str]] = {
    "XB": ("pre_transit", "shipment acknowledged"),
    "X3": ("pre_transit", "arrived at pick-up location"),
    "AF": ("picked_up", "departed pick-up location"),
    "X4": ("in_transit", "arrived at terminal"),
    "P1": ("in_transit", "departed terminal"),
    "AG": ("in_transit", "estimated delivery"),
    "X6": ("out_for_delivery", "en route to delivery location"),
    "X1": ("out_for_delivery", "arrived at delivery location"),
    "D1": ("delivered", "completed unloading at delivery location"),
    "CD": ("delivered", "departed delivery location"),
    "AH": ("delivery_attempted", "attempted delivery"),
    "AP": ("delivery_attempted", "delivery not completed"),
    "SD": ("exception", "shipment delayed"),
    "A3": ("returned_to_sender", "shipment returned to shipper"),
    "A7": ("exception", "shipment refused by consignee"),
    "A9": ("exception", "shipment damaged"),
    "CA": ("cancelled", "shipment cancelled"),
}

# AT7-02 (data element 1651) reasons: what a reason makes of a status that is not final.
REASON_CODES: dict[str, tuple[str | None, str]] = {
    "NS": (None, "normal status"),
    "A1": ("delivery_attempted", "missed delivery"),
    "A2": ("exception", "incorrect address"),
    "AO": ("exception", "weather or natural disaster"),
    "B1": ("delivery_attempted", "consignee closed"),
    "BS": ("exception", "refused by customer"),
}
FINAL = ("delivered", "returned_to_sender", "cancelled")


def read_214(reader: SetReader, context: SetContext) -> Mapped:
    b10 = reader.require("B10")
    if b10 is None:
        return []
    base: dict[str, Any] = {"shipment_number": b10.get(2) or None}
    if b10.get(1):
        base["tracking_number"] = b10.get(1)
    if b10.get(3):
        base["carrier"] = b10.get(3)
    if base["shipment_number"] is None and "tracking_number" not in base:
        reader.fail(b10, 2, "names neither our shipment (02) nor a tracking number (01)", "1")
    mapped: Mapped = []
    for loop in reader.loops("LX"):
        at7 = next((s for s in loop if s.tag == "AT7" and s.get(1)), None)
        if at7 is None:
            continue
        ms1 = next((s for s in loop if s.tag == "MS1"), None)
        milestone = _milestone(reader, at7, ms1, context)
        if milestone is not None:
            mapped.append(("shipment.milestone_recorded", {**base, **milestone}))
    if not mapped and not reader.findings:
        reader.require("AT7")
    return mapped


def _milestone(
    reader: SetReader, at7: Segment, ms1: Segment | None, context: SetContext
) -> dict[str, Any] | None:
    code, reason = at7.get(1).strip(), at7.get(2).strip()
    milestone, text = STATUS_CODES.get(code, ("unknown", f"status {code}"))
    if reason in REASON_CODES:
        becomes, why = REASON_CODES[reason]
        if becomes is not None and milestone not in FINAL:
            milestone = becomes
        text = f"{text} ({why})"
    elif reason:
        text = f"{text} (reason {reason})"
    zone = zone_of_time_code(at7.get(7), context.zone)
    if zone is None:
        reader.fail(at7, 7, f"{at7.get(7)!r} is not a time code we know (LT, UT, ET...)", "7")
        return None
    occurred = reader.moment(at7, 5, 6, zone[0])
    if occurred is None:
        return None
    result: dict[str, Any] = {
        "milestone": milestone,
        "occurred_at": occurred,
        "carrier_code": f"{code}/{reason}" if reason else code,
        "carrier_text": text,
    }
    location: dict[str, Any] = {}
    if ms1 is not None:
        for key, element in (("city", 1), ("region", 2), ("country", 3)):
            if ms1.get(element):
                location[key] = ms1.get(element)
    if zone[1] is not None and zone[1] != "UTC":
        location["timezone"] = zone[1]
    if location:
        result["location"] = location
    return result


# The code we send for a milestone whose carrier code is not an X12 status code.
MILESTONE_CODES = {
    "pre_transit": "XB",
    "picked_up": "AF",
    "in_transit": "P1",
    "out_for_delivery": "X6",
    "available_for_pickup": "X1",
    "delivery_attempted": "AH",
    "exception": "SD",
    "delivered": "D1",
    "returned_to_sender": "A3",
    "cancelled": "CA",
    "unknown": "AG",
}


def write_214(milestones: list[dict[str, Any]]) -> OutboundSet:
    """One status message for milestones of one shipment (a shipment's ``status``, or
    ``shipment.milestone_recorded`` events). A milestone keeps its X12 code and reason when it
    came with one; times are written where they happened when that place's zone is a US zone
    X12 can name, else in UTC."""
    first = milestones[0]
    segments: list[SegmentData] = [
        [
            "B10",
            first.get("tracking_number") or "",
            first.get("shipment_number") or "",
            first.get("carrier") or "",
        ]
    ]
    for number, milestone in enumerate(milestones, 1):
        status, reason = _codes(milestone)
        location = milestone.get("location") or {}
        day, clock, time_code = _local(milestone["occurred_at"], location.get("timezone"))
        segments.append(["LX", str(number)])
        segments.append(["AT7", status, reason, "", "", day, clock, time_code])
        place = [location.get(k) or "" for k in ("city", "region", "country")]
        if any(place):
            segments.append(["MS1", *place])
    return OutboundSet("214", segments)


def _codes(milestone: dict[str, Any]) -> tuple[str, str]:
    status, _, reason = str(milestone.get("carrier_code") or "").partition("/")
    ours = status in STATUS_CODES and STATUS_CODES[status][0] == milestone["milestone"]
    unknown_kept = milestone["milestone"] == "unknown" and len(status) == 2 and status.isalnum()
    if not (ours or unknown_kept):
        return MILESTONE_CODES[milestone["milestone"]], ""
    return status, reason if len(reason) == 2 and reason.isalnum() else ""


def _local(occurred: Any, zone_name: str | None) -> tuple[str, str, str]:
    for letter, (name, _) in US_ZONES.items():
        if name == zone_name:
            day, clock = date_time(occurred, ZoneInfo(name))
            return day, clock, f"{letter}T"
    day, clock = date_time(occurred)
    return day, clock, "UT"
