"""Warehouse models: locations, operation types and transfers (``stock.picking``).

A transfer's state is derived from its moves, as Odoo computes it: no move or a draft
move -> draft, all cancelled -> cancel, all done or cancelled -> done, every open move
reserved -> assigned, otherwise confirmed. Its number comes from its operation type's
sequence ("WH/OUT/00001"). The buttons are in ``stock_flow``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm.models.company import company_field
from logisync.testing.odoo.orm.models.sequences import next_number
from logisync.testing.odoo.orm.models.stock_moves import MOVE, done_quantity, processed_quantity
from logisync.testing.odoo.orm.models.stock_validation import picking_methods
from logisync.testing.odoo.orm.spec import Hooks, ModelSpec
from logisync.testing.odoo.orm.versions import VersionProfile

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

PICKING = "stock.picking"
PICKING_STATES = [
    ("draft", "Draft"),
    ("waiting", "Waiting Another Operation"),
    ("confirmed", "Waiting"),
    ("assigned", "Ready"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
CODES = [("incoming", "Receipt"), ("outgoing", "Delivery"), ("internal", "Internal Transfer")]


def location() -> ModelSpec:
    def complete_name(env: Env, row: f.Row) -> str:
        """ "WH/Stock": the parent's full name first, except for view locations, which
        stand alone (Odoo's rule, so "Physical Locations" never shows)."""
        parent = env.store.get("stock.location", row.get("location_id") or 0)
        if parent is None or row.get("usage") == "view":
            return str(row.get("name"))
        return f"{complete_name(env, parent)}/{row.get('name')}"

    return ModelSpec(
        "stock.location",
        "Inventory Locations",
        {
            "name": f.char("Location Name", required=True),
            "complete_name": f.char("Full Location Name", compute=complete_name),
            "location_id": f.many2one("stock.location", "Parent Location", ondelete="cascade"),
            "usage": f.selection(
                "Location Type",
                [
                    ("supplier", "Vendor Location"),
                    ("view", "View"),
                    ("internal", "Internal Location"),
                    ("customer", "Customer Location"),
                    ("inventory", "Inventory Loss"),
                    ("production", "Production"),
                    ("transit", "Transit Location"),
                ],
                default="internal",
                required=True,
            ),
            "active": f.boolean("Active", default=True),
            "barcode": f.char("Barcode"),
            "company_id": company_field(default=False),
        },
        rec_name="complete_name",
        order="complete_name, id",
        parent_field="location_id",
        search_names=("complete_name", "barcode"),
    )


def picking_type() -> ModelSpec:
    def display(env: Env, row: f.Row) -> str:
        return f"{row.get('warehouse_name') or 'WH'}: {row.get('name')}"

    return ModelSpec(
        "stock.picking.type",
        "Picking Type",
        {
            "name": f.char("Operation Type", required=True),
            "code": f.selection("Type of Operation", CODES, required=True),
            "sequence_code": f.char("Sequence Prefix", required=True),
            "warehouse_name": f.char("Warehouse"),
            "default_location_src_id": f.many2one("stock.location", "Default Source Location"),
            "default_location_dest_id": f.many2one(
                "stock.location", "Default Destination Location"
            ),
            "create_backorder": f.selection(
                "Create Backorder",
                [("ask", "Ask"), ("always", "Always"), ("never", "Never")],
                default="ask",
                required=True,
            ),
            "active": f.boolean("Active", default=True),
            "company_id": company_field(required=True),
        },
        order="sequence_code, id",
        display=display,
    )


def picking_state(env: Env, row: f.Row) -> str:
    move_ids = env.store.referencing(MOVE, "picking_id", row["id"])
    states = [(env.store.get(MOVE, i) or {}).get("state") for i in move_ids]
    if not states or "draft" in states:
        return "draft"
    if all(state == "cancel" for state in states):
        return "cancel"
    if all(state in ("done", "cancel") for state in states):
        return "done"
    open_states = [state for state in states if state not in ("done", "cancel")]
    if all(state == "assigned" for state in open_states):
        return "assigned"
    if any(state == "waiting" for state in open_states):
        return "waiting"
    if row.get("move_type") == "direct" and any(
        state in ("assigned", "partially_available") for state in open_states
    ):
        return "assigned"
    return "confirmed"


def _type_code(env: Env, row: f.Row) -> Any:
    kind = env.store.get("stock.picking.type", row.get("picking_type_id") or 0) or {}
    return kind.get("code", False)


def _weight(env: Env, row: f.Row) -> float:
    total = 0.0
    for move_id in env.store.referencing(MOVE, "picking_id", row["id"]):
        move = env.store.get(MOVE, move_id) or {}
        product = env.store.get("product.product", move.get("product_id") or 0) or {}
        template = env.store.get("product.template", product.get("product_tmpl_id") or 0) or {}
        qty = (
            done_quantity(env, move) or processed_quantity(env, move) or move.get("product_uom_qty")
        )
        total += float(template.get("weight") or 0.0) * float(qty or 0.0)
    return round(total, 4)


def _tracking_url(env: Env, row: f.Row) -> Any:
    """The carrier's tracking page with the tracking number in it (19's carrier field
    ``tracking_url`` with ``<shipmenttrackingnumber>``; a carrier integration elsewhere)."""
    carrier = env.store.get("delivery.carrier", row.get("carrier_id") or 0) or {}
    template = carrier.get("tracking_url")
    if not template or not row.get("carrier_tracking_ref"):
        return False
    return str(template).replace("<shipmenttrackingnumber>", str(row["carrier_tracking_ref"]))


def _prepare(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
    """The number and default locations come from the operation type."""
    vals = dict(vals)
    kind = env.store.get("stock.picking.type", vals.get("picking_type_id") or 0)
    if kind is None:
        return vals
    vals.setdefault("location_id", kind.get("default_location_src_id") or False)
    vals.setdefault("location_dest_id", kind.get("default_location_dest_id") or False)
    if not vals.get("name") or vals["name"] == "/":
        prefix = f"{kind.get('warehouse_name') or 'WH'}/{kind.get('sequence_code')}/"
        vals["name"] = next_number(env, f"picking_type:{kind['id']}", prefix)
    return vals


def _refuse_type_change(env: Env, ids: list[int], vals: dict[str, Any]) -> dict[str, Any]:
    """Odoo's ``stock.picking.write``: the key alone is refused once a picking left draft,
    even with the value it already has."""
    if "picking_type_id" in vals and not env.context.get("_stock_engine"):
        rows = env.sudo()[PICKING].read(ids, ["state"])
        if any(row["state"] != "draft" for row in rows):
            raise errors.UserError(
                "Changing the operation type of this record is forbidden at this point."
            )
    return vals


def _refuse_done_unlink(env: Env, ids: list[int]) -> None:
    """Odoo cancels the moves of a deleted transfer and deletes them; done moves cannot be
    cancelled, so a done transfer cannot be deleted."""
    for picking_id in ids:
        row = env[PICKING].row(picking_id)
        if picking_state(env, row) == "done":
            raise errors.UserError(
                "You cannot cancel a stock move that has been set to 'Done'. Create a return "
                "in order to reverse the moves which took place."
            )
    move_ids = sorted(
        move_id
        for picking_id in ids
        for move_id in env.store.referencing(MOVE, "picking_id", picking_id)
    )
    engine = env.sudo().with_context(_stock_engine=True)
    engine[MOVE].write(move_ids, {"state": "cancel"})
    engine[MOVE].unlink(move_ids)


def picking(profile: VersionProfile) -> ModelSpec:
    moves = f.one2many(MOVE, "picking_id", "Stock Moves", copy=True)
    fields: dict[str, f.Field] = {
        "name": f.char("Reference", default="/", copy=False),
        "origin": f.char("Source Document"),
        "note": f.text("Notes"),
        "partner_id": f.many2one("res.partner", "Contact"),
        "picking_type_id": f.many2one("stock.picking.type", "Operation Type", required=True),
        "picking_type_code": f.selection("Type of Operation", CODES, compute=_type_code),
        "location_id": f.many2one("stock.location", "Source Location", required=True),
        "location_dest_id": f.many2one("stock.location", "Destination Location", required=True),
        "state": f.selection("Status", PICKING_STATES, compute=picking_state),
        "move_type": f.selection(
            "Shipping Policy",
            [("direct", "As soon as possible"), ("one", "When all products are ready")],
            default="direct",
            required=True,
        ),
        "scheduled_date": f.datetime_field("Scheduled Date", default=lambda env: env.txn.now_text),
        "date_deadline": f.datetime_field("Deadline"),
        "date_done": f.datetime_field("Date of Transfer", copy=False),
        "move_ids": moves,
        "move_ids_without_package": f.one2many(MOVE, "picking_id", "Stock moves not in package"),
        "backorder_id": f.many2one(PICKING, "Back Order of", copy=False),
        "backorder_ids": f.one2many(PICKING, "backorder_id", "Back Orders"),
        "sale_id": f.many2one("sale.order", "Sales Order"),
        "carrier_id": f.many2one("delivery.carrier", "Carrier"),
        "carrier_tracking_ref": f.char("Tracking Reference", copy=False),
        "carrier_tracking_url": f.char("Tracking URL", compute=_tracking_url),
        "weight": f.floating("Weight", compute=_weight),
        "shipping_weight": f.floating("Weight for Shipping"),
        "priority": f.selection("Priority", [("0", "Normal"), ("1", "Urgent")], default="0"),
        "user_id": f.many2one("res.users", "Responsible", default=lambda env: env.uid),
        "is_locked": f.boolean("Is Locked", default=True),
        "company_id": company_field(required=True),
    }
    return ModelSpec(
        PICKING,
        "Transfer",
        fields,
        order="priority desc, scheduled_date, id desc",
        search_names=("name", "origin"),
        methods=picking_methods(profile),
        hooks=Hooks(
            prepare_create=_prepare,
            before_write=_refuse_type_change,
            before_unlink=_refuse_done_unlink,
        ),
    )
