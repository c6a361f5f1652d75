"""A Shopify refund (``refunds/create``) -> a Return that is requested and refunded at once.

In Shopify a refund is the end of a return: the money went back, and ``refund_line_items``
say which goods (and whether they are restocked). The hub has no separate "refund" entity, so
the refund becomes a Return keyed ``<system>-refund-<refund id>``: ``return.requested`` with
its lines, then ``return.refunded``. A refund of money only (shipping, goodwill) has no lines
and still becomes a Return, so every refund is visible in one place.

The body names its order by Shopify id only (``order_id``), not by the order number the hub
keys orders with, so ``order_number`` stays unset; the order id is kept on the refund line's
line item where Shopify sends it, and the crosswalk holds ``(system, order id)`` -> order.
"""

from __future__ import annotations

from typing import Any

from logisync.connectors.shopify.reading import BodyReader, pointer


def return_data(system: str, body: dict[str, Any], read: BodyReader) -> dict[str, Any] | None:
    """The Return payload for a refund body; None when the refund has no usable id."""
    refund_id = read.ident(body, "id", "", required=True)
    read.ident(body, "order_id", "", required=True)
    if refund_id is None:
        return None
    data: dict[str, Any] = {
        "number": f"{system}-refund-{refund_id}",
        "external_ids": {system: refund_id},
        "lines": [],
    }
    created = read.text(body, "created_at", "")
    if created is not None:
        data["requested_at"] = created
    note = read.text(body, "note", "")
    for position, item in enumerate(read.array(body, "refund_line_items", "")):
        where = pointer("refund_line_items", position)
        if not isinstance(item, dict):
            read.note(where, "a refund line must be a JSON object")
            continue
        quantity = read.quantity(item, "quantity", where)
        line_item = read.object(item, "line_item", where)
        sku = None if line_item is None else read.text(line_item, "sku", where + "/line_item")
        if line_item is not None and sku is None:
            read.note(where + "/line_item/sku", "the refunded line has no SKU to return")
        if sku is None or quantity is None or quantity == 0:
            continue
        line: dict[str, Any] = {"sku": sku, "quantity": {"value": str(quantity), "unit": "H87"}}
        if note is not None:
            line["reason"] = note[:200]
        data["lines"].append(line)
    return data


def refunded_at(body: dict[str, Any]) -> str | None:
    for key in ("processed_at", "created_at"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
