"""Goods on shelves and on the move: StockLevel, StockAdjustment, Shipment, ShipmentMilestone."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from logisync.model.entities.base import Entity, Record
from logisync.model.identifiers import CountryCode, Sscc
from logisync.model.pii import PII
from logisync.model.values import Address, AwareDatetime, Dimensions, Quantity

Milestone = Literal[
    "pre_transit",
    "picked_up",
    "in_transit",
    "out_for_delivery",
    "delivery_attempted",
    "available_for_pickup",
    "exception",
    "delivered",
    "returned_to_sender",
    "cancelled",
    "unknown",
]
MILESTONES: tuple[str, ...] = Milestone.__args__  # type: ignore[attr-defined]


class StockLevel(Entity):
    """How much of a product a location holds, as last counted by the system of record.

    Its key is ``<location>/<sku>``. ``on_hand`` moves by absolute reports (a count or an
    inventory snapshot) and by deltas (``stock.adjusted``); the processor keeps the deltas that
    came after the latest report so that a late delta already included in a report is not
    counted twice.
    """

    domain = "stock_level"
    key_field = "key"
    identity_fields = ("location", "sku")

    location: str = Field(min_length=1, pattern=r"^[^\s:/]+$")
    sku: str = Field(min_length=1, pattern=r"^[^\s:/]+$")
    on_hand: Quantity | None = None
    reserved: Quantity | None = None
    counted_at: AwareDatetime | None = None

    @property
    def key(self) -> str:
        return f"{self.location}/{self.sku}"


class StockAdjustment(Record):
    """A change of stock by a delta (found, damaged, received, counted), with its reason."""

    adjustment_id: str = Field(min_length=1, description="The sender's id of this adjustment")
    location: str = Field(min_length=1, pattern=r"^[^\s:/]+$")
    sku: str = Field(min_length=1, pattern=r"^[^\s:/]+$")
    delta: Quantity
    reason: Literal["received", "damaged", "found", "lost", "counted", "returned", "other"]
    occurred_at: AwareDatetime
    note: str | None = None

    @property
    def entity_key(self) -> str:
        return f"stock_level:{self.location}/{self.sku}"


class Package(Record):
    """One parcel or pallet of a shipment, identified by its SSCC label."""

    sscc: Sscc | None = None
    tracking_number: str | None = None
    weight: Quantity | None = None
    dimensions: Dimensions | None = None
    contents: dict[str, Decimal] | None = Field(
        default=None, description="Quantity per SKU packed in this package"
    )


class Location(Record):
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: CountryCode | None = None
    timezone: str | None = Field(default=None, description="IANA zone where the scan happened")


class ShipmentMilestone(Record):
    """A normalised carrier or TMS status: canonical milestone plus the carrier's own words."""

    shipment_number: str | None = None
    milestone: Milestone
    occurred_at: AwareDatetime
    carrier: str | None = None
    carrier_code: str | None = None
    carrier_text: str | None = None
    tracking_number: str | None = None
    location: Location | None = None
    signed_by: str | None = Field(
        default=None, description="Who signed for the delivery", json_schema_extra=PII
    )
    proof_reference: str | None = Field(
        default=None, description="Where the sender keeps the proof of delivery (signature, photo)"
    )


class RoutePlan(Record):
    """A transport system planned when a shipment arrives: its stop on a route, with an ETA."""

    shipment_number: str = Field(min_length=1, max_length=64, pattern=r"^[^\s:]+$")
    route_id: str = Field(min_length=1)
    stop_sequence: int = Field(ge=1)
    eta: AwareDatetime
    carrier: str | None = None


class Shipment(Entity):
    """A delivery of goods for an order; ``number`` is the shipment (picking) number."""

    domain = "shipment"
    key_field = "number"
    lifecycle_field = "status"

    number: str = Field(min_length=1, max_length=64, pattern=r"^[^\s:]+$")
    order_number: str | None = None
    carrier: str | None = None
    service: str | None = None
    tracking_number: str | None = None
    ship_from: Address | None = None
    ship_to: Address | None = None
    packages: list[Package] | None = None
    dispatched_at: AwareDatetime | None = None
    status: ShipmentMilestone | None = None
