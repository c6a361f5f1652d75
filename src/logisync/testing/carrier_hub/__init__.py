"""A carrier hub test double: UPS, FedEx, DHL and USPS tracking on loopback, driven by a seed.

It plans shipments with valid tracking numbers, walks them through carrier-specific scans on
a simulated clock, answers each carrier's tracking API in its own shape, pushes UPS Track
Alert and signed FedEx webhooks, misbehaves on command, and records everything it sent::

    from logisync.testing.carrier_hub import carrier_hub, CarrierFaultPlan

    with carrier_hub(seed=1, push_to={"fedex": receiver + "/v1/webhooks/fedex"}) as carriers:
        shipment = carriers.register("fedex", outcome="delivered")
        carriers.advance(3 * 24 * 3600)
        carriers.tick()
"""

from __future__ import annotations

from logisync.testing.carrier_hub.carriers import CARRIERS, Carrier, CarrierStatus, Place
from logisync.testing.carrier_hub.faults import Burst, CarrierFaultPlan, Downtime
from logisync.testing.carrier_hub.hub import CarrierHub, HubCredentials
from logisync.testing.carrier_hub.pushing import Pusher, fedex_signature
from logisync.testing.carrier_hub.records import Records, SentMessage
from logisync.testing.carrier_hub.running import CarrierHubSim, carrier_hub
from logisync.testing.carrier_hub.server import create_carrier_hub_app
from logisync.testing.carrier_hub.shipments import (
    Piece,
    Scan,
    Shipment,
    final_milestone,
    latest_milestone,
    shipment_milestone,
)
from logisync.testing.carrier_hub.status_tables import OUTCOMES, Outcome
from logisync.testing.carrier_hub.tracking_numbers import (
    is_valid_tracking_number,
    new_tracking_number,
)

__all__ = [
    "CARRIERS",
    "OUTCOMES",
    "Burst",
    "Carrier",
    "CarrierFaultPlan",
    "CarrierHub",
    "CarrierHubSim",
    "CarrierStatus",
    "Downtime",
    "HubCredentials",
    "Outcome",
    "Piece",
    "Place",
    "Pusher",
    "Records",
    "Scan",
    "SentMessage",
    "Shipment",
    "carrier_hub",
    "create_carrier_hub_app",
    "fedex_signature",
    "final_milestone",
    "is_valid_tracking_number",
    "latest_milestone",
    "new_tracking_number",
    "shipment_milestone",
]
