"""The ORM methods every model answers, in every version (ODOO.md §3)."""

from __future__ import annotations

import pytest

from logisync.testing.odoo import errors

from .orm_world import ADMIN, INTEGRATION, Odoo


def test_create_dict_answers_an_id_and_a_list_answers_ids(odoo: Odoo) -> None:
    one = odoo.call("res.partner", "create", {"name": "Acme"})
    many = odoo.call("res.partner", "create", [{"name": "B"}, {"name": "C"}])
    assert isinstance(one, int)
    assert many == [one + 1, one + 2]


def test_read_shapes_values_as_odoo(odoo: Odoo) -> None:
    be = odoo.ref("base.be")
    partner = odoo.partner(country_id=be, is_company=True)
    [row] = odoo.call(
        "res.partner",
        "read",
        [partner],
        ["name", "country_id", "email", "child_ids", "write_date", "create_uid"],
    )
    assert row["country_id"] == [be, "Belgium"]
    assert row["email"] is False
    assert row["child_ids"] == []
    assert row["write_date"] == "2026-03-02 09:30:00"
    assert row["create_uid"] == [INTEGRATION, "Integration"]
    [bare] = odoo.call("res.partner", "read", [partner], ["country_id"], load=None)
    assert bare == {"id": partner, "country_id": be}
    [classic_write] = odoo.call(
        "res.partner", "read", [partner], ["country_id"], load="_classic_write"
    )
    assert classic_write["country_id"] == be


def test_read_without_fields_answers_every_field(odoo17: Odoo) -> None:
    [row] = odoo17.call("res.partner", "read", [odoo17.partner()])
    assert {"id", "name", "display_name", "create_date", "write_uid", "active"} <= set(row)


def test_search_order_offset_limit_and_count(odoo: Odoo) -> None:
    for name in ("Charlie", "alpha", "Bravo"):
        odoo.partner(name, ref="X")
    domain = [("ref", "=", "X")]
    names = [
        r["name"]
        for r in odoo.call("res.partner", "search_read", domain, ["name"], order="name desc")
    ]
    assert names == ["Charlie", "Bravo", "alpha"]
    ids = odoo.call("res.partner", "search", domain, 1, 1, "name")
    assert odoo.call("res.partner", "read", ids, ["name"])[0]["name"] == "Bravo"
    assert odoo.call("res.partner", "search_count", domain) == 3
    assert odoo.call("res.partner", "search_count", domain, limit=2) == 2
    assert odoo.call("res.partner", "search", domain, limit=False, order=False)


def test_order_on_an_unknown_field_is_a_value_error(odoo17: Odoo) -> None:
    with pytest.raises(errors.ServerValueError, match="Invalid field 'nope' on model"):
        odoo17.call("res.partner", "search", [], order="nope desc")


def test_search_with_count_only_in_16(odoo: Odoo) -> None:
    if odoo.version == 16:
        assert odoo.call("res.partner", "search", [], count=True) >= 1
    else:
        with pytest.raises(errors.ServerTypeError):
            odoo.call("res.partner", "search", [], count=True)


def test_archived_records_are_hidden_unless_active_test_is_off(odoo17: Odoo) -> None:
    archived = odoo17.partner("Old", active=False)
    assert archived not in odoo17.call("res.partner", "search", [("name", "=", "Old")])
    found = odoo17.call(
        "res.partner", "search", [("name", "=", "Old")], context={"active_test": False}
    )
    assert found == [archived]
    assert odoo17.call("res.partner", "search", [("active", "=", False), ("name", "=", "Old")])


def test_write_answers_true_and_sets_write_date(odoo: Odoo) -> None:
    partner = odoo.partner()
    odoo.clock.advance(61)
    assert odoo.call("res.partner", "write", [partner], {"email": "a@b.c"}) is True
    [row] = odoo.call("res.partner", "read", [partner], ["email", "write_date", "create_date"])
    assert row["email"] == "a@b.c"
    assert row["write_date"] == "2026-03-02 09:31:01"
    assert row["create_date"] == "2026-03-02 09:30:00"


def test_unknown_field_is_a_value_error(odoo: Odoo) -> None:
    message = "Invalid field 'colour' on model 'res.partner'"
    with pytest.raises(errors.ServerValueError, match=message):
        odoo.call("res.partner", "create", {"name": "A", "colour": "red"})
    with pytest.raises(errors.ServerValueError, match=message):
        odoo.call("res.partner", "read", [1], ["colour"])
    with pytest.raises(errors.ServerValueError, match=message):
        odoo.call("res.partner", "write", [1], {"colour": "red"})


def test_unknown_model(odoo: Odoo) -> None:
    with pytest.raises(errors.UnknownModel, match=r"Object res\.nothing doesn't exist"):
        odoo.call("res.nothing", "search", [])


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (16, "type object 'res.partner' has no attribute 'fly'"),
        (17, "The method 'fly' does not exist on the model 'res.partner'"),
        (18, "The method 'res.partner.fly' does not exist"),
        (19, "The method 'res.partner.fly' does not exist"),
    ],
)
def test_unknown_method_per_version(tmp_path, version: int, message: str) -> None:
    odoo = Odoo(tmp_path / "db", version)
    with pytest.raises(errors.ServerAttributeError) as raised:
        odoo.call("res.partner", "fly", [])
    assert raised.value.message == message


def test_private_methods_cannot_be_called(odoo: Odoo) -> None:
    with pytest.raises(errors.AccessError) as raised:
        odoo.call("sale.order", "_create_invoices", [1])
    if odoo.version <= 17:
        assert raised.value.message == (
            "Private methods (such as _create_invoices) cannot be called remotely."
        )
        with pytest.raises(errors.AccessError):
            odoo.call("no.model", "_x")
    else:
        assert "(such as 'sale.order._create_invoices')" in raised.value.message
        with pytest.raises(errors.UnknownModel):
            odoo.call("no.model", "_x")


def test_write_on_a_deleted_record_is_a_missing_error_and_read_skips_it(odoo: Odoo) -> None:
    partner = odoo.partner()
    assert odoo.call("res.partner", "unlink", [partner, 999999]) is True
    with pytest.raises(errors.MissingError, match="has been deleted"):
        odoo.call("res.partner", "write", [partner], {"name": "x"})
    assert odoo.call("res.partner", "read", [partner], ["name"]) == []


def test_missing_required_field_is_a_validation_error(odoo: Odoo) -> None:
    with pytest.raises(errors.ValidationError) as raised:
        odoo.call("sale.order", "create", {"client_order_ref": "x"})
    assert raised.value.message.startswith("The operation cannot be completed:")
    assert "Model: Sales Order (sale.order)\nField: Customer (partner_id)" in raised.value.message


def test_many2one_to_a_missing_record_is_a_validation_error(odoo17: Odoo) -> None:
    with pytest.raises(errors.ValidationError, match="sale_order_partner_id_fkey"):
        odoo17.call("sale.order", "create", {"partner_id": 999999})


def test_x2many_commands(odoo17: Odoo) -> None:
    company = odoo17.partner("Co", is_company=True)
    kept, dropped = odoo17.partner("Kept"), odoo17.partner("Dropped")
    odoo17.call(
        "res.partner",
        "write",
        [company],
        {"child_ids": [(4, kept, 0), (4, dropped, 0), (0, 0, {"name": "New"})]},
    )
    children = odoo17.call("res.partner", "read", [company], ["child_ids"])[0]["child_ids"]
    assert len(children) == 3
    new = max(children)
    odoo17.call(
        "res.partner",
        "write",
        [company],
        {"child_ids": [(3, dropped, 0), (1, new, {"email": "n@x"}), (2, kept, 0)]},
    )
    assert odoo17.call("res.partner", "read", [company], ["child_ids"])[0]["child_ids"] == [new]
    assert odoo17.call("res.partner", "read", [kept], ["name"]) == []
    assert odoo17.call("res.partner", "read", [dropped], ["parent_id"])[0]["parent_id"] is False
    odoo17.call("res.partner", "write", [company], {"child_ids": [(6, 0, [dropped])]})
    assert odoo17.call("res.partner", "read", [company], ["child_ids"])[0]["child_ids"] == [dropped]
    odoo17.call("res.partner", "write", [company], {"child_ids": [(5, 0, 0)]})
    assert odoo17.call("res.partner", "read", [company], ["child_ids"])[0]["child_ids"] == []


def test_many2many_commands(odoo17: Odoo) -> None:
    tax = odoo17.ref("account.tax_sale_15")
    order = odoo17.order()
    [line] = odoo17.call("sale.order", "read", [order], ["order_line"])[0]["order_line"]
    odoo17.call("sale.order.line", "write", [line], {"tax_id": [(6, 0, [tax])]})
    assert odoo17.call("sale.order.line", "read", [line], ["tax_id"])[0]["tax_id"] == [tax]
    assert odoo17.call("sale.order", "read", [order], ["amount_total"])[0]["amount_total"] == 57.5
    odoo17.call("sale.order.line", "write", [line], {"tax_id": [(3, tax, 0)]})
    assert odoo17.call("sale.order.line", "read", [line], ["tax_id"])[0]["tax_id"] == []
    odoo17.call("sale.order.line", "write", [line], {"tax_id": [tax]})
    assert odoo17.call("sale.order.line", "read", [line], ["tax_id"])[0]["tax_id"] == [tax]


def test_context_defaults_apply_to_created_records(odoo17: Odoo) -> None:
    partner = odoo17.call(
        "res.partner",
        "create",
        {"name": "A"},
        context={"default_email": "d@x", "tracking_disable": True},
    )
    assert odoo17.call("res.partner", "read", [partner], ["email"])[0]["email"] == "d@x"


def test_copy_returns_an_id_in_16_17_and_a_list_from_18(odoo: Odoo) -> None:
    partner = odoo.partner("Acme", email="a@x")
    copied = odoo.call("res.partner", "copy", [partner])
    if odoo.version <= 17:
        assert isinstance(copied, int)
        new = copied
    else:
        assert isinstance(copied, list)
        [new] = copied
    [row] = odoo.call("res.partner", "read", [new], ["name", "email"])
    assert row == {"id": new, "name": "Acme (copy)", "email": "a@x"}


def test_copy_of_an_order_is_a_new_quotation_with_copied_lines(odoo17: Odoo) -> None:
    order = odoo17.order()
    odoo17.call("sale.order", "action_confirm", [order])
    new = odoo17.call("sale.order", "copy", [order])
    [row] = odoo17.call(
        "sale.order", "read", [new], ["name", "state", "order_line", "amount_total"]
    )
    assert row["name"] == "S00002"
    assert row["state"] == "draft"
    assert len(row["order_line"]) == 1
    assert row["amount_total"] == 50.0


def test_fields_get_describes_types_relations_and_selections(odoo: Odoo) -> None:
    described = odoo.call(
        "sale.order",
        "fields_get",
        [],
        ["type", "string", "relation", "selection", "required", "readonly"],
    )
    assert described["partner_id"] == {
        "type": "many2one",
        "string": "Customer",
        "relation": "res.partner",
        "required": True,
        "readonly": False,
    }
    states = [key for key, _label in described["state"]["selection"]]
    assert ("done" in states) == (odoo.version == 16)
    assert ("locked" in described) == (odoo.version >= 17)
    lines = odoo.call("sale.order.line", "fields_get", attributes=["type"])
    uom = "product_uom_id" if odoo.version >= 19 else "product_uom"
    tax = "tax_ids" if odoo.version >= 19 else "tax_id"
    assert {uom, tax} <= set(lines)
    assert not {"product_uom_id", "tax_ids", "product_uom", "tax_id"} - {uom, tax} & set(lines)


def test_fields_get_marks_everything_readonly_for_a_reader(odoo17: Odoo) -> None:
    described = odoo17.call("sale.order", "fields_get", ["name"], ["readonly"], uid=4)
    assert described == {"name": {"readonly": True}}


def test_name_search_parameter_is_args_until_18_and_domain_in_19(odoo: Odoo) -> None:
    odoo.partner("Acme Corp", email="sales@acme.test")
    odoo.partner("Acme Archive", active=False)
    keyword = "domain" if odoo.version >= 19 else "args"
    found = odoo.call(
        "res.partner", "name_search", "acme", **{keyword: [("is_company", "=", False)]}
    )
    assert [name for _id, name in found] == ["Acme Corp"]
    assert odoo.call("res.partner", "name_search", "sales@acme")[0][1] == "Acme Corp"
    wrong = "args" if odoo.version >= 19 else "domain"
    with pytest.raises(errors.ServerTypeError):
        odoo.call("res.partner", "name_search", "acme", **{wrong: []})


def test_name_get_exists_until_17(odoo: Odoo) -> None:
    partner = odoo.partner()
    if odoo.version <= 17:
        assert odoo.call("res.partner", "name_get", [partner]) == [[partner, "Acme"]]
    else:
        with pytest.raises(errors.ServerAttributeError):
            odoo.call("res.partner", "name_get", [partner])


def test_display_name_of_a_contact_names_its_company(odoo17: Odoo) -> None:
    company = odoo17.partner("Acme", is_company=True)
    person = odoo17.partner("Jane", parent_id=company)
    assert odoo17.call("res.partner", "read", [person], ["display_name"])[0]["display_name"] == (
        "Acme, Jane"
    )
    found = odoo17.call("res.partner", "search", [("parent_id", "child_of", company)])
    assert found == [company, person] or sorted(found) == [company, person]


def test_get_external_id_answers_int_keys(odoo17: Odoo) -> None:
    be = odoo17.ref("base.be")
    partner = odoo17.partner()
    assert odoo17.call("res.country", "get_external_id", [be]) == {be: "base.be"}
    assert odoo17.call("res.partner", "get_external_id", [partner]) == {partner: ""}


def test_check_object_reference_and_unknown_xmlid(odoo17: Odoo) -> None:
    assert odoo17.call("ir.model.data", "check_object_reference", "base", "be")[0] == "res.country"
    with pytest.raises(errors.ServerValueError, match=r"External ID not found in the system: a\.b"):
        odoo17.call("ir.model.data", "check_object_reference", "a", "b")


def test_method_parameters_for_json2(odoo: Odoo) -> None:
    params = odoo.db.method_parameters
    assert params("res.partner", "search_read") == (
        ["domain", "fields", "offset", "limit", "order"],
        False,
    )
    assert params("res.partner", "create") == (["vals_list"], False)
    assert params("res.partner", "write") == (["vals"], True)
    assert params("stock.picking", "button_validate") == ([], True)
    second = "domain" if odoo.version >= 19 else "args"
    assert params("res.partner", "name_search")[0][:2] == ["name", second]
    with pytest.raises(errors.ServerAttributeError):
        params("res.partner", "fly")


def test_ids_may_be_named_as_json2_sends_them(odoo17: Odoo) -> None:
    partner = odoo17.partner()
    assert odoo17.db.execute(
        ADMIN, "res.partner", "write", [], {"ids": [partner], "vals": {"ref": "R"}}
    )
    assert odoo17.call("res.partner", "read", [partner], ["ref"])[0]["ref"] == "R"


def test_context_get_and_models(odoo17: Odoo) -> None:
    assert odoo17.call("res.users", "context_get") == {
        "lang": "en_US",
        "tz": "Europe/Brussels",
        "uid": INTEGRATION,
    }
    assert {"sale.order", "stock.picking", "ir.model.data"} <= set(odoo17.db.models())
    found = odoo17.call("ir.model", "search_read", [("model", "=", "sale.order")], ["name"])
    assert found[0]["name"] == "Sales Order"


def test_version_info(odoo: Odoo) -> None:
    info = odoo.db.version_info()
    assert info["server_version_info"] == [odoo.version, 0, 0, "final", 0, ""]
    assert info["server_serie"] == f"{odoo.version}.0"
    assert info["protocol_version"] == 1


def test_documents_carry_the_company_and_its_currency(odoo17: Odoo) -> None:
    order = odoo17.order()
    [row] = odoo17.call("sale.order", "read", [order], ["company_id", "currency_id"])
    assert row["company_id"] == [odoo17.ref("base.main_company"), "YourCompany"]
    assert row["currency_id"][1] == "EUR"
    assert odoo17.call("res.users", "read", [INTEGRATION], ["company_id"])[0]["company_id"][1] == (
        "YourCompany"
    )
