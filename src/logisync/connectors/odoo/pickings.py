"""Shipments -> ``stock.picking``: upsert the picking and its moves, then validate it once.

A batch of shipments costs four calls however many there are: ``load`` the pickings' headers
(creating the new ones), ``read`` their states, ``load`` the moves of the open ones (with the
done quantities when the carrier has the goods), ``button_validate`` the ones to close. Each
step is safe to repeat: the loads upsert by external id, and a picking already ``done`` (say
the answer to the first validation was lost) is not validated again.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from logisync.connectors.odoo.failures import OdooCallFailed
from logisync.connectors.odoo.loading import ImportRecord, load_records
from logisync.connectors.odoo.lookups import MissingReference, OdooIds
from logisync.connectors.odoo.records import (
    EntityState,
    amount,
    cell,
    delivered,
    known,
    later,
    refused,
)
from logisync.connectors.odoo.rpc import OdooRpc
from logisync.connectors.odoo.settings import OdooSettings
from logisync.connectors.odoo.xmlids import xmlid
from logisync.core.delivery.connector import ItemResult
from logisync.model.lifecycle import LIFECYCLES

_MILESTONES = LIFECYCLES["shipment"]
_CLOSED = ("done", "cancel")
MODEL = "stock.picking"


class PickingWriter:
    domain = "shipment"

    def __init__(self, rpc: OdooRpc, ids: OdooIds, settings: OdooSettings, version: int):
        self._rpc = rpc
        self._ids = ids
        self._settings = settings
        self._version = version

    def write(self, entities: Sequence[EntityState]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(entities)
        headers = self._headers(entities)
        loaded = load_records(self._rpc, MODEL, headers)
        open_ids: dict[int, int] = {}  # position -> picking id
        for position, (record_id, error) in enumerate(zip(loaded.ids, loaded.errors, strict=True)):
            if record_id is None:
                results[position] = refused(f"{MODEL}: {error}")
            else:
                open_ids[position] = record_id
        states = self._states(list(open_ids.values()))
        self._write_moves(entities, open_ids, states, results)
        self._close(entities, open_ids, states, results)
        return [
            result or delivered(MODEL, open_ids[position])
            for position, result in enumerate(results)
        ]

    def _headers(self, entities: Sequence[EntityState]) -> list[ImportRecord]:
        picking_type = self._ids.xmlid(self._settings.picking_type)
        source = self._ids.xmlid("stock.stock_location_stock")
        destination = self._ids.xmlid("stock.stock_location_customers")
        return [
            ImportRecord(
                known(
                    {
                        "id": xmlid(self._settings.module, "shipment", entity.key),
                        "picking_type_id/.id": picking_type,
                        "location_id/.id": source,
                        "location_dest_id/.id": destination,
                        "origin": entity.state.get("order_number") or entity.key,
                        "carrier_tracking_ref": _tracking(entity.state),
                    }
                )
            )
            for entity in entities
        ]

    def _states(self, picking_ids: list[int]) -> dict[int, str]:
        if not picking_ids:
            return {}
        rows = self._rpc.call(MODEL, "read", ids=picking_ids, fields=["state"])
        return {int(row["id"]): str(row["state"]) for row in rows}

    def _write_moves(
        self,
        entities: Sequence[EntityState],
        open_ids: dict[int, int],
        states: dict[int, str],
        results: list[ItemResult | None],
    ) -> None:
        """Upsert the moves of the pickings still open; each move is named after its SKU."""
        wanted = {
            position: _contents(entities[position].state)
            for position, picking_id in open_ids.items()
            if states.get(picking_id) not in _CLOSED
        }
        wanted = {position: lines for position, lines in wanted.items() if lines}
        skus = {sku for lines in wanted.values() for sku in lines}
        products = self._ids.by_key("product.product", "default_code", skus)
        records, positions = [], []
        for position, lines in wanted.items():
            missing = sorted(set(lines) - set(products))
            if missing:
                results[position] = later(
                    f"no product.product in Odoo for SKU {', '.join(missing)}"
                )
                continue
            entity = entities[position]
            done = self._dispatched(entity.state)
            records.append(self._moves(entity.key, lines, products, done))
            positions.append(position)
        loaded = load_records(self._rpc, MODEL, records) if records else None
        for index, position in enumerate(positions):
            if loaded is not None and loaded.errors[index] is not None:
                results[position] = refused(f"stock.move: {loaded.errors[index]}")

    def _moves(
        self, key: str, lines: dict[str, Decimal], products: dict[str, int], done: bool
    ) -> ImportRecord:
        module = self._settings.module
        source = self._ids.xmlid("stock.stock_location_stock")
        destination = self._ids.xmlid("stock.stock_location_customers")
        move_lines = []
        for sku, quantity in sorted(lines.items()):
            line = {
                "move_ids/id": xmlid(module, "shipment_move", f"{key}/{sku}"),
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
            move_lines.append(line)
        return ImportRecord({"id": xmlid(module, "shipment", key)}, move_lines)

    def _close(
        self,
        entities: Sequence[EntityState],
        open_ids: dict[int, int],
        states: dict[int, str],
        results: list[ItemResult | None],
    ) -> None:
        """Validate the dispatched pickings and cancel the cancelled ones, each once."""
        validate, cancel = [], []
        for position, picking_id in open_ids.items():
            state = states.get(picking_id)
            if results[position] is not None or state == "done":
                continue
            milestone = _MILESTONES.code((entities[position].state or {}).get("status"))
            if milestone == "cancelled":
                if state != "cancel":
                    cancel.append(picking_id)
            elif self._dispatched(entities[position].state):
                if state == "cancel":
                    results[position] = refused(
                        f"{MODEL} {picking_id} is cancelled in Odoo but the carrier reports "
                        f"{milestone!r}: resolve it in Odoo, then replay this delivery"
                    )
                else:
                    validate.append(picking_id)
        if cancel:
            self._rpc.call(MODEL, "action_cancel", ids=cancel)
        failures = self._validate(validate)
        for position, picking_id in open_ids.items():
            if picking_id in failures and results[position] is None:
                results[position] = failures[picking_id]

    def _validate(self, picking_ids: list[int]) -> dict[int, ItemResult]:
        """``button_validate`` them together; if Odoo refuses the batch, one by one to find
        the pickings it refuses (the others are validated all the same)."""
        if not picking_ids:
            return {}
        try:
            self._button_validate(picking_ids)
            return {}
        except OdooCallFailed as error:
            if error.transient or len(picking_ids) == 1:
                raise
        failures: dict[int, ItemResult] = {}
        for picking_id in picking_ids:
            try:
                self._button_validate([picking_id])
            except OdooCallFailed as error:
                if error.transient:
                    failures[picking_id] = later(str(error), error.retry_after)
                else:
                    failures[picking_id] = refused(str(error))
        return failures

    def _button_validate(self, picking_ids: list[int]) -> None:
        context = {"skip_backorder": True, "picking_ids_not_to_backorder": picking_ids}
        answer = self._rpc.call(MODEL, "button_validate", ids=picking_ids, context=context)
        if isinstance(answer, dict) and answer.get("res_model"):
            self._finish_wizard(answer, picking_ids)

    def _finish_wizard(self, action: dict[str, Any], picking_ids: list[int]) -> None:
        """Odoo 16 asks to confirm an immediate transfer (no done quantities were set): do
        what the user's click on *Apply* does."""
        wizard_model = str(action["res_model"])
        context = {**(action.get("context") or {}), "button_validate_picking_ids": picking_ids}
        if wizard_model == "stock.immediate.transfer":
            vals = {"pick_ids": [[6, 0, picking_ids]]}
            wizard = self._rpc.call(wizard_model, "create", vals_list=[vals], context=context)
            self._rpc.call(wizard_model, "process", ids=_ids(wizard), context=context)
            return
        raise OdooCallFailed(
            f"{MODEL}.button_validate",
            f"Odoo asked for the {wizard_model} wizard, which the hub does not answer",
            name="odoo.exceptions.UserError",
            transient=False,
        )

    def _dispatched(self, state: dict[str, Any]) -> bool:
        status = state.get("status")
        threshold = _MILESTONES.rank(self._settings.validate_from)
        code = _MILESTONES.code(status)
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


def _ids(created: Any) -> list[int]:
    return [int(i) for i in created] if isinstance(created, list) else [int(created)]


__all__ = ["MissingReference", "PickingWriter"]
