"""Invoicing sales orders: the ``sale.advance.payment.inv`` wizard ("Create Invoice").

``sale.order._create_invoices`` is private, so integrations create this wizard with
context ``{'active_model': 'sale.order', 'active_ids': [...]}`` and call
``create_invoices``. A regular invoice bills each line's quantity to invoice (ordered or
delivered, per the product's invoicing policy, minus what is already invoiced); orders of
the same invoice address share one draft invoice, as Odoo groups them. Nothing to invoice
is a UserError with the version's wording. Down payments are not simulated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm import xmlids
from logisync.testing.odoo.orm.models import sale_compute as c
from logisync.testing.odoo.orm.spec import ModelSpec, record_method
from logisync.testing.odoo.orm.versions import VersionProfile

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

WIZARD = "sale.advance.payment.inv"
INVOICE_FORM_VIEW_ID = 1181


def nothing_to_invoice(profile: VersionProfile) -> str:
    if profile.version == 16:
        return (
            "There is nothing to invoice!\n\n"
            "Reason(s) of this behavior could be:\n"
            "- You should deliver your products before invoicing them.\n"
            "- You should modify the invoicing policy of your product: Open the product, go to "
            'the "Sales" tab and modify invoicing policy from "delivered quantities" to '
            '"ordered quantities". For Services, you should modify the Service Invoicing '
            "Policy to 'Prepaid'."
        )
    return (
        "Cannot create an invoice. No items are available to invoice.\n\n"
        "To resolve this issue, please ensure that:\n"
        "   \u2022 The products have been delivered before attempting to invoice them.\n"
        "   \u2022 The invoicing policy of the product is configured correctly.\n\n"
        "If you want to invoice based on ordered quantities instead:\n"
        "   \u2022 For consumable or storable products, open the product, go to the 'General "
        "Information' tab and change the 'Invoicing Policy' from 'Delivered Quantities' to "
        "'Ordered Quantities'.\n"
        "   \u2022 For services (and other products), change the 'Invoicing Policy' to "
        "'Prepaid/Fixed Price'.\n"
    )


def _invoice_line(env: Env, line: dict[str, Any], quantity: float) -> dict[str, Any]:
    taxes = line.get(env.profile.sale_line_tax_field) or []
    return {
        "product_id": line.get("product_id") or False,
        "name": line.get("name") or "",
        "quantity": quantity,
        "price_unit": line.get("price_unit") or 0.0,
        "discount": line.get("discount") or 0.0,
        "tax_ids": [(6, 0, list(taxes))],
        "sale_line_ids": [(6, 0, [line["id"]])],
    }


def create_invoices(env: Env, model: str, ids: list[int]) -> Any:
    invoices: list[int] = []
    for wizard_id in ids:
        wizard = env[model].row(wizard_id)
        if wizard.get("advance_payment_method") != "delivered":
            raise errors.UserError("Only regular invoices are simulated, not down payments.")
        invoices += _invoice_orders(env, list(wizard.get("sale_order_ids") or []))
    if env.version == 16 and not env.context.get("open_invoices"):
        return {"type": "ir.actions.act_window_close"}
    return _view_invoices(invoices)


def _invoice_orders(env: Env, order_ids: list[int]) -> list[int]:
    """Draft invoices, one per invoice address, for what the orders have to invoice."""
    groups: dict[int, list[tuple[dict[str, Any], list[Any]]]] = {}
    for order_id in order_ids:
        order = env["sale.order"].row(order_id)
        lines = [
            (0, 0, _invoice_line(env, line, quantity))
            for line in c.lines(env, order_id)
            if abs(quantity := c.qty_to_invoice(env, line)) > 1e-6
        ]
        if lines:
            partner = order.get("partner_invoice_id") or order["partner_id"]
            groups.setdefault(partner, []).append((order, lines))
    if not groups:
        raise errors.UserError(nothing_to_invoice(env.profile))
    journal = xmlids.record_id(env, "account.sale_journal", "account.journal") or False
    invoices = []
    for partner, orders in groups.items():
        invoices.append(
            env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner,
                    "journal_id": journal,
                    "invoice_origin": ", ".join(str(o.get("name")) for o, _l in orders),
                    "ref": ", ".join(
                        str(o["client_order_ref"]) for o, _l in orders if o.get("client_order_ref")
                    )
                    or False,
                    "invoice_line_ids": [cmd for _o, lines in orders for cmd in lines],
                }
            )
        )
    return invoices


def _view_invoices(invoices: list[int]) -> dict[str, Any]:
    """``sale.order.action_view_invoice``: the invoice's form, or a list of several."""
    action: dict[str, Any] = {
        "name": "Invoices",
        "type": "ir.actions.act_window",
        "res_model": "account.move",
        "context": {"default_move_type": "out_invoice"},
    }
    if len(invoices) == 1:
        action.update(view_mode="form", views=[[INVOICE_FORM_VIEW_ID, "form"]], res_id=invoices[0])
    else:
        action.update(view_mode="list,form", domain=[["id", "in", invoices]])
    return action


def wizard() -> ModelSpec:
    return ModelSpec(
        WIZARD,
        "Sales Advance Payment Invoice",
        {
            "advance_payment_method": f.selection(
                "Create Invoice",
                [
                    ("delivered", "Regular invoice"),
                    ("percentage", "Down payment (percentage)"),
                    ("fixed", "Down payment (fixed amount)"),
                ],
                default="delivered",
                required=True,
            ),
            "sale_order_ids": f.many2many(
                "sale.order",
                "Sales Orders",
                default=lambda env: [(6, 0, list(env.context.get("active_ids") or []))],
            ),
            "deduct_down_payments": f.boolean("Deduct down payments", default=True),
        },
        rec_name=None,
        transient=True,
        methods={"create_invoices": record_method(create_invoices)},
    )
