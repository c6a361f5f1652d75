"""One realistic, valid payload per event type, as a sender would post it (JSON values).

Tests, the demo and the docs reuse these so that each event type has one agreed example. A test
asserts that the table covers every type in ``logisync.model.catalogue.EVENT_TYPES``: a new
event type is not done until it has a sample here. Decimals are strings and times carry their
offset, as on the wire. Importing this module needs nothing beyond the hub's own dependencies.
"""

from __future__ import annotations

import copy
from typing import Any

from logisync.model.catalogue import EVENT_TYPES

JsonObject = dict[str, Any]

_ADDRESS: JsonObject = {
    "street": "Keizersgracht 123",
    "city": "Amsterdam",
    "postal_code": "1015 CJ",
    "country": "NL",
}
_WAREHOUSE: JsonObject = {
    "street": "Industrieweg 8",
    "city": "Tilburg",
    "postal_code": "5048 AR",
    "country": "NL",
}
_ORDER_LINES: list[JsonObject] = [
    {
        "line_no": 1,
        "sku": "TSHIRT-BLK-M",
        "quantity": {"value": "2", "unit": "pcs"},
        "unit_price": {"amount": "19.95", "currency": "EUR"},
        "description": "T-shirt black, size M",
    },
    {
        "line_no": 2,
        "sku": "MUG-WHT",
        "quantity": {"value": "1", "unit": "H87"},
        "unit_price": {"amount": "8.50", "currency": "EUR"},
    },
]
_INVOICE_LINES: list[JsonObject] = [
    {
        "sku": "TSHIRT-BLK-M",
        "description": "T-shirt black, size M",
        "quantity": {"value": "2", "unit": "H87"},
        "unit_price": {"amount": "19.95", "currency": "EUR"},
        "tax_rate": "21",
    },
    {
        "sku": "MUG-WHT",
        "description": "Mug white",
        "quantity": {"value": "1", "unit": "H87"},
        "unit_price": {"amount": "8.50", "currency": "EUR"},
        "tax_rate": "21",
    },
]
_PACKAGE: JsonObject = {
    "sscc": "376123450000000016",
    "tracking_number": "3SABCD1234567",
    "weight": {"value": "1.25", "unit": "kg"},
    "dimensions": {"length": "30", "width": "20", "height": "10", "unit": "CMT"},
    "contents": {"TSHIRT-BLK-M": "2", "MUG-WHT": "1"},
}
_MILESTONE: JsonObject = {
    "shipment_number": "WH-OUT-00042",
    "milestone": "in_transit",
    "occurred_at": "2024-05-03T06:12:00+02:00",
    "carrier": "postnl",
    "carrier_code": "J01",
    "carrier_text": "Zending is gesorteerd",
    "tracking_number": "3SABCD1234567",
    "location": {"city": "Nieuwegein", "country": "NL", "timezone": "Europe/Amsterdam"},
}

_PARTNER: JsonObject = {
    "ref": "CUST-1001",
    "name": "Van der Berg Retail B.V.",
    "is_company": True,
    "email": "orders@vanderberg.example",
    "phone": "+31 20 123 4567",
    "vat": "NL004495445B01",
    "gln": "8712345000004",
    "iban": "NL91 ABNA 0417 1643 00",
    "address": _ADDRESS,
    "active": True,
    "external_ids": {"odoo": "42"},
}
_PRODUCT: JsonObject = {
    "sku": "TSHIRT-BLK-M",
    "name": "T-shirt black, size M",
    "gtin": "4006381333931",
    "uom": "pcs",
    "weight": {"value": "0.2", "unit": "kg"},
    "dimensions": {"length": "30", "width": "25", "height": "2"},
    "list_price": {"amount": "19.95", "currency": "eur"},
    "hs_code": "610910",
    "active": True,
    "stock_tracked": True,
}
_ORDER: JsonObject = {
    "number": "SO-2024-0042",
    "channel": "webshop",
    "customer_ref": "CUST-1001",
    "ordered_at": "2024-05-01T09:30:00+02:00",
    "requested_date": "2024-05-06",
    "ship_to": _ADDRESS,
    "currency": "EUR",
    "total": {"amount": "48.40", "currency": "EUR"},
    "lines": _ORDER_LINES,
    "external_ids": {"shop": "100042", "odoo": "17"},
}
_SHIPMENT: JsonObject = {
    "number": "WH-OUT-00042",
    "order_number": "SO-2024-0042",
    "carrier": "postnl",
    "service": "standard",
    "ship_from": _WAREHOUSE,
    "ship_to": _ADDRESS,
}
_INVOICE: JsonObject = {
    "number": "INV-2024-0107",
    "order_number": "SO-2024-0042",
    "partner_ref": "CUST-1001",
    "issued_on": "2024-05-02",
    "due_on": "2024-06-01",
    "untaxed": {"amount": "48.40", "currency": "EUR"},
    "tax": {"amount": "10.16", "currency": "EUR"},
    "total": {"amount": "58.56", "currency": "EUR"},
    "lines": _INVOICE_LINES,
}
_RETURN: JsonObject = {
    "number": "RMA-0007",
    "order_number": "SO-2024-0042",
    "requested_at": "2024-05-10T14:00:00Z",
    "lines": [
        {"sku": "MUG-WHT", "quantity": {"value": "1"}, "reason": "arrived broken"},
    ],
}


def _with(base: JsonObject, **changes: Any) -> JsonObject:
    return {**copy.deepcopy(base), **changes}


def _status(number: str, at: str, **extra: Any) -> JsonObject:
    return {"number": number, "at": at, **extra}


_TABLE: dict[str, JsonObject] = {
    "partner.created": _PARTNER,
    "partner.changed": {"ref": "CUST-1001", "phone": "+31 20 765 4321"},
    "product.created": _PRODUCT,
    "product.changed": {
        "sku": "TSHIRT-BLK-M",
        "list_price": {"amount": "17.95", "currency": "EUR"},
    },
    "sales_order.placed": _ORDER,
    "sales_order.confirmed": _with(_ORDER, status="confirmed"),
    "sales_order.changed": {"number": "SO-2024-0042", "requested_date": "2024-05-07"},
    "sales_order.released": _status("SO-2024-0042", "2024-05-02T08:00:00Z"),
    "sales_order.fulfilment_accepted": _status("SO-2024-0042", "2024-05-02T08:01:00Z"),
    "sales_order.fulfilment_rejected": _status(
        "SO-2024-0042", "2024-05-02T08:01:00Z", reason="SKU MUG-WHT unknown to the warehouse"
    ),
    "sales_order.picked": _status("SO-2024-0042", "2024-05-02T10:15:00Z"),
    "sales_order.packed": _status("SO-2024-0042", "2024-05-02T10:40:00Z"),
    "sales_order.shipped": _status("SO-2024-0042", "2024-05-02T16:05:00Z"),
    "sales_order.delivered": _status("SO-2024-0042", "2024-05-03T11:20:00+02:00"),
    "sales_order.cancelled": _status(
        "SO-2024-0042", "2024-05-01T12:00:00Z", reason="customer cancelled"
    ),
    "sales_order.status_corrected": _status(
        "SO-2024-0042", "2024-05-02T17:00:00Z", status="packed", reason="scanned too early"
    ),
    "stock.level_reported": {
        "location": "WH-TLB",
        "sku": "TSHIRT-BLK-M",
        "on_hand": {"value": "118", "unit": "H87"},
        "reserved": {"value": "6", "unit": "H87"},
        "counted_at": "2024-05-01T22:00:00Z",
    },
    "stock.adjusted": {
        "adjustment_id": "ADJ-5531",
        "location": "WH-TLB",
        "sku": "TSHIRT-BLK-M",
        "delta": {"value": "-2", "unit": "H87"},
        "reason": "damaged",
        "occurred_at": "2024-05-02T07:45:00+02:00",
        "note": "water damage in aisle 4",
    },
    "shipment.created": _SHIPMENT,
    "shipment.changed": {"number": "WH-OUT-00042", "service": "express"},
    "shipment.packed": {"number": "WH-OUT-00042", "packages": [_PACKAGE]},
    "shipment.dispatched": {
        "number": "WH-OUT-00042",
        "tracking_number": "3SABCD1234567",
        "dispatched_at": "2024-05-02T16:05:00Z",
    },
    "shipment.route_planned": {
        "shipment_number": "WH-OUT-00042",
        "route_id": "R-0503-07",
        "stop_sequence": 3,
        "eta": "2024-05-03T10:30:00+02:00",
        "carrier": "own-fleet",
    },
    "shipment.milestone_recorded": _MILESTONE,
    "shipment.milestone_corrected": _with(
        _MILESTONE, milestone="out_for_delivery", occurred_at="2024-05-03T08:02:00+02:00"
    ),
    "invoice.created": _INVOICE,
    "invoice.posted": _with(_INVOICE, posted_at="2024-05-02T09:00:00Z"),
    "invoice.paid": _status("INV-2024-0107", "2024-05-20T10:00:00Z"),
    "invoice.cancelled": _status("INV-2024-0107", "2024-05-04T10:00:00Z", reason="duplicate"),
    "return.requested": _RETURN,
    "return.authorized": _status("RMA-0007", "2024-05-10T15:00:00Z"),
    "return.received": {
        "number": "RMA-0007",
        "received_at": "2024-05-14T09:30:00+02:00",
        "lines": [
            {"sku": "MUG-WHT", "quantity": {"value": "1"}, "condition": "damaged"},
        ],
    },
    "return.refunded": _status("RMA-0007", "2024-05-15T12:00:00Z"),
    "return.rejected": _status("RMA-0007", "2024-05-15T12:00:00Z", reason="outside return window"),
}


def _accepted(
    key: str, field: str, value: Any, replaces: Any, proposed_type: str, proposed_by: str = "shop"
) -> JsonObject:
    """A steward's acceptance (``<domain>.value_accepted``) of one proposed field value."""
    return {
        "entity_key": key,
        "conflict": 12,
        "values": {field: value},
        "replaces": {field: replaces},
        "proposed_by": proposed_by,
        "proposed_event": f"{proposed_by}-8812",
        "proposed_type": proposed_type,
        "decided_by": "user:ann",
        "reason": "confirmed with the customer by phone",
    }


_TABLE.update(
    {
        "partner.value_accepted": _accepted(
            "partner:CUST-1001", "email", "ap@example.com", "info@example.com", "partner.changed"
        ),
        "product.value_accepted": _accepted(
            "product:TSHIRT-BLK-M", "name", "T-shirt black M", "Tshirt blk M", "product.changed"
        ),
        "sales_order.value_accepted": _accepted(
            "sales_order:SO-2024-0042",
            "requested_date",
            "2024-05-08",
            "2024-05-07",
            "sales_order.changed",
            "wms",
        ),
        "stock_level.value_accepted": _accepted(
            "stock_level:WH-TLB/TSHIRT-BLK-M",
            "reserved",
            {"value": "4"},
            {"value": "2"},
            "stock.level_reported",
            "odoo",
        ),
        "shipment.value_accepted": _accepted(
            "shipment:WH-OUT-00042", "service", "express", "standard", "shipment.changed", "tms"
        ),
        "invoice.value_accepted": _accepted(
            "invoice:INV-2024-0107", "due_on", "2024-06-15", "2024-06-01", "invoice.created"
        ),
        "return.value_accepted": _accepted(
            "return:RMA-0007",
            "requested_at",
            "2024-05-10T15:00:00Z",
            None,
            "return.requested",
        ),
    }
)


# Each entry is copied on its own so that no two entries share a nested object.
SAMPLE_PAYLOADS: dict[str, JsonObject] = {
    name: copy.deepcopy(payload) for name, payload in _TABLE.items()
}
"""A valid payload for every event type, by event type name."""


def sample_payload(type_name: str) -> JsonObject:
    """A fresh copy of the sample payload of ``type_name``, safe to modify in a test."""
    return copy.deepcopy(SAMPLE_PAYLOADS[type_name])


def sample_event(type_name: str, *, id: str = "evt-1", source: str = "odoo") -> JsonObject:
    """The sample payload wrapped in a raw CloudEvent, subject set to the payload's entity key."""
    data = sample_payload(type_name)
    return {
        "specversion": "1.0",
        "id": id,
        "source": source,
        "type": type_name,
        "subject": EVENT_TYPES[type_name].key_of(data),
        "time": "2024-05-02T16:05:00Z",
        "datacontenttype": "application/json",
        "data": data,
    }


__all__ = ["SAMPLE_PAYLOADS", "sample_event", "sample_payload"]
