"""Sales orders, products and invoices, where the versions differ (ODOO.md §4)."""

from __future__ import annotations

import pytest

from logisync.testing.odoo import errors

from .orm_world import ADMIN, Odoo


def test_orders_are_numbered_and_totalled(odoo: Odoo) -> None:
    first, second = odoo.order(5), odoo.order(2)
    rows = odoo.call(
        "sale.order",
        "read",
        [first, second],
        ["name", "state", "amount_untaxed", "amount_total", "invoice_status"],
    )
    assert [r["name"] for r in rows] == ["S00001", "S00002"]
    assert rows[0]["state"] == "draft"
    assert (rows[0]["amount_untaxed"], rows[0]["amount_total"]) == (50.0, 50.0)
    assert rows[0]["invoice_status"] == "no"


def test_lines_take_description_unit_and_price_from_the_product(odoo: Odoo) -> None:
    order = odoo.order(3)
    [line] = odoo.call("sale.order", "read", [order], ["order_line"])[0]["order_line"]
    uom = "product_uom_id" if odoo.version >= 19 else "product_uom"
    [row] = odoo.call(
        "sale.order.line", "read", [line], ["name", uom, "price_unit", "price_subtotal"]
    )
    assert row["name"] == "[W-1] Widget"
    assert row[uom][1] == "Units"
    assert (row["price_unit"], row["price_subtotal"]) == (10.0, 30.0)


def test_confirming_twice(odoo: Odoo) -> None:
    order = odoo.order()
    odoo.call("sale.order", "action_confirm", [order])
    if odoo.version == 16:
        assert odoo.call("sale.order", "action_confirm", [order]) is True
        assert len(odoo.call("stock.picking", "search", [])) == 1
        return
    with pytest.raises(errors.UserError) as raised:
        odoo.call("sale.order", "action_confirm", [order])
    expected = {
        17: "The following orders are not in a state requiring confirmation: S00001",
        18: "Some orders are not in a state requiring confirmation.",
        19: "Some orders are not in a state requiring confirmation.",
    }
    assert raised.value.message == expected[odoo.version]


def test_locking_is_a_state_in_16_and_a_flag_after(odoo: Odoo) -> None:
    order = odoo.order()
    odoo.call("sale.order", "action_confirm", [order])
    if odoo.version == 16:
        assert odoo.call("sale.order", "action_done", [order], uid=ADMIN) is None
        assert odoo.call("sale.order", "read", [order], ["state"])[0]["state"] == "done"
        with pytest.raises(errors.UserError, match="not allowed to confirm"):
            odoo.call("sale.order", "action_confirm", [order])
        return
    odoo.call("sale.order", "action_lock", [order], uid=ADMIN)
    assert odoo.call("sale.order", "read", [order], ["state", "locked"])[0] == {
        "id": order,
        "state": "sale",
        "locked": True,
    }
    with pytest.raises(errors.UserError, match="You cannot cancel a locked order"):
        odoo.call("sale.order", "action_cancel", [order])


def test_cancel_asks_the_wizard_until_18_and_cancels_in_19(odoo: Odoo) -> None:
    order = odoo.order()
    odoo.call("sale.order", "action_confirm", [order])
    answer = odoo.call("sale.order", "action_cancel", [order])
    if odoo.version <= 18:
        assert answer["res_model"] == "sale.order.cancel"
        assert answer["context"]["default_order_id"] == order
        assert answer["name"] == "Cancel Sales Order"
        wizard = odoo.call("sale.order.cancel", "create", {}, context=answer["context"])
        assert odoo.call("sale.order.cancel", "action_cancel", [wizard]) is True
    else:
        assert answer is True
    [row] = odoo.call("sale.order", "read", [order], ["state", "picking_ids"])
    assert row["state"] == "cancel"
    assert odoo.picking_state(row["picking_ids"][0]) == "cancel"


def test_cancel_warning_can_be_disabled_and_drafts_cancel_directly(odoo: Odoo) -> None:
    draft, confirmed = odoo.order(), odoo.order()
    odoo.call("sale.order", "action_confirm", [confirmed])
    assert odoo.call("sale.order", "action_cancel", [draft]) is True
    assert (
        odoo.call(
            "sale.order", "action_cancel", [confirmed], context={"disable_cancel_warning": True}
        )
        is True
    )
    assert odoo.call("sale.order", "action_draft", [draft, confirmed]) is True
    states = odoo.call("sale.order", "read", [draft, confirmed], ["state"])
    assert {s["state"] for s in states} == {"draft"}


def test_product_kinds_per_version(odoo: Odoo) -> None:
    product = odoo.product()
    described = odoo.call("product.product", "fields_get", [], ["selection"])
    kinds = [key for key, _label in described["type"]["selection"]]
    [row] = odoo.call("product.product", "read", [product], ["type"])
    if odoo.version <= 17:
        assert kinds == ["consu", "service", "product"]
        assert "detailed_type" in described
        assert "is_storable" not in described
        assert row["type"] == "product"
    else:
        assert kinds == ["consu", "service", "combo"]
        assert "detailed_type" not in described
        assert odoo.call("product.product", "read", [product], ["is_storable"])[0]["is_storable"]


def test_a_variant_and_its_template_come_together(odoo: Odoo) -> None:
    template = odoo.call(
        "product.template", "create", {"name": "Chair", "default_code": "CH", "barcode": "111"}
    )
    [tmpl] = odoo.call(
        "product.template", "read", [template], ["product_variant_ids", "default_code", "barcode"]
    )
    [variant] = tmpl["product_variant_ids"]
    assert (tmpl["default_code"], tmpl["barcode"]) == ("CH", "111")
    [row] = odoo.call(
        "product.product",
        "read",
        [variant],
        ["default_code", "barcode", "name", "product_tmpl_id", "display_name"],
    )
    assert row["product_tmpl_id"][0] == template
    assert row["display_name"] == "[CH] Chair"
    odoo.call("product.product", "write", [variant], {"name": "Armchair", "list_price": 99})
    [tmpl] = odoo.call("product.template", "read", [template], ["name", "list_price"])
    assert (tmpl["name"], tmpl["list_price"]) == ("Armchair", 99.0)
    variant_first = odoo.product("Table", "TB")
    tmpl_id = odoo.call("product.product", "read", [variant_first], ["product_tmpl_id"])[0][
        "product_tmpl_id"
    ][0]
    assert (
        odoo.call("product.template", "read", [tmpl_id], ["product_variant_count"])[0][
            "product_variant_count"
        ]
        == 1
    )


def test_barcodes_are_unique(odoo: Odoo) -> None:
    odoo.product("Widget", "W-1", barcode="4006381333931")
    with pytest.raises(errors.ValidationError) as raised:
        odoo.product("Gadget", "G-1", barcode="4006381333931")
    names = "[W-1] Widget, [G-1] Gadget" if odoo.version == 16 else "[G-1] Gadget, [W-1] Widget"
    assert raised.value.message.startswith(
        'Barcode(s) already assigned:\n\n- Barcode "4006381333931" already assigned to '
        f"product(s): {names}"
    )
    assert odoo.call("product.product", "search_count", [("default_code", "=", "G-1")]) == 0


def test_partner_fields_per_version(odoo: Odoo) -> None:
    described = odoo.call("res.partner", "fields_get", [], ["selection"])
    types = [key for key, _label in described["type"]["selection"]]
    assert ("private" in types) == (odoo.version == 16)
    assert ("mobile" in described) == (odoo.version <= 18)
    partner = odoo.partner(company_type="company")
    assert odoo.call("res.partner", "read", [partner], ["is_company"])[0]["is_company"] is True


def deliver(odoo: Odoo, order: int) -> None:
    picking = odoo.call("sale.order", "read", [order], ["picking_ids"])[0]["picking_ids"][0]
    for move in odoo.moves(picking):
        odoo.call("stock.move", "write", [move["id"]], {odoo.done_field: move["product_uom_qty"]})
    odoo.call("stock.picking", "button_validate", [picking])


def invoice(odoo: Odoo, order: int) -> object:
    context = {"active_model": "sale.order", "active_ids": [order]}
    wizard = odoo.call(
        "sale.advance.payment.inv",
        "create",
        {"advance_payment_method": "delivered"},
        context=context,
    )
    return odoo.call("sale.advance.payment.inv", "create_invoices", [wizard], context=context)


def test_invoice_flow(odoo: Odoo) -> None:
    product = odoo.product(invoice_policy="delivery")
    order = odoo.order(4, product_id=product)
    odoo.call("sale.order", "action_confirm", [order])
    with pytest.raises(errors.UserError) as raised:
        invoice(odoo, order)
    start = "There is nothing to invoice!" if odoo.version == 16 else "Cannot create an invoice"
    assert raised.value.message.startswith(start)
    deliver(odoo, order)
    answer = invoice(odoo, order)
    [so] = odoo.call("sale.order", "read", [order], ["invoice_ids", "invoice_status", "name"])
    [move_id] = so["invoice_ids"]
    if odoo.version == 16:
        assert answer == {"type": "ir.actions.act_window_close"}
    else:
        assert answer["res_id"] == move_id
    assert so["invoice_status"] == "invoiced"
    [inv] = odoo.call(
        "account.move",
        "read",
        [move_id],
        [
            "name",
            "state",
            "move_type",
            "amount_total",
            "invoice_origin",
            "payment_state",
            "invoice_line_ids",
        ],
    )
    assert (inv["name"], inv["state"], inv["move_type"]) == ("/", "draft", "out_invoice")
    assert (inv["amount_total"], inv["invoice_origin"]) == (40.0, so["name"])
    assert inv["payment_state"] == "not_paid"
    assert odoo.call("account.move", "action_post", [move_id]) is False
    [posted] = odoo.call("account.move", "read", [move_id], ["name", "state", "invoice_date"])
    assert posted == {
        "id": move_id,
        "name": "INV/2026/00001",
        "state": "posted",
        "invoice_date": "2026-03-02",
    }
    with pytest.raises(errors.UserError, match=r"The entry INV/2026/00001 \(id \d+\)"):
        odoo.call("account.move", "action_post", [move_id])
    with pytest.raises(errors.UserError, match=r"nothing to invoice|Cannot create an invoice"):
        invoice(odoo, order)


def test_orders_invoiced_on_ordered_quantities_by_default(odoo17: Odoo) -> None:
    order = odoo17.order(2)
    odoo17.call("sale.order", "action_confirm", [order])
    invoice(odoo17, order)
    [line] = odoo17.call("sale.order.line", "search_read", [], ["qty_invoiced", "qty_to_invoice"])
    assert (line["qty_invoiced"], line["qty_to_invoice"]) == (2.0, 0.0)


def test_posted_invoices_cannot_be_deleted_and_drafts_can_be_cancelled(odoo17: Odoo) -> None:
    order = odoo17.order(1)
    odoo17.call("sale.order", "action_confirm", [order])
    invoice(odoo17, order)
    [move_id] = odoo17.call("account.move", "search", [])
    odoo17.call("account.move", "action_post", [move_id])
    with pytest.raises(errors.UserError, match="posted entry"):
        odoo17.call("account.move", "unlink", [move_id])
    assert odoo17.call("account.move", "button_cancel", [move_id]) is None
    assert odoo17.call("account.move", "read", [move_id], ["state"])[0]["state"] == "cancel"


def test_credit_notes_are_numbered_apart(odoo17: Odoo) -> None:
    partner = odoo17.partner()
    line = {"name": "Refund", "quantity": 1, "price_unit": 5}
    refund = odoo17.call(
        "account.move",
        "create",
        {
            "move_type": "out_refund",
            "partner_id": partner,
            "invoice_line_ids": [(0, 0, line)],
        },
    )
    odoo17.call("account.move", "action_post", [refund])
    [row] = odoo17.call("account.move", "read", [refund], ["name", "amount_total"])
    assert (row["name"], row["amount_total"]) == ("RINV/2026/00001", 5.0)


def test_a_customer_with_orders_cannot_be_deleted(odoo17: Odoo) -> None:
    order = odoo17.order()
    partner = odoo17.call("sale.order", "read", [order], ["partner_id"])[0]["partner_id"][0]
    with pytest.raises(errors.ValidationError, match="sale_order_partner_id_fkey"):
        odoo17.call("res.partner", "unlink", [partner])
    odoo17.call("sale.order", "unlink", [order])
    assert odoo17.call("res.partner", "unlink", [partner]) is True
