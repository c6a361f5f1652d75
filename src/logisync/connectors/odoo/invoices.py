"""Invoices -> ``account.move`` (customer invoices), posted in Odoo when the canonical
invoice is posted. Posting is done once: a posted move is never posted again, and the hub
does not change an invoice's lines after it is posted (Odoo would refuse)."""

from __future__ import annotations

from logisync.connectors.odoo.documents import Action, DocumentWriter
from logisync.connectors.odoo.records import EntityState, amount, known
from logisync.model.lifecycle import LIFECYCLES

_STATUS = LIFECYCLES["invoice"]
_POSTED = _STATUS.rank("posted")


class InvoiceWriter(DocumentWriter):
    domain = "invoice"
    model = "account.move"
    lines_field = "invoice_line_ids"
    open_states = ("draft",)

    def header(self, entity: EntityState) -> dict[str, str]:
        state = entity.state
        partner = self.customer(entity, "partner_ref")
        return known(
            {
                "id": self.xmlid("invoice", entity.key),
                "move_type": "out_invoice",
                "partner_id/.id": partner,
                "ref": entity.key,
                "invoice_origin": state.get("order_number"),
                "invoice_date": state.get("issued_on"),
                "invoice_date_due": state.get("due_on"),
            }
        )

    def lines(self, entity: EntityState) -> list[dict[str, str]]:
        lines = entity.state.get("lines") or []
        skus = [str(line["sku"]) for line in lines if line.get("sku")]
        products = self._ids.require("product.product", "default_code", skus) if skus else {}
        return [
            known(
                {
                    "invoice_line_ids/id": self.xmlid("invoice_line", f"{entity.key}/{number}"),
                    "invoice_line_ids/product_id/.id": products.get(str(line.get("sku"))),
                    "invoice_line_ids/name": line["description"],
                    "invoice_line_ids/quantity": amount(line["quantity"]),
                    "invoice_line_ids/price_unit": amount(line["unit_price"]),
                }
            )
            for number, line in enumerate(lines, start=1)
        ]

    def action(self, entity: EntityState, odoo_state: str) -> Action | str | None:
        status = entity.state.get("status")
        if status == "cancelled":
            return None if odoo_state == "cancel" else ("button_cancel", {})
        if odoo_state == "cancel" and _STATUS.rank(status) >= _POSTED:
            return f"cancelled in Odoo but {status!r} here: resolve it in Odoo, then replay"
        if _STATUS.rank(status) < _POSTED or odoo_state != "draft":
            return None
        return ("action_post", {})
