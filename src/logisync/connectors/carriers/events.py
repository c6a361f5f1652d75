"""Scans -> draft ``shipment.milestone_recorded`` events, deduplicated by content.

The same scan reaches the hub twice when a carrier is both polled and pushed; both copies must
be one journal entry. The event id is therefore a hash of the dedupe key (carrier, tracking
number, code, UTC time, location), and the ``source`` is the carrier system's name on both
paths, so the journal's ``(source, id)`` idempotency sees one fact.

Drafts carry no ``subject``: only the tracking number is known here. The caller runs
``logisync.core.subjects.with_subject`` with the store's crosswalk look-up (``attach_subjects``
below does it for a list) so that the event lands on the shipment it belongs to.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from logisync.connectors.carriers.milestones import normalise
from logisync.connectors.carriers.scans import ParsedScans, Scan
from logisync.connectors.carriers.tracking_numbers import compact, tracking_number_problem
from logisync.core.subjects import Resolve, with_subject
from logisync.errors import Problem
from logisync.model.entities.logistics import ShipmentMilestone
from logisync.model.values import date_text

MILESTONE_RECORDED = "shipment.milestone_recorded"


@dataclass
class Drafted:
    """Draft events made from a payload, what was refused, and what was dropped as too old."""

    events: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    before_ship_date: int = 0


def dedupe_key(scan: Scan, carrier_code: str | None) -> str:
    place = scan.place
    where = "|".join(x or "" for x in (place.city, place.region, place.postal_code, place.country))
    when = date_text(scan.occurred_at.astimezone(UTC), "%Y-%m-%dT%H:%M:%SZ")
    return "\x1f".join(
        (scan.carrier, compact(scan.tracking_number), carrier_code or "", when, where)
    )


def milestone_draft(scan: Scan, source: str) -> dict[str, Any]:
    """The draft event of one scan (no subject); ``ValidationError`` if the scan's fields do
    not fit ``ShipmentMilestone`` (a country code that is no country)."""
    normalised = normalise(
        scan.carrier, scan.codes, scan.text, delivered=scan.delivered, return_flag=scan.return_flag
    )
    occurred = scan.occurred_at.astimezone(UTC)
    payload = ShipmentMilestone.model_validate(
        {
            "milestone": normalised.milestone,
            "occurred_at": occurred,
            "carrier": scan.carrier,
            "carrier_code": normalised.carrier_code,
            "carrier_text": normalised.carrier_text,
            "tracking_number": compact(scan.tracking_number),
            "location": scan.place.as_location() or None,
            "signed_by": scan.signed_by,
        }
    ).model_dump(mode="json", exclude_none=True)
    digest = hashlib.sha256(dedupe_key(scan, normalised.carrier_code).encode()).hexdigest()
    stamp = date_text(occurred, "%Y-%m-%dT%H:%M:%SZ")
    return {
        "specversion": "1.0",
        "type": MILESTONE_RECORDED,
        "source": source,
        "id": f"{scan.carrier}-scan-{digest[:40]}",
        "time": stamp,
        "sourceversion": stamp,
        "data": payload,
    }


def draft_events(
    parsed: ParsedScans, source: str, *, not_before: datetime | None = None
) -> Drafted:
    """Drafts for every scan whose tracking number is valid for its carrier; scans before
    ``not_before`` (the ship date: the number may have been used before) are counted and
    dropped."""
    drafted = Drafted(problems=list(parsed.problems))
    refused: set[str] = set()
    for index, scan in enumerate(parsed.scans):
        if not_before is not None and scan.occurred_at < not_before:
            drafted.before_ship_date += 1
            continue
        problem = tracking_number_problem(scan.carrier, scan.tracking_number, f"/scans/{index}")
        if problem is not None:
            if scan.tracking_number not in refused:
                refused.add(scan.tracking_number)
                drafted.problems.append(problem)
            continue
        try:
            drafted.events.append(milestone_draft(scan, source))
        except ValidationError as error:
            where = ", ".join(".".join(map(str, e["loc"])) for e in error.errors())
            drafted.problems.append(
                Problem(f"/scans/{index}", f"the scan of {scan.tracking_number} has bad {where}")
            )
    return drafted


def attach_subjects(drafts: Sequence[dict[str, Any]], resolve: Resolve) -> list[dict[str, Any]]:
    """Each draft with the shipment it belongs to (see ``logisync.core.subjects``)."""
    return [with_subject(draft, resolve) for draft in drafts]
