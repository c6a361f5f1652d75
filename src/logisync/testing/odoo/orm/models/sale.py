"""Sales orders and their lines: fields per version and the amounts and statuses Odoo
computes from lines, deliveries and invoices (``sale_actions`` has the buttons)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm.models import sale_actions
from logisync.testing.odoo.orm.models import sale_compute as c
from logisync.testing.odoo.orm.models.company import company_field, currency_field
from logisync.testing.odoo.orm.models.sequences import NEW, next_number
from logisync.testing.odoo.orm.reading import field_value, one2many_ids
from logisync.testing.odoo.orm.spec import Hooks, ModelSpec
from logisync.testing.odoo.orm.versions import VersionProfile

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

LINE = c.LINE
INVOICE_STATUS = [
    ("upselling", "Upselling Opportunity"),
    ("invoiced", "Fully Invoiced"),
    ("to invoice", "To Invoice"),
    ("no", "Nothing to Invoice"),
]


def order_states(profile: VersionProfile) -> list[tuple[str, str]]:
    states = [("draft", "Quotation"), ("sent", "Quotation Sent"), ("sale", "Sales Order")]
    if profile.sale_has_done_state:
        states.append(("done", "Locked"))
    return [*states, ("cancel", "Cancelled")]


def _order_fields(profile: VersionProfile) -> dict[str, f.Field]:
    """The order's own fields; ``_order_links`` adds deliveries, invoices and statuses."""
    fields: dict[str, f.Field] = {
        "name": f.char("Order Reference", required=True, copy=False, default=NEW),
        "partner_id": f.many2one("res.partner", "Customer", required=True, ondelete="restrict"),
        "partner_invoice_id": f.many2one("res.partner", "Invoice Address"),
        "partner_shipping_id": f.many2one("res.partner", "Delivery Address"),
        "client_order_ref": f.char("Customer Reference", copy=False),
        "origin": f.char("Source Document"),
        "note": f.text("Terms and conditions"),
        "date_order": f.datetime_field(
            "Order Date", required=True, copy=False, default=lambda env: env.txn.now_text
        ),
        "commitment_date": f.datetime_field("Delivery Date", copy=False),
        "validity_date": f.date("Expiration"),
        "user_id": f.many2one("res.users", "Salesperson", default=lambda env: env.uid),
        "state": f.selection("Status", order_states(profile), default="draft", copy=False),
        "company_id": company_field(required=True),
        "currency_id": currency_field(),
        "order_line": f.one2many(LINE, "order_id", "Order Lines", copy=True),
        "amount_untaxed": f.monetary("Untaxed Amount", compute=c.amount("untaxed")),
        "amount_tax": f.monetary("Taxes", compute=c.amount("tax")),
        "amount_total": f.monetary("Total", compute=c.amount("total")),
    }
    if not profile.sale_has_done_state:
        fields["locked"] = f.boolean("Locked", copy=False)
    return fields


def _order_links(profile: VersionProfile) -> dict[str, f.Field]:
    return {
        "picking_ids": f.one2many("stock.picking", "sale_id", "Transfers"),
        "delivery_count": f.integer(
            "Delivery Orders",
            compute=lambda env, row: len(
                env.store.referencing("stock.picking", "sale_id", row["id"])
            ),
        ),
        "invoice_ids": f.many2many("account.move", "Invoices", compute=c.invoice_ids),
        "invoice_count": f.integer(
            "Invoice Count", compute=lambda env, row: len(c.invoice_ids(env, row))
        ),
        "invoice_status": f.selection(
            "Invoice Status",
            INVOICE_STATUS,
            compute=c.order_invoice_status,
        ),
        "delivery_status": f.selection(
            "Delivery Status", _delivery_states(profile), compute=c.delivery_status
        ),
        "picking_policy": f.selection(
            "Shipping Policy",
            [("direct", "As soon as possible"), ("one", "When all products are ready")],
            default="direct",
            required=True,
        ),
        "carrier_id": f.many2one("delivery.carrier", "Delivery Method"),
    }


def order(profile: VersionProfile) -> ModelSpec:
    return ModelSpec(
        "sale.order",
        "Sales Order",
        {**_order_fields(profile), **_order_links(profile)},
        order="date_order desc, id desc",
        search_names=("name", "client_order_ref"),
        methods=sale_actions.order_methods(profile),
        hooks=Hooks(prepare_create=_prepare_order, before_unlink=_refuse_confirmed_unlink),
    )


def _delivery_states(profile: VersionProfile) -> list[tuple[str, str]]:
    states = [("pending", "Not Delivered")]
    if profile.delivery_status_has_started:
        states.append(("started", "Started"))
    return [*states, ("partial", "Partially Delivered"), ("full", "Fully Delivered")]


def _prepare_order(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
    """The order number, and the invoice/delivery addresses from the customer."""
    vals = dict(vals)
    if not vals.get("name") or vals["name"] == NEW:
        vals["name"] = next_number(env, "sale.order", "S")
    if vals.get("partner_id"):
        vals.setdefault("partner_invoice_id", vals["partner_id"])
        vals.setdefault("partner_shipping_id", vals["partner_id"])
    return vals


def _refuse_confirmed_unlink(env: Env, ids: list[int]) -> None:
    for order_id in ids:
        if env["sale.order"].row(order_id).get("state") not in ("draft", "cancel"):
            raise errors.UserError(
                "You can not delete a sent quotation or a confirmed sales order. "
                "You must first cancel it."
            )


def line(profile: VersionProfile) -> ModelSpec:
    uom, tax = profile.sale_line_uom_field, profile.sale_line_tax_field
    fields: dict[str, f.Field] = {
        "order_id": f.many2one("sale.order", "Order Reference", required=True, ondelete="cascade"),
        "sequence": f.integer("Sequence", default=10),
        "name": f.text("Description", required=True),
        "product_id": f.many2one("product.product", "Product", ondelete="restrict"),
        "product_uom_qty": f.floating("Quantity", default=1.0),
        uom: f.many2one("uom.uom", "Unit of Measure"),
        "price_unit": f.floating("Unit Price"),
        "discount": f.floating("Discount (%)"),
        tax: f.many2many("account.tax", "Taxes"),
        "price_subtotal": f.monetary("Subtotal", compute=c.line_subtotal),
        "price_tax": f.floating("Total Tax", compute=c.line_tax),
        "price_total": f.monetary(
            "Total", compute=lambda env, row: c.line_subtotal(env, row) + c.line_tax(env, row)
        ),
        "qty_delivered": f.floating(
            "Delivery Quantity", compute=c.qty_delivered, inverse=_set_manual_delivered
        ),
        "qty_delivered_manual": f.floating("Delivered Manually", copy=False),
        "qty_invoiced": f.floating("Invoiced Quantity", compute=c.qty_invoiced),
        "qty_to_invoice": f.floating("Quantity To Invoice", compute=c.qty_to_invoice),
        "invoice_lines": f.many2many("account.move.line", "Invoice Lines", compute=c.invoice_lines),
        "invoice_status": f.selection(
            "Invoice Status",
            INVOICE_STATUS,
            compute=c.line_invoice_status,
        ),
        "state": f.selection("Order Status", order_states(profile), compute=c.order_state),
        "move_ids": f.one2many("stock.move", "sale_line_id", "Stock Moves"),
        "customer_lead": f.floating("Lead Time"),
        "company_id": company_field(),
    }
    return ModelSpec(
        LINE,
        "Sales Order Line",
        fields,
        order="order_id, sequence, id",
        hooks=Hooks(prepare_create=_prepare_line),
        display=_line_display,
    )


def _set_manual_delivered(env: Env, line_id: int, value: Any) -> None:
    env.store.update(LINE, line_id, {"qty_delivered_manual": float(value or 0.0)})


def _line_display(env: Env, row: f.Row) -> str:
    order_row = env.store.get("sale.order", row.get("order_id") or 0) or {}
    first = str(row.get("name") or "").split("\n")[0]
    return f"{order_row.get('name', '')} - {first}"


def _prepare_line(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
    """What Odoo's line computes from the product when not given: description, unit and
    price."""
    vals = dict(vals)
    product_id = vals.get("product_id")
    product = env.store.get("product.product", product_id) if product_id else None
    if product is None:
        return vals
    uom = env.profile.sale_line_uom_field
    if not vals.get("name"):
        vals["name"] = field_value(env, "product.product", product, "display_name")
    if not vals.get(uom):
        vals[uom] = field_value(env, "product.product", product, "uom_id")
    if "price_unit" not in vals:
        vals["price_unit"] = field_value(env, "product.product", product, "list_price")
    return vals


def cancel_wizard() -> ModelSpec:
    return ModelSpec(
        "sale.order.cancel",
        "Sales Order Cancel",
        {"order_id": f.many2one("sale.order", "Sale Order", required=True, ondelete="cascade")},
        rec_name=None,
        transient=True,
        methods=sale_actions.cancel_wizard_methods(),
    )


def sale_models(profile: VersionProfile) -> list[ModelSpec]:
    specs = [order(profile), line(profile)]
    if profile.sale_cancel_uses_wizard:
        specs.append(cancel_wizard())
    return specs


def order_lines(env: Env, order_id: int) -> list[int]:
    return one2many_ids(env, env.spec("sale.order").fields["order_line"], order_id)
