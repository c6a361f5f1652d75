"""Who the business deals with and what it sells: Partner and Product."""

from __future__ import annotations

from pydantic import EmailStr, Field

from logisync.model.entities.base import Entity
from logisync.model.identifiers import Gln, Gtin, Iban, VatNumber
from logisync.model.pii import PII
from logisync.model.values import Address, Dimensions, Money, Quantity, UnitOfMeasure

BusinessKey = str


class Partner(Entity):
    """A customer, supplier or carrier account; ``ref`` is the shared customer/supplier code.

    Fields marked ``PII`` are personal data (a customer may be a person): masked in every read
    without the ``pii:read`` scope, and never logged."""

    domain = "partner"
    key_field = "ref"

    ref: BusinessKey = Field(min_length=1, max_length=64, pattern=r"^[^\s:]+$")
    name: str | None = Field(default=None, min_length=1, json_schema_extra=PII)
    is_company: bool | None = None
    email: EmailStr | None = Field(default=None, json_schema_extra=PII)
    phone: str | None = Field(default=None, json_schema_extra=PII)
    vat: VatNumber | None = None
    gln: Gln | None = None
    iban: Iban | None = Field(default=None, json_schema_extra=PII)
    address: Address | None = None
    active: bool | None = None


class Product(Entity):
    """A sellable, stockable item; ``sku`` is the internal reference shared by all systems."""

    domain = "product"
    key_field = "sku"

    sku: BusinessKey = Field(min_length=1, max_length=64, pattern=r"^[^\s:]+$")
    name: str | None = Field(default=None, min_length=1)
    gtin: Gtin | None = None
    uom: UnitOfMeasure | None = None
    weight: Quantity | None = None
    dimensions: Dimensions | None = None
    list_price: Money | None = None
    hs_code: str | None = Field(default=None, pattern=r"^[0-9]{6,10}$")
    active: bool | None = None
    stock_tracked: bool | None = None


__all__ = ["Partner", "Product"]
