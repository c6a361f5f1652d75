"""The messages a warehouse management system (WMS) sends the hub, as JSON.

Each message is one fact about an order the hub released to the warehouse, or about stock:

* ``order.acknowledged``: the WMS took the order (``accepted``) or refused it (``rejected``,
  with a reason) -- the asynchronous answer to a release;
* ``order.released``: the WMS released the order to its floor (waves, pick lists);
* ``order.picked``: lines picked, with quantities;
* ``order.packed``: packages made, each with its SSCC label (18 digits, GS1 check digit);
* ``order.dispatched``: the shipment left with a carrier, a tracking number per package;
* ``stock.adjusted``: stock moved by a delta at a location, with the reason and the WMS's
  adjustment id (a repeat of one adjustment under a new message id is still one adjustment);
* ``inventory.snapshot``: absolute quantities of many (location, SKU) pairs at once;
* ``return.received``: a customer return arrived at the dock.

``logisync schema --contracts`` prints the JSON Schema of these messages.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, model_validator

from logisync.connectors.message_contract import Code, Count, Message, Part
from logisync.model.identifiers import Sscc
from logisync.model.values import AwareDatetime


class OrderAcknowledged(Message):
    """The WMS's answer to a release: it will fulfil the order, or it cannot (and why)."""

    type: Literal["order.acknowledged"]
    order_number: Code = Field(description="Our order number, as released")
    outcome: Literal["accepted", "rejected"]
    wms_order_id: str | None = Field(default=None, description="The WMS's own id of the order")
    reason: str | None = Field(default=None, description="Why it was rejected (required then)")

    @model_validator(mode="after")
    def _rejection_has_reason(self) -> OrderAcknowledged:
        if self.outcome == "rejected" and not (self.reason and self.reason.strip()):
            raise ValueError("a rejected order needs a reason")
        return self


class OrderReleased(Message):
    """The WMS released the order to its floor: picking may start."""

    type: Literal["order.released"]
    order_number: Code
    released_at: AwareDatetime


class PickedLine(Part):
    """One order line as picked."""

    line_no: int = Field(ge=1, description="The line number of the released order")
    sku: Code
    quantity: Count = Field(gt=0)


class OrderPicked(Message):
    """All lines of the order were picked (a short pick shows as a lower quantity)."""

    type: Literal["order.picked"]
    order_number: Code
    picked_at: AwareDatetime
    lines: list[PickedLine] = Field(min_length=1)


class PackedPackage(Part):
    """One package, identified by the SSCC printed on its label."""

    sscc: Sscc
    weight_kg: Count | None = Field(default=None, gt=0)
    contents: dict[str, Count] | None = Field(default=None, description="Quantity per SKU")


class OrderPacked(Message):
    """The order was packed into packages, which make up one shipment."""

    type: Literal["order.packed"]
    order_number: Code
    shipment_number: Code = Field(description="The WMS's number of the outbound shipment")
    packed_at: AwareDatetime
    packages: list[PackedPackage] = Field(min_length=1)


class DispatchedPackage(Part):
    sscc: Sscc
    tracking_number: str = Field(min_length=1, max_length=64, pattern=r"^[^\s]+$")


class OrderDispatched(Message):
    """The shipment was handed to its carrier, with a tracking number per package."""

    type: Literal["order.dispatched"]
    order_number: Code
    shipment_number: Code
    carrier: str = Field(min_length=1, max_length=64)
    service: str | None = None
    dispatched_at: AwareDatetime
    packages: list[DispatchedPackage] = Field(min_length=1)


class StockAdjusted(Message):
    """Stock at a location moved by ``delta`` (negative for a loss), for ``reason``."""

    type: Literal["stock.adjusted"]
    adjustment_id: str = Field(
        min_length=1, max_length=128, description="The WMS's id of the adjustment, not the message"
    )
    location: Code
    sku: Code
    delta: Count
    reason: Literal["received", "damaged", "found", "lost", "counted", "returned", "other"]
    occurred_at: AwareDatetime
    note: str | None = None


class StockCount(Part):
    location: Code
    sku: Code
    on_hand: Count = Field(ge=0)
    reserved: Count | None = Field(default=None, ge=0)


class InventorySnapshot(Message):
    """Absolute quantities of many (location, SKU) pairs, counted at one instant."""

    type: Literal["inventory.snapshot"]
    counted_at: AwareDatetime
    levels: list[StockCount] = Field(min_length=1, max_length=10_000)

    @model_validator(mode="after")
    def _each_pair_once(self) -> InventorySnapshot:
        pairs = [(level.location, level.sku) for level in self.levels]
        if len(pairs) != len(set(pairs)):
            raise ValueError("a snapshot lists each (location, sku) once")
        return self


class ReturnedLine(Part):
    sku: Code
    quantity: Count = Field(gt=0)
    condition: Literal["resaleable", "damaged", "unknown"] = "unknown"


class ReturnReceived(Message):
    """A customer return arrived; ``return_number`` is the RMA number."""

    type: Literal["return.received"]
    return_number: Code
    order_number: Code | None = None
    received_at: AwareDatetime
    lines: list[ReturnedLine] = Field(min_length=1)


WmsMessage = Annotated[
    OrderAcknowledged
    | OrderReleased
    | OrderPicked
    | OrderPacked
    | OrderDispatched
    | StockAdjusted
    | InventorySnapshot
    | ReturnReceived,
    Field(discriminator="type"),
]
"""Any message a WMS sends, told apart by its ``type``."""

WMS_MESSAGE: TypeAdapter[WmsMessage] = TypeAdapter(WmsMessage)
