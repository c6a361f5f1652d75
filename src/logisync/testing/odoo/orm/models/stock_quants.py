"""Stock on hand (``stock.quant``): one product's quantity in one location.

Validated moves change quants. Integrations set counted quantities the way Odoo's
inventory screen does: create or write ``inventory_quantity`` with context
``inventory_mode`` (which then reuses the product's quant in that location), then call
``action_apply_inventory``, which moves the difference from the inventory-loss location and
returns ``None`` (so XML-RPC faults after the commit, as with a real Odoo).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm import xmlids
from logisync.testing.odoo.orm.access import has_group
from logisync.testing.odoo.orm.reading import name_of
from logisync.testing.odoo.orm.spec import Hooks, ModelSpec, record_method

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

QUANT = "stock.quant"
KEY = ("product_id", "location_id")
CREATE_FIELDS = frozenset(
    {
        "product_id",
        "owner_id",
        "inventory_quantity",
        "inventory_quantity_auto_apply",
        "inventory_diff_quantity",
        "inventory_date",
        "user_id",
        "inventory_quantity_set",
        "is_outdated",
        "lot_id",
        "location_id",
        "package_id",
    }
)
LOCKED_ON_WRITE = frozenset({"product_id", "location_id", "lot_id", "package_id", "owner_id"})


def find_quant(env: Env, product_id: int, location_id: int) -> int | None:
    found = sorted(env.store.lookup(QUANT, KEY, (product_id, location_id)))
    return found[0] if found else None


def _is_internal(env: Env, location_id: int) -> bool:
    return (env.store.get("stock.location", location_id) or {}).get("usage") == "internal"


def add_quantity(env: Env, product_id: int, location_id: int, quantity: float) -> None:
    """Change the quantity on hand (quants live in internal locations only)."""
    if not _is_internal(env, location_id):
        return
    system = env.sudo().with_context(_stock_engine=True)
    quant_id = find_quant(env, product_id, location_id)
    if quant_id is None:
        system[QUANT].create(
            {"product_id": product_id, "location_id": location_id, "quantity": quantity}
        )
        return
    current = float((env.store.get(QUANT, quant_id) or {}).get("quantity") or 0.0)
    system[QUANT].write([quant_id], {"quantity": current + quantity})


def move_quants(env: Env, move: dict[str, Any], quantity: float) -> None:
    product_id = move.get("product_id") or 0
    add_quantity(env, product_id, move.get("location_id") or 0, -quantity)
    add_quantity(env, product_id, move.get("location_dest_id") or 0, quantity)


def _inventory_mode(env: Env) -> bool:
    return bool(env.context.get("inventory_mode")) and has_group(env, "stock.group_stock_user")


def _prepare(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
    """In inventory mode a counted quantity for a product and location that already have a
    quant updates it instead of creating a second one (``after_create`` merges)."""
    counting = "inventory_quantity" in vals or "inventory_quantity_auto_apply" in vals
    if env.context.get("_stock_engine") or not (_inventory_mode(env) and counting):
        return vals
    if set(vals) - CREATE_FIELDS:
        raise errors.UserError("Quant's creation is restricted, you can't do this operation.")
    vals = dict(vals)
    auto = vals.pop("inventory_quantity_auto_apply", None)
    vals["inventory_quantity"] = auto if auto is not None else vals.get("inventory_quantity")
    vals["inventory_quantity_set"] = True
    vals["user_id"] = vals.get("user_id") or env.uid
    return vals


def _existing_quant(env: Env, vals: dict[str, Any]) -> int | None:
    """Odoo's create in inventory mode sets the count on the product's existing quant in
    that location and answers that quant instead of creating a second one."""
    if env.context.get("_stock_engine") or "inventory_quantity_set" not in vals:
        return None
    existing = find_quant(env, vals.get("product_id") or 0, vals.get("location_id") or 0)
    if existing is not None:
        counted = {k: vals[k] for k in ("inventory_quantity", "inventory_quantity_set", "user_id")}
        env.sudo().with_context(_stock_engine=True)[QUANT].write([existing], counted)
    return existing


def _refuse_locked_fields(env: Env, ids: list[int], vals: dict[str, Any]) -> dict[str, Any]:
    if _inventory_mode(env) and LOCKED_ON_WRITE & set(vals):
        raise errors.UserError("Quant's editing is restricted, you can't do this operation.")
    if _inventory_mode(env) and "inventory_quantity" in vals:
        return {**vals, "inventory_quantity_set": True}
    return vals


def action_apply_inventory(env: Env, model: str, ids: list[int]) -> None:
    """Move each counted difference from the inventory-loss location; returns None."""
    if not has_group(env, "stock.group_stock_manager"):
        raise errors.UserError("Only a stock manager can validate an inventory adjustment.")
    loss = xmlids.record_id(env, "stock.location_inventory", "stock.location") or 0
    for quant_id in ids:
        row = env[QUANT].row(quant_id)
        difference = float(row.get("inventory_quantity") or 0.0) - float(row.get("quantity") or 0)
        if not difference:
            continue
        source, target = (
            (loss, row["location_id"]) if difference > 0 else (row["location_id"], loss)
        )
        _inventory_move(env, row["product_id"], source, target, abs(difference))
    env.sudo().with_context(_stock_engine=True)[QUANT].write(
        ids, {"inventory_quantity": 0.0, "inventory_quantity_set": False, "user_id": False}
    )


def _inventory_move(env: Env, product_id: int, source: int, target: int, qty: float) -> None:
    system = env.sudo().with_context(_stock_engine=True)
    quantity_field = "quantity_done" if env.profile.move_has_quantity_done else "quantity"
    move_id = system["stock.move"].create(
        {
            "name": "Product Quantity Updated",
            "product_id": product_id,
            "product_uom_qty": qty,
            "location_id": source,
            "location_dest_id": target,
            "is_inventory": True,
            quantity_field: qty,
            "state": "done",
        }
    )
    move_quants(env, env.store.get("stock.move", move_id) or {}, qty)


def quant() -> ModelSpec:
    return ModelSpec(
        QUANT,
        "Quants",
        {
            "product_id": f.many2one(
                "product.product", "Product", required=True, ondelete="restrict"
            ),
            "location_id": f.many2one(
                "stock.location", "Location", required=True, ondelete="restrict"
            ),
            "quantity": f.floating("Quantity", readonly=True),
            "reserved_quantity": f.floating("Reserved Quantity", readonly=True),
            "inventory_quantity": f.floating("Counted Quantity"),
            "inventory_diff_quantity": f.floating(
                "Difference",
                compute=lambda env, row: (
                    float(row.get("inventory_quantity") or 0.0) - float(row.get("quantity") or 0.0)
                    if row.get("inventory_quantity_set")
                    else 0.0
                ),
            ),
            "inventory_quantity_set": f.boolean("Inventory Quantity Set"),
            "inventory_date": f.date("Scheduled Date"),
            "user_id": f.many2one("res.users", "Assigned To"),
            "company_id": f.many2one(
                "res.company",
                "Company",
                compute=lambda env, row: (
                    env.store.get("stock.location", row.get("location_id") or 0) or {}
                ).get("company_id", False),
            ),
        },
        rec_name=None,
        display=_quant_display,
        methods={"action_apply_inventory": record_method(action_apply_inventory)},
        hooks=Hooks(
            prepare_create=_prepare,
            redirect_create=_existing_quant,
            before_write=_refuse_locked_fields,
        ),
    )


def _quant_display(env: Env, row: f.Row) -> str:
    return name_of(env, "stock.location", row.get("location_id") or 0)
