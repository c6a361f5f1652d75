"""Shipments -> ``stock.picking``: the picking and its moves, validated once the carrier has
the goods (``validate_from``, ``picked_up`` by default), cancelled when the shipment is.

Moves are named after the shipment and SKU, with the quantity summed over the packages; the
done quantities go in with the moves (``quantity`` + ``picked`` from 17, ``quantity_done``
in 16), and validation asks Odoo not to create a backorder: what the carrier took is what
was shipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from logisync.connectors.odoo.adopted import OdooPicking, OrderPickings
from logisync.connectors.odoo.documents import Action, DocumentWriter
from logisync.connectors.odoo.failures import OdooCallFailed
from logisync.connectors.odoo.lookups import MissingReference, NothingToWrite, OdooIds
from logisync.connectors.odoo.records import EntityState, amount, cell, known
from logisync.connectors.odoo.rpc import OdooRpc
from logisync.connectors.odoo.settings import OdooSettings
from logisync.model.lifecycle import LIFECYCLES

_MILESTONES = LIFECYCLES["shipment"]


class PickingWriter(DocumentWriter):
    domain = "shipment"
    model = "stock.picking"
    lines_field = "move_ids"
    open_states = ("draft", "waiting", "confirmed", "assigned")

    def __init__(self, rpc: OdooRpc, ids: OdooIds, settings: OdooSettings, version: int):
        super().__init__(rpc, ids, settings, version)
        self._odoo_made = OrderPickings(rpc) if settings.pickings == "odoo" else None

    def prepare(self, entities: Sequence[EntityState]) -> None:
        if self._odoo_made is not None:
            self._odoo_made.look_up(str(e.state.get("order_number") or "") for e in entities)

    def record_key(self, entity: EntityState) -> dict[str, str]:
        if self._odoo_made is None:
            return super().record_key(entity)
        return {".id": str(self._picking_of(entity).id)}

    def header(self, entity: EntityState) -> dict[str, str]:
        if not entity.state.get("order_number") and not _contents(entity.state):
            # A carrier's scan that came before its dispatch, kept under its tracking number.
            # An empty picking would be wrong, and waiting would end in a dead letter: the
            # scan is re-journaled under its shipment once a fact links the number, and
            # delivered with it then; a shipment that later fills this key is delivered whole.
            raise NothingToWrite(f"{entity.key} names no order and no goods yet")
        if self._odoo_made is not None:
            return self.header_fallback(entity)
        return known(
            {
                **self._milestone(entity),
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
        the carrier's tracking number and its later milestones (delivered)."""
        return {
            **self.record_key(entity),
            **known({"carrier_tracking_ref": _tracking(entity.state)}),
            **self._milestone(entity),
        }

    def lines(self, entity: EntityState) -> list[dict[str, str]]:
        if self._odoo_made is not None:
            return self._done_quantities(entity)
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

    def _picking_of(self, entity: EntityState) -> OdooPicking:
        assert self._odoo_made is not None
        number = str(entity.state.get("order_number") or "")
        picking = self._odoo_made.get(number)
        if picking is None:
            raise MissingReference(
                f"Odoo has no delivery order for order {number or '(none given)'} yet "
                "(pickings: odoo completes the picking Odoo makes when it confirms the order)"
            )
        return picking

    def _done_quantities(self, entity: EntityState) -> list[dict[str, str]]:
        """The done quantities on the moves of Odoo's picking, once the carrier has the goods:
        what the packages hold, or everything asked for when the shipment does not say."""
        if not self._dispatched(entity.state):
            return []
        picking = self._picking_of(entity)
        contents = _contents(entity.state)
        products = self._ids.by_key("product.product", "default_code", contents)
        by_product = {products[sku]: qty for sku, qty in contents.items() if sku in products}
        strangers = sorted(
            set(contents) - {s for s in contents if products.get(s) in picking.moves}
        )
        if strangers:
            raise MissingReference(
                f"SKU {', '.join(strangers)} of shipment {entity.key} is not on Odoo's delivery "
                "order: ship what the order asks for, or change the order in Odoo",
                transient=False,
            )
        lines = []
        for product, (move_id, demanded) in sorted(picking.moves.items()):
            quantity = by_product.get(product, Decimal(0) if contents else Decimal(str(demanded)))
            line = {"move_ids/.id": str(move_id)}
            if self._version >= 17:
                line |= {"move_ids/quantity": cell(quantity), "move_ids/picked": "1"}
            else:
                line["move_ids/quantity_done"] = cell(quantity)
            lines.append(line)
        return lines

    def _milestone(self, entity: EntityState) -> dict[str, str]:
        field = self._settings.milestone_field
        milestone = _MILESTONES.code(entity.state.get("status"))
        return {} if field is None or milestone is None else {field: milestone}

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
