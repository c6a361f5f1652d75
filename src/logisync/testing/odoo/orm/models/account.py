"""Invoicing: taxes, journals, invoices and credit notes (``account.move``) with their lines.

An invoice gets its number when it is posted ("INV/2026/00001", "RINV/..." for credit
notes), the next after the highest posted number of its journal and year, as Odoo's
sequence mixin does; ``action_post`` answers ``False``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm import xmlids
from logisync.testing.odoo.orm.models.company import company_field, currency_field
from logisync.testing.odoo.orm.spec import Hooks, Method, ModelSpec, record_method
from logisync.testing.odoo.orm.versions import VersionProfile

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

MOVE = "account.move"
LINE = "account.move.line"
MOVE_TYPES = [
    ("entry", "Journal Entry"),
    ("out_invoice", "Customer Invoice"),
    ("out_refund", "Customer Credit Note"),
    ("in_invoice", "Vendor Bill"),
    ("in_refund", "Vendor Credit Note"),
    ("out_receipt", "Sales Receipt"),
    ("in_receipt", "Purchase Receipt"),
]
SALE_TYPES = ("out_invoice", "out_refund", "out_receipt")


def line_subtotal(env: Env, line: f.Row) -> float:
    qty = float(line.get("quantity") or 0.0)
    price = float(line.get("price_unit") or 0.0)
    return round(qty * price * (1 - float(line.get("discount") or 0.0) / 100), 2)


def line_tax(env: Env, line: f.Row) -> float:
    rate = sum(
        float((env.store.get("account.tax", t) or {}).get("amount") or 0.0)
        for t in line.get("tax_ids") or []
    )
    return round(line_subtotal(env, line) * rate / 100, 2)


def _move_lines(env: Env, move_id: int) -> list[f.Row]:
    ids = sorted(env.store.referencing(LINE, "move_id", move_id))
    return [row for row in (env.store.get(LINE, i) for i in ids) if row is not None]


def _amount(kind: str) -> f.Compute:
    def compute(env: Env, move: f.Row) -> float:
        lines = _move_lines(env, move["id"])
        untaxed = sum(line_subtotal(env, line) for line in lines)
        tax = sum(line_tax(env, line) for line in lines)
        total = untaxed + tax
        if kind == "residual":
            return 0.0 if move.get("payment_state") in ("paid", "in_payment") else total
        return round({"untaxed": untaxed, "tax": tax, "total": total}[kind], 2)

    return compute


def payment_states(profile: VersionProfile) -> list[tuple[str, str]]:
    states = [
        ("not_paid", "Not Paid"),
        ("in_payment", "In Payment"),
        ("paid", "Paid"),
        ("partial", "Partially Paid"),
        ("reversed", "Reversed"),
    ]
    if profile.payment_state_has_blocked:
        states.append(("blocked", "Blocked"))
    return [*states, ("invoicing_legacy", "Invoicing App Legacy")]


def _with_journal(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
    """The journal follows the move type when none is given (Odoo computes it so)."""
    if vals.get("journal_id"):
        return vals
    kind = vals.get("move_type", "entry")
    xmlid = "account.sale_journal" if kind in SALE_TYPES else "account.general_journal"
    return {**vals, "journal_id": xmlids.record_id(env, xmlid, "account.journal") or False}


def next_invoice_name(env: Env, move: f.Row) -> str:
    """The next number of the move's journal and year, after the highest posted one."""
    journal = env.store.get("account.journal", move.get("journal_id") or 0) or {}
    code = str(journal.get("code") or "MISC")
    prefix = f"R{code}" if move.get("move_type") in ("out_refund", "in_refund") else code
    year = str(move.get("invoice_date") or move.get("date") or env.txn.now_text)[:4]
    pattern = re.compile(rf"^{re.escape(prefix)}/{year}/([0-9]+)$")
    highest = 0
    for row in env.store.rows(MOVE):
        found = pattern.match(str(row.get("name") or ""))
        if found and row.get("state") == "posted":
            highest = max(highest, int(found.group(1)))
    return f"{prefix}/{year}/{highest + 1:05d}"


def action_post(env: Env, model: str, ids: list[int]) -> bool:
    """Post drafts; answers False, as Odoo's ``action_post`` does."""
    for move_id in ids:
        move = env[MOVE].row(move_id)
        if move.get("state") != "draft":
            name, state = move.get("name"), move.get("state")
            if env.version == 16 and state == "posted":
                raise errors.UserError(f"The entry {name} (id {move_id}) is already posted.")
            raise errors.UserError(f"The entry {name} (id {move_id}) must be in draft.")
        if move.get("move_type") in SALE_TYPES and not move.get("partner_id"):
            raise errors.UserError(
                "The field 'Customer' is required, please complete it to validate the "
                "Customer Invoice."
            )
        if not _move_lines(env, move_id):
            raise errors.UserError("You need to add a line before posting.")
        values: dict[str, Any] = {"state": "posted"}
        if move.get("move_type") != "entry" and not move.get("invoice_date"):
            values["invoice_date"] = env.txn.now_text[:10]
            move = {**move, "invoice_date": values["invoice_date"]}
        if not move.get("name") or move.get("name") == "/":
            values["name"] = next_invoice_name(env, move)
        env[MOVE].write([move_id], values)
    return False


def button_draft(env: Env, model: str, ids: list[int]) -> None:
    for move_id in ids:
        if env[MOVE].row(move_id).get("state") not in ("posted", "cancel"):
            raise errors.UserError("Only posted/cancelled journal entries can be reset to draft.")
    env[MOVE].write(ids, {"state": "draft"})


def button_cancel(env: Env, model: str, ids: list[int]) -> None:
    posted = [i for i in ids if env[MOVE].row(i).get("state") == "posted"]
    button_draft(env, model, posted)
    if any(env[MOVE].row(i).get("state") != "draft" for i in ids):
        raise errors.UserError("Only draft journal entries can be cancelled.")
    env[MOVE].write(ids, {"state": "cancel"})


def _refuse_posted_unlink(env: Env, ids: list[int]) -> None:
    for move_id in ids:
        if env[MOVE].row(move_id).get("state") == "posted":
            raise errors.UserError("You cannot delete an item linked to a posted entry.")


def move(profile: VersionProfile) -> ModelSpec:
    lines = f.one2many(LINE, "move_id", "Invoice lines", copy=True)
    fields: dict[str, f.Field] = {
        "name": f.char("Number", default="/", copy=False),
        "move_type": f.selection("Type", MOVE_TYPES, default="entry", required=True),
        "state": f.selection(
            "Status",
            [("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")],
            default="draft",
            copy=False,
        ),
        "journal_id": f.many2one("account.journal", "Journal"),
        "partner_id": f.many2one("res.partner", "Partner", ondelete="restrict"),
        "date": f.date("Date", default=lambda env: env.txn.now_text[:10], copy=False),
        "invoice_date": f.date("Invoice/Bill Date", copy=False),
        "invoice_date_due": f.date("Due Date"),
        "invoice_origin": f.char("Origin"),
        "ref": f.char("Reference", copy=False),
        "payment_reference": f.char("Payment Reference", copy=False),
        "narration": f.text("Terms and Conditions"),
        "invoice_line_ids": lines,
        "line_ids": f.one2many(LINE, "move_id", "Journal Items"),
        "amount_untaxed": f.monetary("Untaxed Amount", compute=_amount("untaxed")),
        "amount_tax": f.monetary("Tax", compute=_amount("tax")),
        "amount_total": f.monetary("Total", compute=_amount("total")),
        "amount_residual": f.monetary("Amount Due", compute=_amount("residual")),
        "company_id": company_field(required=True),
        "currency_id": currency_field(),
        "payment_state": f.selection(
            "Payment Status", payment_states(profile), default="not_paid", copy=False
        ),
    }
    return ModelSpec(
        MOVE,
        "Journal Entry",
        fields,
        order="date desc, name desc, id desc",
        search_names=("name", "ref"),
        methods=_move_methods(),
        hooks=Hooks(prepare_create=_with_journal, before_unlink=_refuse_posted_unlink),
    )


def _move_methods() -> dict[str, Method]:
    return {
        "action_post": record_method(action_post),
        "button_draft": record_method(button_draft),
        "button_cancel": record_method(button_cancel),
    }


def move_line() -> ModelSpec:
    return ModelSpec(
        LINE,
        "Journal Item",
        {
            "move_id": f.many2one(MOVE, "Journal Entry", required=True, ondelete="cascade"),
            "name": f.char("Label"),
            "product_id": f.many2one("product.product", "Product", ondelete="restrict"),
            "quantity": f.floating("Quantity", default=1.0),
            "price_unit": f.floating("Unit Price"),
            "discount": f.floating("Discount (%)"),
            "tax_ids": f.many2many("account.tax", "Taxes"),
            "price_subtotal": f.monetary("Subtotal", compute=line_subtotal),
            "price_total": f.monetary(
                "Total", compute=lambda env, row: line_subtotal(env, row) + line_tax(env, row)
            ),
            "sale_line_ids": f.many2many("sale.order.line", "Sales Order Lines", copy=False),
            "display_type": f.selection(
                "Display Type",
                [("product", "Product"), ("line_section", "Section"), ("line_note", "Note")],
                default="product",
            ),
        },
        rec_name="name",
        order="move_id, id",
    )


def tax() -> ModelSpec:
    return ModelSpec(
        "account.tax",
        "Tax",
        {
            "name": f.char("Tax Name", required=True),
            "amount": f.floating("Amount"),
            "amount_type": f.selection(
                "Tax Computation", [("percent", "Percentage of Price")], default="percent"
            ),
            "type_tax_use": f.selection(
                "Tax Type",
                [("sale", "Sales"), ("purchase", "Purchases"), ("none", "None")],
                default="sale",
            ),
            "active": f.boolean("Active", default=True),
            "company_id": company_field(required=True),
        },
        order="name, id",
    )


def journal() -> ModelSpec:
    return ModelSpec(
        "account.journal",
        "Journal",
        {
            "name": f.char("Journal Name", required=True),
            "code": f.char("Short Code", required=True),
            "type": f.selection(
                "Type",
                [("sale", "Sales"), ("purchase", "Purchase"), ("general", "Miscellaneous")],
                required=True,
            ),
            "active": f.boolean("Active", default=True),
            "company_id": company_field(required=True),
        },
        order="code, id",
    )


def account_models(profile: VersionProfile) -> list[ModelSpec]:
    return [move(profile), move_line(), tax(), journal()]
