"""Carrier scans that came before their shipment was known, moved onto the shipment.

A carrier's scan can reach the hub before the dispatch that says which shipment its tracking
number belongs to (the carrier's webhook is faster than the warehouse's batch). Such scans
are journaled under ``shipment:<tracking number>`` (``core.subjects``) rather than dropped.
When a later fact links the number to its shipment, the scans are journaled again under that
shipment, with ids derived from the originals, so that doing it twice journals nothing new.
"""

from __future__ import annotations

from collections.abc import Iterable

from logisync.core.ports import CrosswalkLink, JournalRecord, Store
from logisync.core.subjects import TRACKING_EVENT_TYPES
from logisync.model import Event, new_event
from logisync.model.identifiers import carrier_code


def rehomed_scans(store: Store, links: Iterable[CrosswalkLink]) -> list[Event]:
    """The scans journaled under a tracking number that ``links`` now tie to a shipment,
    as events of that shipment (empty when there are none). One journal read for all the
    links: under a backlog each read scans the not yet indexed tail of the journal."""
    wanted: dict[str, list[CrosswalkLink]] = {}
    seen: set[tuple[str, str]] = set()
    for link in links:
        domain, _, number = link.entity_key.partition(":")
        if domain != "shipment" or link.external_id == number:
            continue
        if (link.external_id, link.entity_key) in seen:
            continue
        seen.add((link.external_id, link.entity_key))
        wanted.setdefault(f"shipment:{link.external_id}", []).append(link)
    if not wanted:
        return []
    scans: dict[str, list[JournalRecord]] = {}
    for record in store.events_for_entities(list(wanted)):
        if record.type in TRACKING_EVENT_TYPES:
            scans.setdefault(record.subject, []).append(record)
    moved: list[Event] = []
    for orphan, orphan_links in wanted.items():
        for link in orphan_links:
            number = link.entity_key.partition(":")[2]
            for record in scans.get(orphan, ()):
                if carrier_code(str(record.data.get("carrier"))) != link.system:
                    continue  # another carrier's number that happens to be the same text
                moved.append(
                    new_event(
                        record.type,
                        {**record.data, "shipment_number": number},
                        source=record.source,
                        id=f"{record.event_id}@{number}",
                        subject=link.entity_key,
                        time=record.time,
                        sourceversion=record.sourceversion,
                        correlationid=record.correlationid,
                        causationid=record.event_id,
                    )
                )
    return moved
