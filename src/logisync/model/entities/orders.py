"""What was ordered, and what came back: SalesOrder (+ lines) and Return (+ lines)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from logisync.model.entities.base import Entity, Record
from logisync.model.values import Address, AwareDatetime, Money, Quantity

SalesOrderStatus = Literal[
    "draft",
    "placed",
    "confirmed",
    "released",
    "picked",
    "packed",
    "shipped",
    "delivered",
    "cancelled",
]
ReturnStatus = Literal["requested", "authorized", "received", "refunded", "rejected"]


class SalesOrderLine(Record):
    """One ordered product. ``line_no`` is stable across systems so lines can be matched."""

    line_no: int = Field(ge=1)
    sku: str = Field(min_length=1)
    quantity: Quantity
    unit_price: Money | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _positive(self) -> SalesOrderLine:
        if self.quantity.value <= 0:
            raise ValueError(f"line {self.line_no}: quantity must be positive")
        return self


class SalesOrder(Entity):
    """A customer order from any channel; ``number`` is the order number all systems share."""

    domain = "sales_order"
    key_field = "number"
    lifecycle_field = "status"

    number: str = Field(min_length=1, max_length=64, pattern=r"^[^\s:]+$")
    channel: str | None = None
    customer_ref: str | None = None
    status: SalesOrderStatus | None = None
    ordered_at: AwareDatetime | None = None
    requested_date: date | None = None
    ship_to: Address | None = None
    currency: str | None = None
    total: Money | None = None
    lines: list[SalesOrderLine] | None = None

    @model_validator(mode="after")
    def _unique_lines(self) -> SalesOrder:
        if self.lines:
            numbers = [line.line_no for line in self.lines]
            if len(numbers) != len(set(numbers)):
                raise ValueError("line numbers must be unique within an order")
        return self


class ReturnLine(Record):
    sku: str = Field(min_length=1)
    quantity: Quantity
    reason: str | None = None
    condition: Literal["resaleable", "damaged", "unknown"] | None = None


class Return(Entity):
    """A customer return (RMA) against an order."""

    domain = "return"
    key_field = "number"
    lifecycle_field = "status"

    number: str = Field(min_length=1, max_length=64, pattern=r"^[^\s:]+$")
    order_number: str | None = None
    status: ReturnStatus | None = None
    requested_at: AwareDatetime | None = None
    received_at: AwareDatetime | None = None
    lines: list[ReturnLine] | None = None
