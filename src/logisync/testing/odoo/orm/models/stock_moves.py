"""Stock moves: one product's demand and done quantity inside a transfer.

Quantities differ by version: 16 reserves into ``reserved_availability`` and records what
was done in ``quantity_done``; 17+ keep one ``quantity`` (reserved, then done) and mark
the part that was actually processed with ``picked``. Stock is always available here, so
reserving a move reserves its whole demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm.models.company import company_field
from logisync.testing.odoo.orm.reading import field_value
from logisync.testing.odoo.orm.spec import Hooks, ModelSpec
from logisync.testing.odoo.orm.versions import VersionProfile

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

MOVE = "stock.move"
MOVE_STATES = [
    ("draft", "New"),
    ("waiting", "Waiting Another Move"),
    ("confirmed", "Waiting Availability"),
    ("partially_available", "Partially Available"),
    ("assigned", "Available"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
OPEN = ("draft", "waiting", "confirmed", "partially_available", "assigned")


def done_quantity(env: Env, move: f.Row) -> float:
    """What a done move moved (16: ``quantity_done``; 17+: ``quantity``)."""
    if move.get("state") != "done":
        return 0.0
    return processed_quantity(env, move)


def processed_quantity(env: Env, move: f.Row) -> float:
    """The quantity validation will move: 16's ``quantity_done``; 17+'s ``quantity``."""
    key = "quantity_done" if env.profile.move_has_quantity_done else "quantity"
    return float(move.get(key) or 0.0)


def demand(move: f.Row) -> float:
    return float(move.get("product_uom_qty") or 0.0)


def reserve(env: Env, move_ids: list[int]) -> None:
    """Reserve the whole demand of open moves (stock is treated as available)."""
    for move_id in move_ids:
        move = env.store.get(MOVE, move_id) or {}
        if move.get("state") not in ("confirmed", "partially_available", "waiting", "assigned"):
            continue
        changes: dict[str, Any] = {"state": "assigned"}
        if env.profile.move_has_quantity_done:
            changes["reserved_availability"] = demand(move)
        elif float(move.get("quantity") or 0.0) < demand(move):
            changes["quantity"] = demand(move)
        env.sudo()[MOVE].write([move_id], changes)


def move_display(env: Env, row: f.Row) -> str:
    picking = env.store.get("stock.picking", row.get("picking_id") or 0) or {}
    product = env.store.get("product.product", row.get("product_id") or 0) or {}
    source = (env.store.get("stock.location", row.get("location_id") or 0) or {}).get("name")
    target = (env.store.get("stock.location", row.get("location_dest_id") or 0) or {}).get("name")
    origin = f"{picking['origin']}/" if picking.get("origin") else ""
    code = f"{product['default_code']}: " if product.get("default_code") else ""
    return f"{origin}{code}{source}>{target}"


def _prepare(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
    """Fill what a move inside a transfer takes from the transfer and the product."""
    vals = dict(vals)
    picking = env.store.get("stock.picking", vals.get("picking_id") or 0)
    if picking is not None:
        for name in ("location_id", "location_dest_id", "picking_type_id", "partner_id"):
            if not vals.get(name) and picking.get(name):
                vals[name] = picking[name]
        vals.setdefault("origin", picking.get("origin") or False)
    product = env.store.get("product.product", vals.get("product_id") or 0)
    if product is not None:
        if not vals.get("product_uom"):
            vals["product_uom"] = field_value(env, "product.product", product, "uom_id")
        if not vals.get("name"):
            vals["name"] = field_value(env, "product.product", product, "display_name")
    if vals.get("state") == "done" and not env.profile.move_has_quantity_done:
        vals["picked"] = True
    return vals


def _refuse_done_changes(env: Env, ids: list[int], vals: dict[str, Any]) -> dict[str, Any]:
    """Moves that are done or cancelled keep their quantities."""
    quantity_fields = {"product_uom_qty", "quantity", "quantity_done"} & set(vals)
    if not quantity_fields or env.context.get("_stock_engine"):
        return vals
    for move_id in ids:
        state = env[MOVE].row(move_id).get("state")
        if state == "cancel" and quantity_fields - {"product_uom_qty"}:
            raise errors.UserError(
                "You cannot change a cancelled stock move, create a new line instead."
            )
        if state == "done":
            raise errors.UserError(
                "You cannot change the quantity of a stock move that has been set to 'Done'."
            )
    return vals


def _refuse_unlink(env: Env, ids: list[int]) -> None:
    for move_id in ids:
        if env[MOVE].row(move_id).get("state") not in ("draft", "cancel"):
            raise errors.UserError("You can only delete draft or cancelled moves.")


def move(profile: VersionProfile) -> ModelSpec:
    fields: dict[str, f.Field] = {
        "name": f.char("Description", required=True),
        "sequence": f.integer("Sequence", default=10),
        "reference": f.char(
            "Reference",
            compute=lambda env, row: (
                (env.store.get("stock.picking", row.get("picking_id") or 0) or {}).get("name")
                or row.get("name")
            ),
        ),
        "origin": f.char("Source Document"),
        "picking_id": f.many2one("stock.picking", "Transfer"),
        "picking_type_id": f.many2one("stock.picking.type", "Operation Type"),
        "partner_id": f.many2one("res.partner", "Destination Address"),
        "product_id": f.many2one("product.product", "Product", required=True),
        "product_uom_qty": f.floating("Demand"),
        "product_uom": f.many2one("uom.uom", "UoM", required=True),
        "location_id": f.many2one("stock.location", "Source Location", required=True),
        "location_dest_id": f.many2one("stock.location", "Destination Location", required=True),
        "state": f.selection("Status", MOVE_STATES, default="draft", copy=False),
        "date": f.datetime_field("Date Scheduled", default=lambda env: env.txn.now_text),
        "sale_line_id": f.many2one("sale.order.line", "Sale Line"),
        "is_inventory": f.boolean("Inventory"),
        "company_id": company_field(required=True),
    }
    if profile.move_has_quantity_done:
        fields["quantity_done"] = f.floating("Quantity Done", copy=False)
        fields["reserved_availability"] = f.floating("Quantity Reserved", readonly=True, copy=False)
    else:
        fields["quantity"] = f.floating("Quantity", copy=False)
        fields["picked"] = f.boolean("Picked", copy=False)
    return ModelSpec(
        MOVE,
        "Stock Move",
        fields,
        order="sequence, id",
        display=move_display,
        hooks=Hooks(
            prepare_create=_prepare,
            before_write=_refuse_done_changes,
            before_unlink=_refuse_unlink,
        ),
    )
