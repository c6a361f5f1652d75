"""A sales order's state -> the WMS's release request (its own field names).

The WMS identifies an order by our number (``client_reference``): releasing the same order
twice gives the same WMS order, so a retried delivery cannot create a second one.
"""

from __future__ import annotations

from typing import Any

from logisync.errors import PermanentDeliveryError


def release_request(payload: dict[str, Any], priority: str = "normal") -> dict[str, Any]:
    """The body of ``POST /api/v2/outbound-orders`` for a delivery of a sales order.

    ``PermanentDeliveryError`` says why an item cannot be released (not an order, no lines).
    """
    entity = str(payload.get("entity", payload.get("subject", "")))
    state = payload.get("state", payload.get("data"))
    if not entity.startswith("sales_order:") or not isinstance(state, dict):
        raise PermanentDeliveryError(
            f"a WMS takes sales orders only; {entity or 'this delivery'} is not one"
        )
    number = state.get("number") or entity.partition(":")[2]
    lines = state.get("lines") or []
    if not lines:
        raise PermanentDeliveryError(f"order {number} has no lines to release to the WMS")
    body: dict[str, Any] = {
        "client_reference": number,
        "priority": priority,
        "items": [
            {"line": line["line_no"], "article": line["sku"], "qty": str(line["quantity"]["value"])}
            for line in lines
        ],
    }
    address = state.get("ship_to")
    if isinstance(address, dict):
        body["ship_to"] = {
            "street": address.get("street"),
            "city": address.get("city"),
            "postcode": address.get("postal_code"),
            "country_code": address.get("country"),
        }
    return body
