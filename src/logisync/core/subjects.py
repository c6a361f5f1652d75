"""Which entity a fact is about, when its sender only knows its own id for it.

A carrier knows a parcel by its tracking number, not by the warehouse's shipment number. The
crosswalk links ``(carrier, tracking number)`` to the shipment as soon as any fact naming both
was processed (the dispatch from the WMS, the picking from Odoo), so a tracking event is
journaled under the shipment it belongs to. When no link exists yet (the carrier's scan
outran the dispatch), the tracking number stands for the shipment: the event is kept, never
dropped, under ``shipment:<tracking number>``, and moved onto its shipment once the link appears
(``core.rehome``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from logisync.errors import InvalidEvent, Problem
from logisync.model.catalogue import EVENT_TYPES
from logisync.model.envelope import validation_problems
from logisync.model.identifiers import carrier_code, tracking_key

Resolve = Callable[[str, str], str | None]
"""``(system, external id) -> entity key`` or ``None``: the store's crosswalk look-up."""

TRACKING_EVENT_TYPES = ("shipment.milestone_recorded", "shipment.milestone_corrected")
"""Facts a carrier sends knowing only its tracking number."""


def with_subject(draft: dict[str, Any], resolve: Resolve) -> dict[str, Any]:
    """``draft`` with its ``subject`` (and the payload's shipment number) filled in from the
    crosswalk when it names a carrier's tracking number but no subject; other drafts are
    returned unchanged."""
    if draft.get("subject") or draft.get("type") not in TRACKING_EVENT_TYPES:
        return draft
    data = draft.get("data")
    if not isinstance(data, dict) or data.get("shipment_number"):
        return draft
    carrier, tracking = data.get("carrier"), data.get("tracking_number")
    if not isinstance(carrier, str) or not isinstance(tracking, str) or not tracking:
        return draft
    number = tracking_key(tracking)
    key = resolve(carrier_code(carrier), number) or f"shipment:{number}"
    number = key.split(":", 1)[1]
    return {**draft, "subject": key, "data": {**data, "shipment_number": number}}


def with_payload_subject(draft: dict[str, Any], resolve: Resolve) -> dict[str, Any]:
    """``draft`` with the subject a sender that does not name one means: the entity its
    payload names (the catalogue's key of the type), else, for a carrier's scan, the shipment
    the crosswalk links its tracking number to (``with_subject``). Intakes that read partners'
    files and streams, whose messages carry no CloudEvents subject, share it, and so refuse
    alike: a payload that names no entity is refused with its first problem (the missing key
    field, usually), not with "subject required", which the sender never had to send."""
    fact = EVENT_TYPES.get(str(draft.get("type")))
    data = draft.get("data")
    if draft.get("subject") or fact is None or not isinstance(data, dict):
        return with_subject(draft, resolve)
    draft = with_subject({**draft, "subject": fact.key_of(data)}, resolve)
    if not draft.get("subject"):
        raise InvalidEvent([_why_no_entity(fact.payload, data, fact.domain)])
    return draft


def _why_no_entity(payload: type[BaseModel], data: dict[str, Any], domain: str) -> Problem:
    try:
        payload.model_validate(data)
    except ValidationError as error:
        return validation_problems(error, ("data",))[0]
    return Problem("/subject", f"missing, and the data names no {domain} to take it from")
