"""WMS messages -> canonical events.

Ids: the message id, plus ``/order`` or ``/shipment`` when one message states a fact about
both, or ``/<index>`` per level of an inventory snapshot. A stock adjustment is the exception:
its id is the WMS's adjustment id, because a WMS may post the same adjustment again under a new
message id, and the stock must move once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from logisync.connectors.message_events import EventDrafts, quantity
from logisync.connectors.wms.contract import (
    InventorySnapshot,
    OrderAcknowledged,
    OrderDispatched,
    OrderPacked,
    OrderPicked,
    OrderReleased,
    ReturnReceived,
    StockAdjusted,
    WmsMessage,
)


def wms_events(source: str, message: WmsMessage) -> EventDrafts:
    """The canonical events a WMS message states, with ``source`` the WMS's system name."""
    drafts = EventDrafts(source)
    _MAPPINGS[message.type](drafts, message)
    return drafts


def _acknowledged(drafts: EventDrafts, message: OrderAcknowledged) -> None:
    status: dict[str, Any] = {"number": message.order_number, "at": message.sent_at}
    if message.outcome == "accepted":
        drafts.add(
            "sales_order.fulfilment_accepted", status, id=message.message_id, time=message.sent_at
        )
    else:
        status["reason"] = message.reason
        drafts.add(
            "sales_order.fulfilment_rejected", status, id=message.message_id, time=message.sent_at
        )


def _released(drafts: EventDrafts, message: OrderReleased) -> None:
    status = {"number": message.order_number, "at": message.released_at}
    drafts.add("sales_order.released", status, id=message.message_id, time=message.released_at)


def _picked(drafts: EventDrafts, message: OrderPicked) -> None:
    status = {"number": message.order_number, "at": message.picked_at}
    drafts.add("sales_order.picked", status, id=message.message_id, time=message.picked_at)


def _packed(drafts: EventDrafts, message: OrderPacked) -> None:
    at, order = message.packed_at, message.order_number
    drafts.add(
        "sales_order.packed", {"number": order, "at": at}, id=f"{message.message_id}/order", time=at
    )
    packages = []
    for package in message.packages:
        entry: dict[str, Any] = {"sscc": package.sscc}
        if package.weight_kg is not None:
            entry["weight"] = quantity(package.weight_kg, "KGM")
        if package.contents is not None:
            entry["contents"] = {sku: str(count) for sku, count in package.contents.items()}
        packages.append(entry)
    shipment = {"number": message.shipment_number, "order_number": order, "packages": packages}
    drafts.add("shipment.packed", shipment, id=f"{message.message_id}/shipment", time=at)


def _dispatched(drafts: EventDrafts, message: OrderDispatched) -> None:
    at, order = message.dispatched_at, message.order_number
    drafts.add(
        "sales_order.shipped",
        {"number": order, "at": at},
        id=f"{message.message_id}/order",
        time=at,
    )
    shipment: dict[str, Any] = {
        "number": message.shipment_number,
        "order_number": order,
        "carrier": message.carrier,
        "tracking_number": message.packages[0].tracking_number,
        "dispatched_at": at,
        "packages": [
            {"sscc": p.sscc, "tracking_number": p.tracking_number} for p in message.packages
        ],
    }
    if message.service is not None:
        shipment["service"] = message.service
    drafts.add("shipment.dispatched", shipment, id=f"{message.message_id}/shipment", time=at)


def _adjusted(drafts: EventDrafts, message: StockAdjusted) -> None:
    adjustment: dict[str, Any] = {
        "adjustment_id": message.adjustment_id,
        "location": message.location,
        "sku": message.sku,
        "delta": quantity(message.delta),
        "reason": message.reason,
        "occurred_at": message.occurred_at,
    }
    if message.note is not None:
        adjustment["note"] = message.note
    drafts.add(
        "stock.adjusted",
        adjustment,
        id=f"adjustment/{message.adjustment_id}",
        time=message.occurred_at,
    )


def _snapshot(drafts: EventDrafts, message: InventorySnapshot) -> None:
    at = message.counted_at
    for index, level in enumerate(message.levels):
        reported: dict[str, Any] = {
            "location": level.location,
            "sku": level.sku,
            "on_hand": quantity(level.on_hand),
            "counted_at": at,
        }
        if level.reserved is not None:
            reported["reserved"] = quantity(level.reserved)
        drafts.add("stock.level_reported", reported, id=f"{message.message_id}/{index}", time=at)


def _returned(drafts: EventDrafts, message: ReturnReceived) -> None:
    received: dict[str, Any] = {
        "number": message.return_number,
        "received_at": message.received_at,
        "lines": [
            {"sku": line.sku, "quantity": quantity(line.quantity), "condition": line.condition}
            for line in message.lines
        ],
    }
    if message.order_number is not None:
        received["order_number"] = message.order_number
    drafts.add("return.received", received, id=message.message_id, time=message.received_at)


_MAPPINGS: dict[str, Callable[[EventDrafts, Any], None]] = {
    "order.acknowledged": _acknowledged,
    "order.released": _released,
    "order.picked": _picked,
    "order.packed": _packed,
    "order.dispatched": _dispatched,
    "stock.adjusted": _adjusted,
    "inventory.snapshot": _snapshot,
    "return.received": _returned,
}
