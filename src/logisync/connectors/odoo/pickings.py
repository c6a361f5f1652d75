"""Shipments -> ``stock.picking``: the picking and its moves, validated once the carrier has
the goods (``validate_from``, ``picked_up`` by default), cancelled when the shipment is.

Moves are named after the shipment and SKU, with the quantity summed over the packages; the
done quantities go in with the moves (``quantity`` + ``picked`` from 17, ``quantity_done``
in 16), and validation asks Odoo not to create a backorder: what the carrier took is what
was shipped.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from logisync.connectors.odoo.documents import Action, DocumentWriter
from logisync.connectors.odoo.failures import OdooCallFailed
from logisync.connectors.odoo.lookups import MissingReference
from logisync.connectors.odoo.records import EntityState, amount, cell, known
from logisync.model.lifecycle import LIFECYCLES

_MILESTONES = LIFECYCLES["shipment"]


class PickingWriter(DocumentWriter):
    domain = "shipment"
    model = "stock.picking"
    lines_field = "move_ids"
    open_states = ("draft", "waiting", "confirmed", "assigned")

    def header(self, entity: EntityState) -> dict[str, str]:
        return known(
            {
                "id": self.xmlid("shipment", entity.key),
                "picking_type_id/.id": self._ids.xmlid(self._settings.picking_type),
                "location_id/.id": self._ids.xmlid("stock.stock_location_stock"),
                "location_dest_id/.id": self._ids.xmlid("stock.stock_location_customers"),
                "origin": entity.state.get("order_number") or entity.key,
                "carrier_tracking_ref": _tracking(entity.state),
            }
        )

    def header_fallback(self, entity: EntityState) -> dict[str, str]:
        """A picking past draft refuses its operation type (even unchanged) but still takes
        the carrier's tracking number."""
        return known(
            {
                "id": self.xmlid("shipment", entity.key),
                "carrier_tracking_ref": _tracking(entity.state),
            }
        )

    def lines(self, entity: EntityState) -> list[dict[str, str]]:
        contents = _contents(entity.state)
        if not contents:
            return []
        products = self._ids.by_key("product.product", "default_code", contents)
        missing = sorted(set(contents) - set(products))
        if missing:
            raise MissingReference(f"no product.product in Odoo for SKU {', '.join(missing)}")
        done = self._dispatched(entity.state)
        source = self._ids.xmlid("stock.stock_location_stock")
        destination = self._ids.xmlid("stock.stock_location_customers")
        lines = []
        for sku, quantity in sorted(contents.items()):
            line = {
                "move_ids/id": self.xmlid("shipment_move", f"{entity.key}/{sku}"),
                "move_ids/name": sku,
                "move_ids/product_id/.id": str(products[sku]),
                "move_ids/product_uom_qty": cell(quantity),
                "move_ids/location_id/.id": str(source),
                "move_ids/location_dest_id/.id": str(destination),
            }
            if done and self._version >= 17:
                line |= {"move_ids/quantity": cell(quantity), "move_ids/picked": "1"}
            elif done:
                line["move_ids/quantity_done"] = cell(quantity)
            lines.append(line)
        return lines

    def action(self, entity: EntityState, odoo_state: str) -> Action | str | None:
        milestone = _MILESTONES.code(entity.state.get("status"))
        if odoo_state == "done":
            return None
        if milestone == "cancelled":
            return None if odoo_state == "cancel" else ("action_cancel", {})
        if not self._dispatched(entity.state):
            return None
        if odoo_state == "cancel":
            return (
                f"cancelled in Odoo but the carrier reports {milestone!r}: resolve it in Odoo, "
                "then replay this delivery"
            )
        return ("button_validate", {"skip_backorder": True, "picking_ids_not_to_backorder": "$ids"})

    def finish(self, action: Action, answer: Any, record_ids: list[int]) -> None:
        """Odoo 16 asks to confirm an immediate transfer when no done quantity was set: do
        what a user's click on *Apply* does. Any other wizard is refused with its name."""
        if not (isinstance(answer, dict) and answer.get("res_model")):
            return
        wizard_model = str(answer["res_model"])
        context = {**(answer.get("context") or {}), "button_validate_picking_ids": record_ids}
        if wizard_model != "stock.immediate.transfer":
            raise OdooCallFailed(
                f"{self.model}.{action[0]}",
                f"Odoo asked for the {wizard_model} wizard, which the hub does not answer",
                name="odoo.exceptions.UserError",
                transient=False,
            )
        vals = {"pick_ids": [[6, 0, record_ids]]}
        wizard = self._rpc.call(wizard_model, "create", vals_list=[vals], context=context)
        wizard_ids = [int(i) for i in wizard] if isinstance(wizard, list) else [int(wizard)]
        self._rpc.call(wizard_model, "process", ids=wizard_ids, context=context)

    def _dispatched(self, state: dict[str, Any]) -> bool:
        status = state.get("status")
        code = _MILESTONES.code(status)
        threshold = _MILESTONES.rank(self._settings.validate_from)
        return code not in (None, "cancelled") and _MILESTONES.rank(status) >= threshold


def _tracking(state: dict[str, Any]) -> str | None:
    status = state.get("status") or {}
    return state.get("tracking_number") or status.get("tracking_number")


def _contents(state: dict[str, Any]) -> dict[str, Decimal]:
    """SKU -> quantity over all the shipment's packages."""
    totals: dict[str, Decimal] = {}
    for package in state.get("packages") or []:
        for sku, quantity in (package.get("contents") or {}).items():
            totals[sku] = totals.get(sku, Decimal(0)) + amount(quantity)
    return totals
