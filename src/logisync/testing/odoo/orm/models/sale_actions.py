"""A sales order's buttons: confirm, cancel, back to quotation, lock and unlock.

``action_confirm`` launches the delivery as ``sale_stock`` does: one outgoing transfer per
order (reused while it is open), one move per line of goods for the quantity not yet
covered by a move, confirmed and reserved at once. Cancelling differs by version (see
``VersionProfile.sale_cancel_uses_wizard``); some buttons answer ``None`` as in Odoo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import xmlids
from logisync.testing.odoo.orm.models import sale_compute as c
from logisync.testing.odoo.orm.models.stock_flow import action_cancel as cancel_pickings
from logisync.testing.odoo.orm.models.stock_flow import action_confirm as confirm_pickings
from logisync.testing.odoo.orm.reading import name_of
from logisync.testing.odoo.orm.spec import Method, record_method
from logisync.testing.odoo.orm.versions import VersionProfile

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

ORDER = "sale.order"
CANCEL_VIEW_ID = 1171


def action_confirm(env: Env, model: str, ids: list[int]) -> bool:
    for order_id in ids:
        state = env[ORDER].row(order_id).get("state")
        refused = (
            state in ("done", "cancel") if env.version == 16 else state not in ("draft", "sent")
        )
        if refused:
            names = [name_of(env, ORDER, i) for i in ids]
            raise errors.UserError(env.profile.confirm_refused_message(names))
    env[ORDER].write(ids, {"state": "sale", "date_order": env.txn.now_text})
    for order_id in ids:
        launch_delivery(env, order_id)
    return True


def _needs_delivery(env: Env, line: dict[str, Any]) -> bool:
    if not line.get("product_id"):
        return False
    kind, _storable = c.product_kind(env, line["product_id"])
    return kind in ("consu", "product")


def launch_delivery(env: Env, order_id: int) -> None:
    """Moves for what the lines of goods still need, in the order's open delivery."""
    system = env.sudo()
    order = env[ORDER].row(order_id)
    picking_id = None
    for line in c.lines(env, order_id):
        if not _needs_delivery(env, line):
            continue
        covered = sum(
            float((env.store.get("stock.move", m) or {}).get("product_uom_qty") or 0.0)
            for m in env.store.referencing("stock.move", "sale_line_id", line["id"])
            if (env.store.get("stock.move", m) or {}).get("state") != "cancel"
        )
        missing = float(line.get("product_uom_qty") or 0.0) - covered
        if missing <= 0:
            continue
        if picking_id is None:
            picking_id = _open_delivery(env, order)
        system["stock.move"].create(
            {
                "picking_id": picking_id,
                "product_id": line["product_id"],
                "product_uom_qty": missing,
                "sale_line_id": line["id"],
                "name": str(line.get("name") or ""),
                "origin": order.get("name"),
            }
        )
    if picking_id is not None:
        confirm_pickings(system, "stock.picking", [picking_id])


def _open_delivery(env: Env, order: dict[str, Any]) -> int:
    for picking_id in sorted(env.store.referencing("stock.picking", "sale_id", order["id"])):
        if env["stock.picking"].value(picking_id, "state") not in ("done", "cancel"):
            return picking_id
    kind = xmlids.record_id(env, "stock.picking_type_out", "stock.picking.type")
    return env.sudo()["stock.picking"].create(
        {
            "picking_type_id": kind,
            "partner_id": order.get("partner_shipping_id") or order.get("partner_id"),
            "origin": order.get("name"),
            "sale_id": order["id"],
            "scheduled_date": order.get("commitment_date") or order.get("date_order"),
            "carrier_id": order.get("carrier_id") or False,
            "move_type": "one" if order.get("picking_policy") == "one" else "direct",
        }
    )


def action_cancel(env: Env, model: str, ids: list[int]) -> Any:
    rows = [env[ORDER].row(i) for i in ids]
    if not env.profile.sale_has_done_state and any(row.get("locked") for row in rows):
        raise errors.UserError("You cannot cancel a locked order. Please unlock it first.")
    warn = not env.context.get("disable_cancel_warning") and any(
        row.get("state") != "draft" for row in rows
    )
    if env.profile.sale_cancel_uses_wizard and warn:
        if len(ids) != 1:
            raise errors.ServerValueError(f"Expected singleton: {ORDER}{tuple(ids)}")
        return _cancel_wizard_action(env, rows[0])
    return _do_cancel(env, ids)


def _do_cancel(env: Env, ids: list[int]) -> bool:
    """Cancel draft invoices and open deliveries, then the orders."""
    for order_id in ids:
        for move_id in c.invoice_ids(env, env[ORDER].row(order_id)):
            if (env.store.get("account.move", move_id) or {}).get("state") == "draft":
                env["account.move"].write([move_id], {"state": "cancel"})
        open_pickings = [
            p
            for p in sorted(env.store.referencing("stock.picking", "sale_id", order_id))
            if env["stock.picking"].value(p, "state") != "done"
        ]
        cancel_pickings(env.sudo(), "stock.picking", open_pickings)
    env[ORDER].write(ids, {"state": "cancel"})
    return True


def _cancel_wizard_action(env: Env, order: dict[str, Any]) -> dict[str, Any]:
    type_name = "Quotation" if order.get("state") in ("draft", "sent", "cancel") else "Sales Order"
    context: dict[str, Any] = {
        "default_template_id": False,
        "default_order_id": order["id"],
        "mark_so_as_canceled": True,
        "default_email_layout_xmlid": "mail.mail_notification_layout_with_responsible_signature",
        "model_description": type_name,
    }
    if env.version == 16:
        context = {"default_use_template": False, **context}
    return {
        "name": f"Cancel {type_name}",
        "view_mode": "form",
        "res_model": "sale.order.cancel",
        "view_id": CANCEL_VIEW_ID,
        "type": "ir.actions.act_window",
        "context": context,
        "target": "new",
    }


def action_draft(env: Env, model: str, ids: list[int]) -> bool:
    drafts = [i for i in ids if env[ORDER].row(i).get("state") in ("cancel", "sent")]
    env[ORDER].write(drafts, {"state": "draft"})
    return True


def action_done(env: Env, model: str, ids: list[int]) -> None:
    """16's "Lock": state ``done``; answers None like Odoo's method."""
    env[ORDER].write(ids, {"state": "done"})


def action_unlock_16(env: Env, model: str, ids: list[int]) -> None:
    env[ORDER].write(ids, {"state": "sale"})


def action_lock(env: Env, model: str, ids: list[int]) -> None:
    env[ORDER].write(ids, {"locked": True})


def action_unlock(env: Env, model: str, ids: list[int]) -> None:
    env[ORDER].write(ids, {"locked": False})


def order_methods(profile: VersionProfile) -> dict[str, Method]:
    methods = {
        "action_confirm": record_method(action_confirm),
        "action_cancel": record_method(action_cancel),
        "action_draft": record_method(action_draft),
    }
    if profile.sale_has_done_state:
        methods["action_done"] = record_method(action_done)
        methods["action_unlock"] = record_method(action_unlock_16)
    else:
        methods["action_lock"] = record_method(action_lock)
        methods["action_unlock"] = record_method(action_unlock)
    return methods


def wizard_cancel(env: Env, model: str, ids: list[int]) -> Any:
    """``sale.order.cancel.action_cancel``: cancel without asking again."""
    orders = [env[model].row(i)["order_id"] for i in ids]
    return action_cancel(env.with_context(disable_cancel_warning=True), ORDER, orders)


def cancel_wizard_methods() -> dict[str, Method]:
    return {"action_cancel": record_method(wizard_cancel)}
