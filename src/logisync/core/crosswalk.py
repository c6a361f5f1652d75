"""The external ids a fact carries, to link in the crosswalk ``(system, id) -> entity``."""

from __future__ import annotations

from typing import Any

from logisync.core.ports import CrosswalkLink
from logisync.model.identifiers import carrier_code, tracking_key


def external_ids(entity_key: str, data: dict[str, Any]) -> list[CrosswalkLink]:
    """Ids named by the payload: ``external_ids`` by system, and carrier tracking numbers.

    A carrier's tracking number is that carrier's id for the shipment, so a later tracking
    event that only knows ``(ups, 1Z...)`` resolves to the same shipment as the WMS's
    shipment number and Odoo's picking id. Carrier names and numbers are normalised
    (``carrier_code``, ``tracking_key``): the WMS's "UPS" and UPS's own "ups" must meet.
    """
    if "external_ids" not in data and "tracking_number" not in data:
        return []
    links = [
        CrosswalkLink(system, str(external), entity_key)
        for system, external in (data.get("external_ids") or {}).items()
    ]
    carrier = data.get("carrier")
    tracking = data.get("tracking_number")
    if not (entity_key.startswith("shipment:") and carrier and tracking):
        return links
    if entity_key == f"shipment:{tracking_key(str(tracking))}":
        # a scan journaled under its own tracking number (``core.subjects``): linking it
        # would claim the number for good (the first link wins), so the dispatch that
        # names the real shipment could never take it over
        return links
    numbers = {tracking_key(str(tracking))}
    numbers |= {
        tracking_key(str(p["tracking_number"]))
        for p in data.get("packages") or []
        if p.get("tracking_number")
    }
    code = carrier_code(str(carrier))
    links.extend(CrosswalkLink(code, number, entity_key) for number in sorted(numbers))
    return links
