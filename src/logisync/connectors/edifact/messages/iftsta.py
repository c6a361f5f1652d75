"""IFTSTA <-> ``shipment.milestone_recorded``: one event per STS in each CNI group.

The STS event code (9011 up to D01A; 4405 after) follows UN/ECE Recommendation 24. Codes we
know map to a milestone; any other code becomes ``unknown`` with the code kept, never dropped.
"""

from __future__ import annotations

from typing import Any

from logisync.connectors.edifact.messages.reading import Reading
from logisync.connectors.edifact.messages.writing import Writing

Fact = tuple[str, dict[str, Any]]

REC24_MILESTONES: dict[str, str] = {
    "12": "in_transit",  # cleared customs
    "13": "picked_up",  # pick-up completed
    "20": "exception",  # delayed (the model has no milestone 'delayed')
    "21": "delivered",  # delivery completed
    "22": "delivered",  # delivered, as ordered
    "23": "delivery_attempted",  # not delivered
    "24": "in_transit",  # departed
    "31": "in_transit",  # en route
}
MILESTONE_CODES: dict[str, str] = {
    "picked_up": "13",
    "in_transit": "24",
    "exception": "20",
    "delivered": "21",
    "delivery_attempted": "23",
}
"""The code written for a canonical milestone that came without a carrier code."""


def read_iftsta(reading: Reading) -> list[Fact]:
    facts: list[Fact] = []
    carrier = next((n.value(2, 1) for n in reading.all("NAD", "CA") if n.value(2, 1)), None)
    consignments = list(reading.all("CNI"))
    if not consignments:
        reading.message.fault("13", "IFTSTA needs a CNI group per consignment")
    for cni in consignments:
        shipment = reading.text(cni, 2, name="consignment (shipment) number")
        group = list(reading.after(cni, ("CNI", "UNT")))
        tracking = next(
            (s.value(1, 2) for s in group if s.tag == "RFF" and s.value(1, 1) == "CN"), None
        )
        statuses = [s for s in group if s.tag == "STS"]
        if not statuses:
            reading.message.fault("13", "a CNI group needs an STS segment", cni)
        for sts in statuses:
            fact = _milestone(reading, sts, group)
            fact["shipment_number"] = shipment
            if tracking:
                fact["tracking_number"] = tracking
            if carrier:
                fact["carrier"] = carrier
            facts.append(("shipment.milestone_recorded", fact))
    return facts


def _milestone(reading: Reading, sts: Any, group: list[Any]) -> dict[str, Any]:
    code = reading.text(sts, 2, 1, "status event code")
    after = group[group.index(sts) + 1 :]
    own = []
    for segment in after:
        if segment.tag in ("STS", "CNI"):
            break
        own.append(segment)
    fact: dict[str, Any] = {
        "milestone": REC24_MILESTONES.get(code, "unknown"),
        "carrier_code": code,
    }
    if sts.value(2, 4):
        fact["carrier_text"] = sts.value(2, 4)
    dtm = reading.dated("334", own) or reading.dated("334", group)
    if dtm is None:
        reading.message.fault("13", "the status has no DTM+334 (when it happened)", sts)
    elif (moment := reading.moment(dtm)) is not None:
        fact["occurred_at"] = moment.isoformat()
    loc = next((s for s in own if s.tag == "LOC" and s.value(1) == "175"), None)
    if loc is not None:
        code_of_place = loc.value(2, 1)
        location = {"city": loc.value(2, 4)} if loc.value(2, 4) else {}
        if len(code_of_place) in (2, 5) and code_of_place[:2].isalpha():
            location["country"] = code_of_place[:2]
        if location:
            fact["location"] = location
    return fact


def write_iftsta(milestone: dict[str, Any], out: Writing) -> str:
    out.add("BGM", "23", f"{milestone['shipment_number']}-{milestone.get('carrier_code') or ''}")
    if milestone.get("carrier"):
        out.add("NAD", "CA", [milestone["carrier"]])
    out.add("CNI", "1", [milestone["shipment_number"]])
    code = milestone.get("carrier_code") or MILESTONE_CODES.get(milestone["milestone"], "")
    out.add("STS", "1", [code, "", "", milestone.get("carrier_text") or ""])
    if milestone.get("tracking_number"):
        out.add("RFF", ["CN", milestone["tracking_number"]])
    out.dtm("334", milestone.get("occurred_at"))
    location = milestone.get("location") or {}
    if location.get("city") or location.get("country"):
        out.add("LOC", "175", [location.get("country") or "", "", "", location.get("city") or ""])
    return "IFTSTA"
