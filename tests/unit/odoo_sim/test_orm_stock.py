"""Transfers: confirm, reserve, validate with the version's wizards, backorders, quants."""

from __future__ import annotations

from typing import Any

import pytest

from logisync.testing.odoo import errors

from .orm_world import ADMIN, READ_ONLY, Odoo


def answer_wizard(odoo: Odoo, action: dict[str, Any], button: str = "process") -> Any:
    """What a client does with a wizard action: create it with the action's context and
    press the button with that context."""
    context = action["context"]
    wizard = odoo.call(action["res_model"], "create", {}, context=context)
    return odoo.call(action["res_model"], button, [wizard], context=context)


def validate_everything(odoo: Odoo, picking: int) -> Any:
    """Set every move's done quantity to its demand, then validate (no wizard needed)."""
    for move in odoo.moves(picking):
        odoo.call("stock.move", "write", [move["id"]], {odoo.done_field: move["product_uom_qty"]})
    return odoo.call("stock.picking", "button_validate", [picking])


def test_confirming_an_order_creates_an_outgoing_picking(odoo: Odoo) -> None:
    order = odoo.order(5)
    assert odoo.call("sale.order", "action_confirm", [order]) is True
    [so] = odoo.call("sale.order", "read", [order], ["name", "state", "picking_ids"])
    assert so["state"] == "sale"
    [picking] = odoo.call(
        "stock.picking",
        "read",
        so["picking_ids"],
        [
            "name",
            "state",
            "origin",
            "sale_id",
            "picking_type_code",
            "location_id",
            "location_dest_id",
            "move_ids",
        ],
    )
    assert picking["name"] == "WH/OUT/00001"
    assert picking["state"] == "assigned"
    assert picking["origin"] == so["name"]
    assert picking["sale_id"] == [order, so["name"]]
    assert picking["picking_type_code"] == "outgoing"
    assert picking["location_id"][1] == "WH/Stock"
    assert picking["location_dest_id"][1] == "Partners/Customers"
    [move] = odoo.moves(picking["id"])
    assert move["product_uom_qty"] == 5.0
    assert move["state"] == "assigned"
    assert ("quantity" in move) == (odoo.version >= 17)
    assert ("quantity_done" in move) == (odoo.version == 16)


def test_service_lines_get_no_move(odoo17: Odoo) -> None:
    service = odoo17.product("Setup", "SRV", detailed_type="service")
    order = odoo17.order(1, product_id=service)
    odoo17.call("sale.order", "action_confirm", [order])
    assert odoo17.call("sale.order", "read", [order], ["picking_ids"])[0]["picking_ids"] == []


def test_a_created_picking_is_draft_until_confirmed(odoo: Odoo) -> None:
    picking = odoo.call(
        "stock.picking",
        "create",
        {
            "picking_type_id": odoo.ref("stock.picking_type_out"),
            "move_ids": [(0, 0, {"product_id": odoo.product(), "product_uom_qty": 2})],
        },
    )
    assert odoo.picking_state(picking) == "draft"
    assert odoo.call("stock.picking", "action_confirm", [picking]) is True
    assert odoo.picking_state(picking) == "assigned"


def test_validating_everything_reserved(odoo: Odoo) -> None:
    picking = odoo.confirmed_picking(5)
    answer = odoo.call("stock.picking", "button_validate", [picking])
    if odoo.version == 16:
        assert answer["res_model"] == "stock.immediate.transfer"
        assert answer["context"]["default_pick_ids"] == [[4, picking]]
        answer = answer_wizard(odoo, answer)
    assert answer is True
    [row] = odoo.call("stock.picking", "read", [picking], ["state", "date_done"])
    assert row == {"id": picking, "state": "done", "date_done": "2026-03-02 09:30:00"}
    [move] = odoo.moves(picking)
    assert move["state"] == "done"
    assert move[odoo.done_field] == 5.0


def test_partial_validation_asks_for_a_backorder_and_creates_it(odoo: Odoo) -> None:
    picking = odoo.confirmed_picking(5)
    [move] = odoo.moves(picking)
    odoo.call("stock.move", "write", [move["id"]], {odoo.done_field: 3})
    action = odoo.call("stock.picking", "button_validate", [picking])
    assert action["res_model"] == "stock.backorder.confirmation"
    assert action["type"] == "ir.actions.act_window"
    assert answer_wizard(odoo, action) is True
    assert odoo.picking_state(picking) == "done"
    [backorder] = odoo.call(
        "stock.picking",
        "search_read",
        [("backorder_id", "=", picking)],
        ["state", "name", "move_ids"],
    )
    assert backorder["state"] == "assigned"
    assert backorder["name"] == "WH/OUT/00002"
    [rest] = odoo.moves(backorder["id"])
    assert rest["product_uom_qty"] == 2.0
    [done] = odoo.moves(picking)
    assert (done["product_uom_qty"], done[odoo.done_field]) == (3.0, 3.0)
    [so] = odoo.call("sale.order", "search_read", [], ["delivery_status", "order_line"])
    assert so["delivery_status"] == "partial"
    line = odoo.call("sale.order.line", "read", so["order_line"], ["qty_delivered"])[0]
    assert line["qty_delivered"] == 3.0


def test_no_backorder_cancels_the_rest(odoo: Odoo) -> None:
    picking = odoo.confirmed_picking(5)
    [move] = odoo.moves(picking)
    odoo.call("stock.move", "write", [move["id"]], {odoo.done_field: 3})
    action = odoo.call("stock.picking", "button_validate", [picking])
    assert answer_wizard(odoo, action, "process_cancel_backorder") is True
    assert odoo.call("stock.picking", "search", [("backorder_id", "=", picking)]) == []
    states = sorted(m["state"] for m in odoo.moves(picking))
    assert states == ["cancel", "done"]


def test_context_keys_skip_the_backorder_wizard(odoo: Odoo) -> None:
    picking = odoo.confirmed_picking(5)
    [move] = odoo.moves(picking)
    odoo.call("stock.move", "write", [move["id"]], {odoo.done_field: 3})
    context = {"skip_backorder": True, "picking_ids_not_to_backorder": [picking]}
    if odoo.version == 16:
        context["skip_immediate"] = True
    assert odoo.call("stock.picking", "button_validate", [picking], context=context) is True
    assert odoo.picking_state(picking) == "done"
    assert odoo.call("stock.picking", "search", [("backorder_id", "=", picking)]) == []


def test_wizard_without_the_action_context_does_nothing(odoo17: Odoo) -> None:
    picking = odoo17.confirmed_picking(5)
    wizard = odoo17.call(
        "stock.backorder.confirmation", "create", {"pick_ids": [(6, 0, [picking])]}
    )
    assert odoo17.call("stock.backorder.confirmation", "process", [wizard]) is True
    assert odoo17.picking_state(picking) == "assigned"


def test_validating_a_draft_picking(odoo: Odoo) -> None:
    picking = odoo.call(
        "stock.picking",
        "create",
        {
            "picking_type_id": odoo.ref("stock.picking_type_out"),
            "move_ids": [(0, 0, {"product_id": odoo.product(), "product_uom_qty": 2})],
        },
    )
    if odoo.version == 16:
        with pytest.raises(errors.UserError, match="no quantities are reserved nor done"):
            odoo.call("stock.picking", "button_validate", [picking])
    else:
        assert odoo.call("stock.picking", "button_validate", [picking]) is True
        assert odoo.picking_state(picking) == "done"


def test_17_plus_refuse_a_picking_with_no_quantity(odoo: Odoo) -> None:
    picking = odoo.confirmed_picking(5)
    [move] = odoo.moves(picking)
    odoo.call("stock.move", "write", [move["id"]], {odoo.done_field: 0})
    if odoo.version == 16:
        action = odoo.call("stock.picking", "button_validate", [picking])
        assert action["res_model"] == "stock.immediate.transfer"
        return
    with pytest.raises(errors.UserError) as raised:
        odoo.call("stock.picking", "button_validate", [picking])
    assert raised.value.message == odoo.db.profile.no_quantity_message


def test_validating_a_done_picking(odoo: Odoo) -> None:
    picking = odoo.confirmed_picking(1)
    assert validate_everything(odoo, picking) is True
    if odoo.version >= 19:
        assert odoo.call("stock.picking", "button_validate", [picking]) is True
    else:
        with pytest.raises(errors.UserError, match="You cannot validate a transfer"):
            odoo.call("stock.picking", "button_validate", [picking])


def test_an_empty_picking_cannot_be_validated(odoo17: Odoo) -> None:
    picking = odoo17.call(
        "stock.picking", "create", {"picking_type_id": odoo17.ref("stock.picking_type_out")}
    )
    with pytest.raises(errors.UserError, match="empty transfer"):
        odoo17.call("stock.picking", "button_validate", [picking])


def test_quantities_of_a_done_move_cannot_change(odoo: Odoo) -> None:
    picking = odoo.confirmed_picking(1)
    validate_everything(odoo, picking)
    [move] = odoo.moves(picking)
    assert move["state"] == "done"
    with pytest.raises(errors.UserError, match="set to 'Done'"):
        odoo.call("stock.move", "write", [move["id"]], {odoo.done_field: 5})


def test_cancel_and_tracking_fields(odoo17: Odoo) -> None:
    picking = odoo17.confirmed_picking(1)
    carrier = odoo17.ref("delivery.free_delivery_carrier")
    odoo17.call(
        "stock.picking",
        "write",
        [picking],
        {"carrier_id": carrier, "carrier_tracking_ref": "1Z999", "shipping_weight": 2.5},
    )
    [row] = odoo17.call(
        "stock.picking",
        "read",
        [picking],
        ["carrier_id", "carrier_tracking_ref", "shipping_weight"],
    )
    assert row["carrier_id"] == [carrier, "Standard delivery"]
    assert (row["carrier_tracking_ref"], row["shipping_weight"]) == ("1Z999", 2.5)
    assert odoo17.call("stock.picking", "action_cancel", [picking]) is True
    assert odoo17.picking_state(picking) == "cancel"


def test_sales_user_without_stock_rights_cannot_validate(odoo17: Odoo) -> None:
    picking = odoo17.confirmed_picking(1)
    with pytest.raises(errors.AccessError, match="not allowed to modify 'Stock Move'"):
        odoo17.call("stock.picking", "button_validate", [picking], uid=READ_ONLY)


def test_validated_moves_change_the_quants(odoo17: Odoo) -> None:
    product = odoo17.product()
    stock = odoo17.ref("stock.stock_location_stock")
    odoo17.call(
        "stock.quant",
        "create",
        {"product_id": product, "location_id": stock, "inventory_quantity": 10},
        context={"inventory_mode": True},
    )
    quant = odoo17.call("stock.quant", "search", [("product_id", "=", product)])
    assert odoo17.call("stock.quant", "action_apply_inventory", quant) is None
    order = odoo17.order(4, product_id=product)
    odoo17.call("sale.order", "action_confirm", [order])
    picking = odoo17.call("sale.order", "read", [order], ["picking_ids"])[0]["picking_ids"]
    odoo17.call("stock.picking", "button_validate", picking)
    assert (
        odoo17.call("product.product", "read", [product], ["qty_available"])[0]["qty_available"]
        == 6.0
    )


def test_inventory_mode_counts_and_applies(odoo: Odoo) -> None:
    product = odoo.product()
    stock = odoo.ref("stock.stock_location_stock")
    context = {"inventory_mode": True}
    first = odoo.call(
        "stock.quant",
        "create",
        {"product_id": product, "location_id": stock, "inventory_quantity": 7},
        context=context,
    )
    again = odoo.call(
        "stock.quant",
        "create",
        {"product_id": product, "location_id": stock, "inventory_quantity": 8},
        context=context,
    )
    assert again == first
    [quant] = odoo.call(
        "stock.quant",
        "read",
        [first],
        ["quantity", "inventory_quantity", "inventory_diff_quantity"],
    )
    assert (quant["quantity"], quant["inventory_quantity"], quant["inventory_diff_quantity"]) == (
        0.0,
        8.0,
        8.0,
    )
    assert odoo.call("stock.quant", "action_apply_inventory", [first]) is None
    [quant] = odoo.call("stock.quant", "read", [first], ["quantity", "inventory_quantity"])
    assert (quant["quantity"], quant["inventory_quantity"]) == (8.0, 0.0)
    moves = odoo.call(
        "stock.move",
        "search_read",
        [("product_id", "=", product)],
        ["state", "location_id", "is_inventory"],
    )
    assert [(m["state"], m["location_id"][1], m["is_inventory"]) for m in moves] == [
        ("done", "Virtual Locations/Inventory adjustment", True)
    ]


def test_inventory_mode_refuses_other_fields(odoo17: Odoo) -> None:
    product = odoo17.product()
    stock = odoo17.ref("stock.stock_location_stock")
    with pytest.raises(errors.UserError, match="Quant's creation is restricted"):
        odoo17.call(
            "stock.quant",
            "create",
            {"product_id": product, "location_id": stock, "inventory_quantity": 1, "quantity": 5},
            context={"inventory_mode": True},
        )
    quant = odoo17.call(
        "stock.quant",
        "create",
        {"product_id": product, "location_id": stock, "inventory_quantity": 1},
        context={"inventory_mode": True},
    )
    with pytest.raises(errors.UserError, match="Quant's editing is restricted"):
        odoo17.call(
            "stock.quant",
            "write",
            [quant],
            {"location_id": stock},
            context={"inventory_mode": True},
        )


def test_only_stock_managers_apply_inventory(odoo17: Odoo) -> None:
    product = odoo17.product()
    stock = odoo17.ref("stock.stock_location_stock")
    quant = odoo17.call(
        "stock.quant",
        "create",
        {"product_id": product, "location_id": stock, "inventory_quantity": 1},
        context={"inventory_mode": True},
        uid=ADMIN,
    )
    with pytest.raises(errors.UserError, match="Only a stock manager"):
        odoo17.call("stock.quant", "action_apply_inventory", [quant], uid=READ_ONLY)


def test_unreserve_and_reserve_again(odoo: Odoo) -> None:
    picking = odoo.confirmed_picking(4)
    assert odoo.call("stock.picking", "do_unreserve", [picking]) is True
    assert odoo.picking_state(picking) == "confirmed"
    [move] = odoo.moves(picking)
    reserved = "reserved_availability" if odoo.version == 16 else "quantity"
    assert move[reserved] == 0.0
    assert odoo.call("stock.picking", "action_assign", [picking]) is True
    assert odoo.picking_state(picking) == "assigned"
    assert odoo.moves(picking)[0][reserved] == 4.0


def test_16_immediate_transfer_confirms_a_draft_named_in_pick_ids(tmp_path) -> None:
    odoo = Odoo(tmp_path / "db", 16)
    picking = odoo.call(
        "stock.picking",
        "create",
        {
            "picking_type_id": odoo.ref("stock.picking_type_out"),
            "move_ids": [(0, 0, {"product_id": odoo.product(), "product_uom_qty": 2})],
        },
    )
    wizard = odoo.call("stock.immediate.transfer", "create", {"pick_ids": [(6, 0, [picking])]})
    context = {"button_validate_picking_ids": [picking]}
    assert odoo.call("stock.immediate.transfer", "process", [wizard], context=context) is True
    assert odoo.picking_state(picking) == "done"
    assert odoo.moves(picking)[0]["quantity_done"] == 2.0
