"""TMS messages -> canonical events.

A planned route becomes one ``shipment.route_planned`` per stop (id: message id + ``/`` + the
stop's sequence); a hand-over is a ``picked_up`` milestone and a proof of delivery a
``delivered`` milestone carrying who signed and the reference of the proof.
"""

from __future__ import annotations

from typing import Any

from logisync.connectors.message_events import EventDrafts
from logisync.connectors.tms.contract import HandedOver, ProofOfDelivery, RoutePlanned, TmsMessage


def tms_events(source: str, message: TmsMessage) -> EventDrafts:
    """The canonical events a TMS message states, with ``source`` the TMS's system name."""
    drafts = EventDrafts(source)
    if isinstance(message, RoutePlanned):
        _route(drafts, message)
    elif isinstance(message, HandedOver):
        _handed_over(drafts, message)
    else:
        _delivered(drafts, message)
    return drafts


def _route(drafts: EventDrafts, message: RoutePlanned) -> None:
    for stop in message.stops:
        plan: dict[str, Any] = {
            "shipment_number": stop.shipment_number,
            "route_id": message.route_id,
            "stop_sequence": stop.sequence,
            "eta": stop.eta,
        }
        if message.carrier is not None:
            plan["carrier"] = message.carrier
        drafts.add(
            "shipment.route_planned",
            plan,
            id=f"{message.message_id}/{stop.sequence}",
            time=message.planned_at,
        )


def _handed_over(drafts: EventDrafts, message: HandedOver) -> None:
    milestone: dict[str, Any] = {
        "shipment_number": message.shipment_number,
        "milestone": "picked_up",
        "occurred_at": message.handed_over_at,
        "carrier": message.carrier,
        "carrier_text": "handed over to the carrier",
    }
    if message.tracking_number is not None:
        milestone["tracking_number"] = message.tracking_number
    drafts.add(
        "shipment.milestone_recorded",
        milestone,
        id=message.message_id,
        time=message.handed_over_at,
    )


def _delivered(drafts: EventDrafts, message: ProofOfDelivery) -> None:
    milestone = {
        "shipment_number": message.shipment_number,
        "milestone": "delivered",
        "occurred_at": message.delivered_at,
        "signed_by": message.signed_by,
        "proof_reference": message.proof_reference,
    }
    drafts.add(
        "shipment.milestone_recorded", milestone, id=message.message_id, time=message.delivered_at
    )
