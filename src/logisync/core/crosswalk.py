"""The external ids a fact carries, to link in the crosswalk ``(system, id) -> entity``."""

from __future__ import annotations

from typing import Any

from logisync.core.ports import CrosswalkLink


def external_ids(entity_key: str, data: dict[str, Any]) -> list[CrosswalkLink]:
    """Ids named by the payload: ``external_ids`` by system, and carrier tracking numbers.

    A carrier's tracking number is that carrier's id for the shipment, so a later tracking
    event that only knows ``(ups, 1Z...)`` resolves to the same shipment as the WMS's
    shipment number and Odoo's picking id.
    """
    if "external_ids" not in data and "tracking_number" not in data:
        return []
    links = [
        CrosswalkLink(system, str(external), entity_key)
        for system, external in (data.get("external_ids") or {}).items()
    ]
    carrier = data.get("carrier")
    tracking = data.get("tracking_number")
    if entity_key.startswith("shipment:") and carrier and tracking:
        if entity_key == f"shipment:{tracking}":
            # a scan journaled under its own tracking number (``core.subjects``): linking it
            # would claim the number for good (the first link wins), so the dispatch that
            # names the real shipment could never take it over
            return links
        links.append(CrosswalkLink(str(carrier), str(tracking), entity_key))
        for package in data.get("packages") or []:
            if package.get("tracking_number") and package["tracking_number"] != tracking:
                links.append(CrosswalkLink(str(carrier), package["tracking_number"], entity_key))
    return links
