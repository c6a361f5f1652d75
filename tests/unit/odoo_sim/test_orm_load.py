"""``load()``: Odoo's import as an upsert by external id, idempotent, all or nothing."""

from __future__ import annotations

from typing import Any

from .orm_world import ADMIN, Odoo

PARTNER_COLUMNS = ["id", "name", "country_id/id", "email", "is_company"]


def load(odoo: Odoo, model: str, fields: list[str], rows: list[list[str]], **kw: Any) -> Any:
    return odoo.call(model, "load", fields, rows, **kw)


def test_importing_the_same_rows_twice_creates_nothing_new(odoo: Odoo) -> None:
    rows = [
        ["acme", "Acme", "base.be", "info@acme.test", "1"],
        ["globex", "Globex", "base.de", "", "0"],
    ]
    first = load(odoo, "res.partner", PARTNER_COLUMNS, rows)
    assert first["messages"] == []
    assert first["nextrow"] == 0
    count = odoo.call("res.partner", "search_count", [])
    assert load(odoo, "res.partner", PARTNER_COLUMNS, rows)["ids"] == first["ids"]
    assert odoo.call("res.partner", "search_count", []) == count
    [acme] = odoo.call(
        "res.partner", "read", first["ids"][:1], ["country_id", "email", "is_company"]
    )
    assert acme["country_id"][1] == "Belgium"
    assert (acme["email"], acme["is_company"]) == ("info@acme.test", True)
    assert odoo.call("res.partner", "get_external_id", first["ids"][:1]) == {
        first["ids"][0]: "__import__.acme"
    }


def test_a_known_external_id_updates_the_record(odoo17: Odoo) -> None:
    [acme] = load(odoo17, "res.partner", ["id", "name"], [["acme", "Acme"]])["ids"]
    odoo17.clock.advance(10)
    assert load(odoo17, "res.partner", ["id", "name"], [["__import__.acme", "Acme SA"]])["ids"] == [
        acme
    ]
    [row] = odoo17.call("res.partner", "read", [acme], ["name", "write_date"])
    assert row["name"] == "Acme SA"
    assert row["write_date"] == "2026-03-02 09:30:10"


def test_the_context_module_names_external_ids_without_a_dot(odoo17: Odoo) -> None:
    [partner] = load(
        odoo17, "res.partner", ["id", "name"], [["acme", "Acme"]], context={"module": "shop"}
    )["ids"]
    assert odoo17.call("res.partner", "get_external_id", [partner]) == {partner: "shop.acme"}


def test_a_record_deleted_through_the_orm_is_imported_again(odoo17: Odoo) -> None:
    picking_rows = [["pick1", "stock.picking_type_out", "l1", "W-1", "2"]]
    columns = [
        "id",
        "picking_type_id/id",
        "move_ids/id",
        "move_ids/product_id",
        "move_ids/product_uom_qty",
    ]
    odoo17.product()
    [picking] = load(odoo17, "stock.picking", columns, picking_rows)["ids"]
    [move] = odoo17.moves(picking)
    odoo17.call("stock.picking", "unlink", [picking])
    assert odoo17.call("stock.move", "search", [("id", "=", move["id"])]) == []
    [again] = load(odoo17, "stock.picking", columns, picking_rows)["ids"]
    assert again != picking
    assert odoo17.call("stock.picking", "get_external_id", [again]) == {again: "__import__.pick1"}
    [line] = odoo17.moves(again)
    assert odoo17.call("stock.move", "get_external_id", [line["id"]]) == {
        line["id"]: "__import__.l1"
    }


def test_one2many_lines_with_external_ids_are_updated_in_place(odoo: Odoo) -> None:
    odoo.product("Widget", "W-1")
    odoo.product("Gadget", "G-1")
    columns = [
        "id",
        "partner_id/id",
        "client_order_ref",
        "order_line/id",
        "order_line/product_id",
        "order_line/product_uom_qty",
    ]
    load(odoo, "res.partner", ["id", "name"], [["acme", "Acme"]])
    rows = [["so1", "acme", "PO-1", "so1_l1", "W-1", "2"], ["", "", "", "so1_l2", "G-1", "3"]]
    first = load(odoo, "sale.order", columns, rows)
    assert first["messages"] == []
    [order] = first["ids"]
    lines = odoo.call("sale.order", "read", [order], ["order_line"])[0]["order_line"]
    assert len(lines) == 2
    rows[1][5] = "7"
    assert load(odoo, "sale.order", columns, rows)["ids"] == [order]
    again = odoo.call("sale.order", "read", [order], ["order_line", "amount_total"])[0]
    assert again["order_line"] == lines
    quantities = odoo.call("sale.order.line", "read", lines, ["product_uom_qty"])
    assert [q["product_uom_qty"] for q in quantities] == [2.0, 7.0]
    assert odoo.call("sale.order", "search_count", []) == 1


def test_any_error_rolls_everything_back_but_still_answers(odoo: Odoo) -> None:
    before = odoo.call("res.partner", "search_count", [])
    answer = load(
        odoo,
        "res.partner",
        PARTNER_COLUMNS,
        [["ok", "Fine", "base.be", "", "0"], ["bad", "Bad", "base.xx", "", "0"]],
    )
    assert answer["ids"] is False
    assert answer["messages"] == [
        {
            "type": "error",
            "message": "No matching record found for external id 'base.xx' in field 'Country'",
            "field": "country_id",
            "rows": {"from": 1, "to": 1},
            "record": 1,
        }
    ]
    assert odoo.call("res.partner", "search_count", []) == before
    assert (
        odoo.call("ir.model.data", "search_count", [("module", "=", "__import__")], uid=ADMIN) == 0
    )


def test_cell_conversion_errors(odoo17: Odoo) -> None:
    answer = load(
        odoo17,
        "res.partner",
        ["name", "customer_rank", "type"],
        [["A", "many", "contact"], ["B", "1", "martian"]],
    )
    assert answer["ids"] is False
    assert [m["message"] for m in answer["messages"]] == [
        "'many' does not seem to be an integer for field 'Customer Rank'",
        "Value 'martian' not found in selection field 'Address Type'",
    ]


def test_missing_required_value(odoo17: Odoo) -> None:
    answer = load(odoo17, "sale.order", ["client_order_ref"], [["PO-9"]])
    assert answer["ids"] is False
    assert answer["messages"][0]["message"] == (
        "Missing required value for the field 'Customer' (partner_id)"
    )
    assert answer["messages"][0]["field"] == "partner_id"


def test_database_ids_and_names_as_references(odoo17: Odoo) -> None:
    partner = odoo17.partner("Acme")
    france = odoo17.ref("base.fr")
    answer = load(
        odoo17,
        "res.partner",
        [".id", "country_id/.id", "parent_id"],
        [[str(partner), str(france), ""]],
    )
    assert answer["ids"] == [partner]
    child = load(odoo17, "res.partner", ["name", "parent_id"], [["Jane", "Acme"]])["ids"]
    assert odoo17.call("res.partner", "read", child, ["parent_id"])[0]["parent_id"][0] == partner
    unknown = load(odoo17, "res.partner", [".id", "name"], [["999999", "X"]])
    assert unknown["messages"][0]["message"] == "Unknown database identifier '999999'"


def test_an_imported_datetime_is_in_the_context_time_zone(odoo17: Odoo) -> None:
    [order] = load(
        odoo17,
        "sale.order",
        ["partner_id", "date_order"],
        [["YourCompany", "2026-06-01 12:00:00"]],
        context={"tz": "Europe/Brussels"},
    )["ids"]
    assert odoo17.call("sale.order", "read", [order], ["date_order"])[0]["date_order"] == (
        "2026-06-01 10:00:00"
    )


def test_business_refusals_become_messages(odoo17: Odoo) -> None:
    odoo17.product("Widget", "W-1", barcode="4006381333931")
    answer = load(odoo17, "product.product", ["name", "barcode"], [["Copy", "4006381333931"]])
    assert answer["ids"] is False
    assert answer["messages"][0]["message"].startswith("Barcode(s) already assigned:")


def test_lines_deleted_by_a_cascade_leave_dangling_external_ids_that_are_reused(
    odoo17: Odoo,
) -> None:
    odoo17.product("Widget", "W-1")
    columns = ["id", "partner_id", "order_line/id", "order_line/product_id"]
    rows = [["so1", "YourCompany", "so1_l1", "W-1"]]
    [order] = load(odoo17, "sale.order", columns, rows)["ids"]
    odoo17.call("sale.order", "unlink", [order])
    dangling = odoo17.call(
        "ir.model.data", "search_read", [("name", "=", "so1_l1")], ["res_id"], uid=ADMIN
    )
    assert len(dangling) == 1
    assert odoo17.call("sale.order.line", "search", [("id", "=", dangling[0]["res_id"])]) == []
    [again] = load(odoo17, "sale.order", columns, rows)["ids"]
    [line] = odoo17.call("sale.order", "read", [again], ["order_line"])[0]["order_line"]
    repointed = odoo17.call(
        "ir.model.data", "search_read", [("name", "=", "so1_l1")], ["res_id"], uid=ADMIN
    )
    assert [r["res_id"] for r in repointed] == [line]
