"""``pickings: odoo``: Odoo made the delivery order when it confirmed the sales order, so the
hub completes that picking instead of creating a second one for the same goods.

A shipment's picking is its order's first outgoing picking that is not a backorder, the
order found by the shipment's ``order_number`` as Odoo's order name or customer reference.
The choice depends only on Odoo's data, so it is the same after a restart or a retry. Until
Odoo has that picking, the shipment waits (retried): its order may not be confirmed yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from logisync.connectors.odoo.rpc import OdooRpc


@dataclass(frozen=True)
class OdooPicking:
    id: int
    moves: dict[int, tuple[int, float]]  # product id -> (move id, demanded quantity)


class OrderPickings:
    """Order number -> the picking Odoo made for it, looked up per batch and remembered."""

    def __init__(self, rpc: OdooRpc) -> None:
        self._rpc = rpc
        self._found: dict[str, OdooPicking] = {}

    def get(self, order_number: str) -> OdooPicking | None:
        return self._found.get(order_number)

    def look_up(self, order_numbers: Iterable[str]) -> None:
        wanted = sorted({n for n in order_numbers if n and n not in self._found})
        if not wanted:
            return
        orders = self._rpc.call(
            "sale.order",
            "search_read",
            domain=["|", ["name", "in", wanted], ["client_order_ref", "in", wanted]],
            fields=["name", "client_order_ref", "picking_ids"],
        )
        picking_ids = sorted({p for order in orders for p in order["picking_ids"]})
        if not picking_ids:
            return
        pickings = {
            int(row["id"]): row
            for row in self._rpc.call(
                "stock.picking",
                "read",
                ids=picking_ids,
                fields=["picking_type_code", "backorder_id", "move_ids"],
            )
        }
        chosen = {
            int(order["id"]): _first_delivery(order["picking_ids"], pickings) for order in orders
        }
        moves = self._moves([m for p in chosen.values() if p for m in pickings[p]["move_ids"]])
        for order in orders:
            picking_id = chosen[int(order["id"])]
            if picking_id is None:
                continue
            found = OdooPicking(
                picking_id,
                {moves[m][0]: (m, moves[m][1]) for m in pickings[picking_id]["move_ids"]},
            )
            for number in (order["name"], order["client_order_ref"]):
                if number:
                    self._found[str(number)] = found

    def _moves(self, move_ids: list[int]) -> dict[int, tuple[int, float]]:
        if not move_ids:
            return {}
        rows = self._rpc.call(
            "stock.move", "read", ids=move_ids, fields=["product_id", "product_uom_qty"]
        )
        return {int(r["id"]): (_id(r["product_id"]), float(r["product_uom_qty"])) for r in rows}


def _first_delivery(picking_ids: list[int], pickings: dict[int, Any]) -> int | None:
    deliveries = [
        p
        for p in sorted(picking_ids)
        if p in pickings
        and pickings[p]["picking_type_code"] == "outgoing"
        and not pickings[p]["backorder_id"]
    ]
    return deliveries[0] if deliveries else None


def _id(value: Any) -> int:
    return int(value[0]) if isinstance(value, list) else int(value)
