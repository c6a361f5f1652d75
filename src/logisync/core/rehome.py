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
    as events of that shipment, in journal order (empty when there are none). One journal
    read for all the links: under a backlog each read scans the not yet indexed tail."""
    links_of: dict[str, dict[CrosswalkLink, None]] = {}  # orphan -> its links, once each
    for link in links:
        domain, _, number = link.entity_key.partition(":")
        if domain == "shipment" and link.external_id != number:
            links_of.setdefault(f"shipment:{link.external_id}", {})[link] = None
    if not links_of:
        return []
    moved: list[Event] = []
    for record in store.events_for_entities(list(links_of)):
        if record.type not in TRACKING_EVENT_TYPES:
            continue
        carrier = carrier_code(str(record.data.get("carrier")))
        for link in links_of.get(record.subject, ()):
            if link.system == carrier:  # else another carrier's number, the same text
                moved.append(_moved(record, link))
    return moved


def _moved(record: JournalRecord, link: CrosswalkLink) -> Event:
    number = link.entity_key.partition(":")[2]
    return new_event(
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
