"""Odoo records -> canonical facts: which event type a record's state is, and its payload.

Each stream names the model, the fields to read and the records that matter (customer
invoices, outgoing pickings); ``fact`` turns one record, read with ``load=None`` semantics
(many2one as ``[id, name]``, empty as ``False``), into ``(event type, data)`` or ``None`` for
a record the hub cannot key yet (an invoice still without a number).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from logisync.model.catalogue import EVENT_TYPES

Record = dict[str, Any]
Fact = tuple[str, dict[str, Any]]


def _text(value: Any) -> str | None:
    return None if value in (False, None, "") else str(value)


def _name(value: Any) -> str | None:
    """The display name of a many2one ``[id, name]``."""
    return str(value[1]) if isinstance(value, list) and len(value) == 2 else None


def _iso(value: Any) -> str | None:
    """Odoo's UTC ``YYYY-MM-DD HH:MM:SS`` -> ISO 8601 with the zone said."""
    return None if not value else str(value).replace(" ", "T") + "Z"


def _known(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


@dataclass(frozen=True)
class Stream:
    model: str
    key_field: str  # the canonical field holding the entity's business key
    fields: tuple[str, ...]
    domain: tuple[Any, ...]
    fact: Callable[[Record, dict[int, str]], Fact | None]
    """``(record, partner refs by id)`` -> the fact it states."""


def partner_fact(record: Record, _refs: dict[int, str]) -> Fact | None:
    data = {
        "ref": _text(record.get("ref")) or f"ODOO-{record['id']}",
        "name": _text(record.get("name")),
        "email": _text(record.get("email")),
        "phone": _text(record.get("phone")),
        "vat": _text(record.get("vat")),
        "is_company": bool(record.get("is_company")),
        "active": bool(record.get("active", True)),
    }
    return "partner.changed", _known(data)


def product_fact(record: Record, _refs: dict[int, str]) -> Fact | None:
    data = {
        "sku": _text(record.get("default_code")) or f"ODOO-{record['id']}",
        "name": _text(record.get("name")),
        "gtin": _text(record.get("barcode")),
        "active": bool(record.get("active", True)),
    }
    return "product.changed", _known(data)


_ORDER_TYPES = {"sale": "sales_order.confirmed", "done": "sales_order.confirmed"}


def order_fact(record: Record, refs: dict[int, str]) -> Fact | None:
    state = str(record.get("state"))
    partner = record.get("partner_id")
    data = {
        "number": _text(record.get("client_order_ref")) or str(record["name"]),
        "customer_ref": refs.get(partner[0]) if isinstance(partner, list) else None,
        "ordered_at": _iso(record.get("date_order")),
    }
    if state == "cancel":
        return "sales_order.cancelled", _known(data)
    return _ORDER_TYPES.get(state, "sales_order.changed"), _known(data)


def picking_fact(record: Record, _refs: dict[int, str]) -> Fact | None:
    data = {
        "number": str(record["name"]),
        "order_number": _text(record.get("origin")),
        "tracking_number": _text(record.get("carrier_tracking_ref")),
        "carrier": _name(record.get("carrier_id")),
    }
    if record.get("state") == "done":
        data["dispatched_at"] = _iso(record.get("date_done"))
        return "shipment.dispatched", _known(data)
    return "shipment.changed", _known(data)


def invoice_fact(record: Record, refs: dict[int, str]) -> Fact | None:
    number = _text(record.get("name"))
    if number is None or number == "/":
        return None  # a draft without its number yet: it gets one when posted
    partner = record.get("partner_id")
    currency = _name(record.get("currency_id"))
    data: dict[str, Any] = {
        "number": number,
        "order_number": _text(record.get("invoice_origin")),
        "partner_ref": refs.get(partner[0]) if isinstance(partner, list) else None,
        "issued_on": _text(record.get("invoice_date")),
        "due_on": _text(record.get("invoice_date_due")),
    }
    if currency and record.get("amount_total") is not None:
        data["total"] = {"amount": str(record["amount_total"]), "currency": currency}
    state, paid = record.get("state"), record.get("payment_state")
    if state == "cancel":
        return "invoice.cancelled", _known(data)
    if state == "posted":
        return ("invoice.paid" if paid == "paid" else "invoice.posted"), _known(data)
    return "invoice.created", _known(data)


STREAMS = {
    "partner": Stream(
        "res.partner",
        "ref",
        ("ref", "name", "email", "phone", "vat", "is_company", "active"),
        (),
        partner_fact,
    ),
    "product": Stream(
        "product.product", "sku", ("default_code", "name", "barcode", "active"), (), product_fact
    ),
    "sales_order": Stream(
        "sale.order",
        "number",
        ("name", "client_order_ref", "partner_id", "date_order", "state"),
        (),
        order_fact,
    ),
    "shipment": Stream(
        "stock.picking",
        "number",
        ("name", "origin", "carrier_tracking_ref", "carrier_id", "state", "date_done"),
        (("picking_type_code", "=", "outgoing"),),
        picking_fact,
    ),
    "invoice": Stream(
        "account.move",
        "number",
        (
            "name",
            "invoice_origin",
            "partner_id",
            "invoice_date",
            "invoice_date_due",
            "currency_id",
            "amount_total",
            "state",
            "payment_state",
        ),
        (("move_type", "=", "out_invoice"),),
        invoice_fact,
    ),
}
"""The domains the poller can follow, by canonical domain name."""

STREAM_OF_MODEL = {stream.model: stream for stream in STREAMS.values()}


def change_event(source: str, stream: Stream, record: Record, fact: Fact) -> dict[str, Any]:
    """The CloudEvent for one record state. Its id is the model, record id, ``write_date``
    and a hash of the payload: the same state read twice (by two polls, or a poll and an
    automation webhook) is the same event, which the journal keeps once."""
    kind, data = fact
    data = {**data, "external_ids": {source: f"{stream.model},{record['id']}"}}
    digest = hashlib.sha256(orjson.dumps([kind, data], option=orjson.OPT_SORT_KEYS))
    written = str(record.get("write_date") or "").replace(" ", "T")
    event = {
        "specversion": "1.0",
        "id": f"{stream.model}/{record['id']}/{written}/{digest.hexdigest()[:12]}",
        "source": source,
        "type": kind,
        "subject": EVENT_TYPES[kind].key_of(data),
        "data": data,
    }
    if written:
        event["time"] = written + "Z"
    return event
