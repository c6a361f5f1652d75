"""Sales orders -> ``sale.order``: the customer and lines, confirmed or cancelled in Odoo
when the canonical order is.

The customer is found by its partner ``ref`` (``customer_ref``) and each line's product by
``default_code``; lines are named after the order number and line number, so they can be
changed while the order is a quotation and are left alone after.
"""

from __future__ import annotations

from logisync.connectors.odoo.documents import Action, DocumentWriter
from logisync.connectors.odoo.records import EntityState, amount, known, odoo_datetime
from logisync.model.lifecycle import LIFECYCLES

_STATUS = LIFECYCLES["sales_order"]
_CONFIRMED = _STATUS.rank("confirmed")


class SalesOrderWriter(DocumentWriter):
    domain = "sales_order"
    model = "sale.order"
    lines_field = "order_line"
    open_states = ("draft", "sent")

    def header(self, entity: EntityState) -> dict[str, str]:
        state = entity.state
        partner = self.customer(entity, "customer_ref")
        return known(
            {
                "id": self.xmlid("sales_order", entity.key),
                "client_order_ref": entity.key,
                "partner_id/.id": partner,
                "date_order": odoo_datetime(state.get("ordered_at")),
                "commitment_date": (
                    f"{state['requested_date']} 00:00:00" if state.get("requested_date") else None
                ),
            }
        )

    def lines(self, entity: EntityState) -> list[dict[str, str]]:
        lines = entity.state.get("lines") or []
        skus = [str(line["sku"]) for line in lines]
        products = self._ids.require("product.product", "default_code", skus)
        return [
            known(
                {
                    "order_line/id": self.xmlid(
                        "sales_order_line", f"{entity.key}/{line['line_no']}"
                    ),
                    "order_line/product_id/.id": products[str(line["sku"])],
                    "order_line/name": line.get("description") or line["sku"],
                    "order_line/product_uom_qty": amount(line["quantity"]),
                    "order_line/price_unit": (
                        amount(line["unit_price"]) if line.get("unit_price") else None
                    ),
                }
            )
            for line in lines
        ]

    def action(self, entity: EntityState, odoo_state: str) -> Action | str | None:
        status = entity.state.get("status")
        if status == "cancelled":
            if odoo_state == "cancel":
                return None
            # 16-18 answer a cancel of a confirmed order with a wizard unless told not to.
            return ("action_cancel", {"disable_cancel_warning": True})
        if _STATUS.rank(status) < _CONFIRMED or odoo_state not in self.open_states:
            if odoo_state == "cancel" and _STATUS.rank(status) >= _CONFIRMED:
                return (
                    f"cancelled in Odoo but {status!r} here: resolve it in Odoo, then replay "
                    "this delivery"
                )
            return None
        return ("action_confirm", {})
