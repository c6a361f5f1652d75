"""A Shopify order (webhook body) -> the hub's SalesOrder and its customer's Partner.

Decisions, in one place:

- **Order number.** Shopify's ``name`` (``#1001``, or with the shop's own prefix/suffix such
  as ``EU-1001``) is what the merchant, the customer and the warehouse see, so it is the key;
  a leading ``#`` and inner whitespace are dropped (``#1001`` -> ``1001``) because keys may
  hold neither spaces nor be ambiguous in a URL. Shopify's numeric order id goes into
  ``external_ids`` so the crosswalk links ``(shop system, order id)`` to the order.
- **Customer key.** A customer account's id is stable while its e-mail and name change, so
  the partner's ``ref`` is ``<system>-<customer id>`` and the id is linked in the crosswalk.
  A guest checkout has no account: its ref falls back to ``<system>-guest-<hash of the
  e-mail>`` (a hash, because keys appear in logs and an e-mail address is personal data).
- **Money.** Amounts are Decimal with the order's currency. The SalesOrder model has no
  discount or tax fields: a line's ``unit_price`` is its list price before discounts and
  ``total`` is what the customer pays (discounts taken off, taxes and shipping included).
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from typing import Any

from logisync.connectors.shopify.reading import BodyReader, pointer, pointer_of

_SPACES = re.compile(r"\s+")


def order_number(name: str) -> str:
    """The hub's key for a Shopify order name: ``#1001`` -> ``1001``, ``EU #7`` -> ``EU#7``."""
    return _SPACES.sub("", name).lstrip("#") or name.strip()


def order_name_of(body: dict[str, Any], read: BodyReader) -> str | None:
    """The order's clean number, from ``name`` or else ``order_number``."""
    name = read.text(body, "name", "")
    if name is None:
        number = body.get("order_number")
        if isinstance(number, int) and not isinstance(number, bool) and number > 0:
            return str(number)
        read.note("/name", "the order has neither a name (#1001) nor an order_number")
        return None
    return order_number(name) or None


def customer_ref(system: str, body: dict[str, Any], read: BodyReader) -> str | None:
    """The partner key of the order's buyer (see the module docstring), or None if unknown."""
    customer = read.object(body, "customer", "")
    if customer is not None:
        customer_id = read.ident(customer, "id", "/customer")
        if customer_id is not None:
            return f"{system}-{customer_id}"
    email = body.get("email") or body.get("contact_email")
    if isinstance(email, str) and "@" in email:
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]
        return f"{system}-guest-{digest}"
    return None


def sales_order_data(system: str, body: dict[str, Any], read: BodyReader) -> dict[str, Any] | None:
    """The SalesOrder payload for an order body; None when the order cannot be keyed."""
    number = order_name_of(body, read)
    order_id = read.ident(body, "id", "", required=True)
    currency = read.text(body, "currency", "") or read.text(body, "presentment_currency", "")
    data: dict[str, Any] = {"number": number, "channel": _channel(body)}
    if order_id is not None:
        data["external_ids"] = {system: order_id}
    ref = customer_ref(system, body, read)
    if ref is not None:
        data["customer_ref"] = ref
    created = read.text(body, "created_at", "")
    if created is not None:
        data["ordered_at"] = created
    address = read.object(body, "shipping_address", "")
    if address is not None:
        data["ship_to"] = address_of(address)
    if currency is not None:
        data["currency"] = currency
        total = read.decimal(body, "current_total_price", "")
        if total is None:
            total = read.decimal(body, "total_price", "")
        if total is not None:
            data["total"] = _money(total, currency)
    data["lines"] = _lines(body, currency, read)
    return data if number is not None else None


def partner_data(system: str, body: dict[str, Any], read: BodyReader) -> dict[str, Any] | None:
    """The Partner payload for the order's customer; None for a guest or a missing customer."""
    customer = read.object(body, "customer", "")
    if customer is None:
        return None
    customer_id = read.ident(customer, "id", "/customer")
    if customer_id is None:
        return None
    data: dict[str, Any] = {
        "ref": f"{system}-{customer_id}",
        "external_ids": {system: customer_id},
        "is_company": False,
    }
    names = [read.text(customer, key, "/customer") for key in ("first_name", "last_name")]
    name = " ".join(part for part in names if part)
    if name:
        data["name"] = name
    for key in ("email", "phone"):
        value = read.text(customer, key, "/customer")
        if value is not None:
            data[key] = value
    address = read.object(customer, "default_address", "/customer")
    if address is not None:
        data["address"] = address_of(address)
    return data


def address_of(address: dict[str, Any]) -> dict[str, Any]:
    """Shopify's address fields -> the hub's Address (street lines are personal data)."""
    fields = {
        "street": address.get("address1"),
        "street2": address.get("address2"),
        "city": address.get("city"),
        "postal_code": address.get("zip"),
        "region": address.get("province_code") or address.get("province"),
        "country": address.get("country_code"),
    }
    return {key: value for key, value in fields.items() if value not in (None, "")}


def _lines(body: dict[str, Any], currency: str | None, read: BodyReader) -> list[dict[str, Any]]:
    lines = []
    for position, item in enumerate(read.array(body, "line_items", "")):
        where = pointer("line_items", position)
        if not isinstance(item, dict):
            read.note(where, "a line item must be a JSON object")
            continue
        sku = read.text(item, "sku", where)
        quantity = read.quantity(item, "quantity", where)
        if sku is None and "sku" not in _noted(read, where):
            title = item.get("title") or item.get("name") or "this line"
            read.note(
                pointer_of(where, "sku"),
                f"line {position + 1} ({str(title)[:60]!r}) has no SKU: give its variant a "
                "SKU in Shopify, the hub matches products by SKU",
            )
        if sku is None or quantity is None:
            continue
        if quantity == 0:
            continue  # removed by an order edit: Shopify keeps the line with quantity 0
        line: dict[str, Any] = {
            "line_no": position + 1,
            "sku": sku,
            "quantity": {"value": str(quantity), "unit": "H87"},
        }
        price = read.decimal(item, "price", where)
        if price is not None and currency is not None:
            line["unit_price"] = _money(price, currency)
        title = read.text(item, "name", where) or read.text(item, "title", where)
        if title is not None:
            line["description"] = title
        lines.append(line)
    return lines


def _noted(read: BodyReader, where: str) -> set[str]:
    """Field names under ``where`` that already have a problem (not to report twice)."""
    prefix = where + "/"
    return {p.location[len(prefix) :] for p in read.problems if p.location.startswith(prefix)}


def _money(amount: Decimal, currency: str) -> dict[str, str]:
    return {"amount": str(amount), "currency": currency}


def _channel(body: dict[str, Any]) -> str:
    source = body.get("source_name")
    return source if isinstance(source, str) and source.strip() else "web"
