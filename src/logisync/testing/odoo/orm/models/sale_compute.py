"""What a sales order computes from its lines, deliveries and invoices: amounts, delivered
and invoiced quantities, invoice and delivery statuses (Odoo's computed fields)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm.models.stock_moves import done_quantity
from logisync.testing.odoo.orm.reading import field_value

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

LINE = "sale.order.line"
CONFIRMED = ("sale", "done")


def lines(env: Env, order_id: int) -> list[f.Row]:
    ids = sorted(env.store.referencing(LINE, "order_id", order_id))
    return [row for row in (env.store.get(LINE, i) for i in ids) if row is not None]


def tax_rate(env: Env, line: f.Row) -> float:
    rate = 0.0
    for tax_id in line.get(env.profile.sale_line_tax_field) or []:
        rate += float((env.store.get("account.tax", tax_id) or {}).get("amount") or 0.0)
    return rate


def line_subtotal(env: Env, line: f.Row) -> float:
    qty = float(line.get("product_uom_qty") or 0.0)
    price = float(line.get("price_unit") or 0.0)
    return round(qty * price * (1 - float(line.get("discount") or 0.0) / 100), 2)


def line_tax(env: Env, line: f.Row) -> float:
    return round(line_subtotal(env, line) * tax_rate(env, line) / 100, 2)


def order_state(env: Env, line: f.Row) -> Any:
    return (env.store.get("sale.order", line.get("order_id") or 0) or {}).get("state", False)


def product_kind(env: Env, product_id: int) -> tuple[str, bool]:
    """(type, storable) of a product in any version."""
    row = env.store.get("product.product", product_id)
    if row is None:
        return ("service", False)
    kind = field_value(env, "product.product", row, "type") or "consu"
    if env.profile.product_has_detailed_type:
        return (kind, kind == "product")
    return (kind, bool(field_value(env, "product.product", row, "is_storable")))


def qty_delivered(env: Env, line: f.Row) -> float:
    """Done outgoing moves for goods; the manual figure for services."""
    kind, _storable = product_kind(env, line.get("product_id") or 0)
    if kind == "service" or not line.get("product_id"):
        return float(line.get("qty_delivered_manual") or 0.0)
    total = 0.0
    for move_id in env.store.referencing("stock.move", "sale_line_id", line["id"]):
        move = env.store.get("stock.move", move_id) or {}
        if move.get("state") == "done":
            total += done_quantity(env, move)
    return total


def invoice_lines(env: Env, line: f.Row) -> list[int]:
    """Invoice lines that bill this order line (their ``sale_line_ids`` name it)."""
    return [
        row["id"]
        for row in env.store.rows("account.move.line")
        if line["id"] in (row.get("sale_line_ids") or [])
    ]


def qty_invoiced(env: Env, line: f.Row) -> float:
    total = 0.0
    for line_id in invoice_lines(env, line):
        invoice_line = env.store.get("account.move.line", line_id) or {}
        move = env.store.get("account.move", invoice_line.get("move_id") or 0) or {}
        if move.get("state") == "cancel":
            continue
        sign = -1.0 if move.get("move_type") == "out_refund" else 1.0
        total += sign * float(invoice_line.get("quantity") or 0.0)
    return total


def qty_to_invoice(env: Env, line: f.Row) -> float:
    if order_state(env, line) not in CONFIRMED:
        return 0.0
    product = env.store.get("product.product", line.get("product_id") or 0)
    policy = field_value(env, "product.product", product, "invoice_policy") if product else "order"
    basis = (
        float(line.get("product_uom_qty") or 0.0) if policy == "order" else qty_delivered(env, line)
    )
    return basis - qty_invoiced(env, line)


def line_invoice_status(env: Env, line: f.Row) -> str:
    if order_state(env, line) not in CONFIRMED:
        return "no"
    if abs(qty_to_invoice(env, line)) > 1e-6:
        return "to invoice"
    ordered = float(line.get("product_uom_qty") or 0.0)
    product = env.store.get("product.product", line.get("product_id") or 0)
    policy = field_value(env, "product.product", product, "invoice_policy") if product else "order"
    if policy == "order" and qty_delivered(env, line) > ordered >= 0:
        return "upselling"
    if qty_invoiced(env, line) >= ordered:
        return "invoiced"
    return "no"


def order_invoice_status(env: Env, order: f.Row) -> str:
    if order.get("state") not in CONFIRMED:
        return "no"
    statuses = [line_invoice_status(env, line) for line in lines(env, order["id"])]
    if any(status == "to invoice" for status in statuses):
        return "to invoice"
    if statuses and all(status == "invoiced" for status in statuses):
        return "invoiced"
    if statuses and all(status in ("invoiced", "upselling") for status in statuses):
        return "upselling"
    return "no"


def delivery_status(env: Env, order: f.Row) -> Any:
    states = [
        env["stock.picking"].value(i, "state")
        for i in env.store.referencing("stock.picking", "sale_id", order["id"])
    ]
    if not states or all(state == "cancel" for state in states):
        return False
    if all(state in ("done", "cancel") for state in states):
        return "full"
    if any(state == "done" for state in states):
        delivered = any(qty_delivered(env, line) for line in lines(env, order["id"]))
        if delivered or not env.profile.delivery_status_has_started:
            return "partial"
        return "started"
    return "pending"


def invoice_ids(env: Env, order: f.Row) -> list[int]:
    moves: set[int] = set()
    for line in lines(env, order["id"]):
        for line_id in invoice_lines(env, line):
            move_id = (env.store.get("account.move.line", line_id) or {}).get("move_id")
            if move_id:
                moves.add(move_id)
    return sorted(moves)


def amount(kind: str) -> f.Compute:
    def compute(env: Env, order: f.Row) -> float:
        order_lines = lines(env, order["id"])
        untaxed = sum(line_subtotal(env, line) for line in order_lines)
        tax = sum(line_tax(env, line) for line in order_lines)
        return round({"untaxed": untaxed, "tax": tax, "total": untaxed + tax}[kind], 2)

    return compute
