"""Who may do what: logins, API keys, the login cooldown, and access rights per group."""

from __future__ import annotations

from pathlib import Path

import pytest

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import INTEGRATION as INTEGRATION_SEED
from logisync.testing.odoo.orm import OdooDatabase, UserSeed

from .orm_world import ADMIN, INTEGRATION, READ_ONLY, SUPERUSER, Odoo

INTEGRATION_KEY = INTEGRATION_SEED.api_keys[0]


def test_login_answers_the_uid_or_false(odoo17: Odoo) -> None:
    db = odoo17.db
    assert db.login("odoo", "admin", "admin") == ADMIN
    assert db.login("odoo", "integration", "integration") == INTEGRATION
    assert db.login("odoo", "readonly", "readonly") == READ_ONLY
    assert db.login("odoo", "admin", "wrong") is False
    assert db.login("odoo", "nobody", "admin") is False
    assert db.login("odoo", "__system__", "") is False


def test_an_api_key_works_as_a_password_and_as_a_bearer(odoo17: Odoo) -> None:
    db = odoo17.db
    assert db.login("odoo", "integration", INTEGRATION_KEY) == INTEGRATION
    db.check("odoo", INTEGRATION, INTEGRATION_KEY)
    assert db.uid_for_api_key(INTEGRATION_KEY) == INTEGRATION
    assert db.uid_for_api_key("integration") is None
    assert db.uid_for_api_key("") is None


def test_check_refuses_wrong_credentials(odoo17: Odoo) -> None:
    db = odoo17.db
    db.check("odoo", ADMIN, "admin")
    for uid, password in ((ADMIN, "nope"), (999, "admin"), (SUPERUSER, ""), (ADMIN, "")):
        with pytest.raises(errors.AccessDenied):
            db.check("odoo", uid, password)


def test_an_unknown_database_is_access_denied(odoo17: Odoo) -> None:
    with pytest.raises(errors.AccessDenied):
        odoo17.db.login("prod", "admin", "admin")
    with pytest.raises(errors.AccessDenied):
        odoo17.db.check("prod", ADMIN, "admin")


def test_five_failures_put_logins_on_cooldown_for_a_minute(odoo17: Odoo) -> None:
    db = odoo17.db
    for _ in range(5):
        assert db.login("odoo", "admin", "bad") is False
    with pytest.raises(errors.AccessDenied, match="Too many login failures"):
        db.login("odoo", "admin", "admin")
    with pytest.raises(errors.AccessDenied, match="Too many login failures"):
        db.check("odoo", ADMIN, "admin")
    odoo17.clock.advance(61)
    for _ in range(5):
        assert db.login("odoo", "admin", "") is False
    assert db.login("odoo", "admin", "admin") == ADMIN
    assert db.login("odoo", "admin", "bad") is False
    assert db.login("odoo", "admin", "admin") == ADMIN


def test_configured_users(tmp_path: Path) -> None:
    users = [
        UserSeed(
            "bot",
            "s3cret",
            "Bot",
            ("base.group_user", "stock.group_stock_user"),
            api_keys=("bot-key",),
        )
    ]
    db = OdooDatabase(tmp_path / "db", version=18, users=users)
    assert db.login("odoo", "admin", "admin") == ADMIN
    assert db.login("odoo", "bot", "s3cret") == 3
    assert db.uid_for_api_key("bot-key") == 3
    assert db.login("odoo", "integration", "integration") is False
    groups = db.execute(ADMIN, "res.users", "read", [[3], ["groups_id"]], {})[0]["groups_id"]
    assert len(groups) == 2


def test_the_reader_may_read_but_not_change(odoo: Odoo) -> None:
    order = odoo.order()
    assert odoo.call("sale.order", "read", [order], ["name"], uid=READ_ONLY)
    with pytest.raises(errors.AccessError) as raised:
        odoo.call("res.partner", "create", {"name": "X"}, uid=READ_ONLY)
    assert raised.value.message == (
        "You are not allowed to create 'Contact' (res.partner) records.\n\n"
        "This operation is allowed for the following groups:\n"
        "\t- Extra Rights / Contact Creation\n\t- Sales / User: Own Documents Only\n\n"
        "Contact your administrator to request access if necessary."
    )
    with pytest.raises(errors.AccessError, match="not allowed to modify 'Sales Order'"):
        odoo.call("sale.order", "write", [order], {"note": "x"}, uid=READ_ONLY)
    with pytest.raises(errors.AccessError, match="not allowed to delete 'Sales Order'"):
        odoo.call("sale.order", "unlink", [order], uid=READ_ONLY)
    with pytest.raises(errors.AccessError, match="not allowed to modify"):
        odoo.call("sale.order", "action_confirm", [order], uid=READ_ONLY)


def test_external_ids_need_rights_but_lookups_do_not(odoo17: Odoo) -> None:
    with pytest.raises(errors.AccessError, match=r"'Model Data' \(ir\.model\.data\)"):
        odoo17.call("ir.model.data", "search_read", [], ["name"])
    assert odoo17.call("ir.model.data", "check_object_reference", "base", "de")[0] == (
        "res.country"
    )
    assert odoo17.call("ir.model.data", "search_count", [], uid=ADMIN) > 10


def test_superuser_and_admin_bypass_the_table(odoo17: Odoo) -> None:
    assert odoo17.call("ir.model.data", "search_count", [], uid=SUPERUSER) > 10
    odoo17.call("res.country", "create", {"name": "Atlantis", "code": "AT"}, uid=ADMIN)
    with pytest.raises(errors.AccessError):
        odoo17.call("res.country", "create", {"name": "Lemuria"})


def test_export_needs_the_export_group(odoo17: Odoo) -> None:
    partner = odoo17.partner("Acme", country_id=odoo17.ref("base.fr"))
    exported = odoo17.call(
        "res.partner", "export_data", [partner], ["id", "name", "country_id/id", "country_id"]
    )
    [[xmlid, name, country_xmlid, country]] = exported["datas"]
    assert xmlid.startswith(f"__export__.res_partner_{partner}_")
    assert (name, country_xmlid, country) == ("Acme", "base.fr", "France")
    again = odoo17.call("res.partner", "export_data", [partner], ["id"])
    assert again["datas"] == [[xmlid]]
    with pytest.raises(errors.UserError, match="rights to export data"):
        odoo17.call("res.partner", "export_data", [partner], ["name"], uid=READ_ONLY)


def test_export_adds_lines_for_one2many_children(odoo17: Odoo) -> None:
    order = odoo17.order()
    product = odoo17.product("Gadget", "G-1")
    odoo17.call(
        "sale.order",
        "write",
        [order],
        {"order_line": [(0, 0, {"product_id": product, "product_uom_qty": 2})]},
    )
    exported = odoo17.call(
        "sale.order",
        "export_data",
        [order],
        ["name", "order_line/product_id", "order_line/product_uom_qty"],
    )
    assert exported["datas"] == [
        ["S00001", "[W-1] Widget", 5.0],
        ["", "[G-1] Gadget", 2.0],
    ]


def test_admin_creates_users_with_unique_logins(odoo17: Odoo) -> None:
    user = odoo17.call(
        "res.users", "create", {"name": "Picker", "login": "picker", "password": "p1ck"}, uid=ADMIN
    )
    assert odoo17.db.login("odoo", "picker", "p1ck") == user
    assert odoo17.call("res.users", "read", [user], ["password"], uid=ADMIN)[0]["password"] == ""
    with pytest.raises(errors.ValidationError, match="two users with the same login"):
        odoo17.call("res.users", "create", {"name": "Again", "login": "picker"}, uid=ADMIN)
    with pytest.raises(errors.AccessError):
        odoo17.call("res.users", "create", {"name": "Nope", "login": "nope"})
