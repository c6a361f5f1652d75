"""What the customer owes: Invoice (+ lines)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from logisync.model.entities.base import Entity, Record
from logisync.model.values import AwareDatetime, Money, Quantity

InvoiceStatus = Literal["draft", "posted", "paid", "cancelled"]


class InvoiceLine(Record):
    sku: str | None = None
    description: str = Field(min_length=1)
    quantity: Quantity
    unit_price: Money
    tax_rate: str | None = Field(default=None, pattern=r"^[0-9]{1,2}(\.[0-9]{1,4})?$")


class Invoice(Entity):
    """A customer invoice; ``number`` is the invoice number of the system that issues it."""

    domain = "invoice"
    key_field = "number"
    lifecycle_field = "status"

    number: str = Field(min_length=1, max_length=64, pattern=r"^[^\s:]+$")
    order_number: str | None = None
    partner_ref: str | None = None
    status: InvoiceStatus | None = None
    issued_on: date | None = None
    due_on: date | None = None
    posted_at: AwareDatetime | None = None
    untaxed: Money | None = None
    tax: Money | None = None
    total: Money | None = None
    lines: list[InvoiceLine] | None = None
