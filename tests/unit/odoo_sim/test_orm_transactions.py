"""One call, one transaction: committed on return, rolled back on any error, durable across
a reopen of the SQLite file; write dates are the transaction's start."""

from __future__ import annotations

from pathlib import Path

import pytest

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import OdooDatabase

from .orm_world import ADMIN, Odoo


def test_a_failing_call_writes_nothing(odoo17: Odoo) -> None:
    before = odoo17.call("res.partner", "search_count", [])
    with pytest.raises(errors.ValidationError):
        odoo17.call("res.partner", "create", [{"name": "Fine"}, {"name": "Bad", "state_id": 999}])
    assert odoo17.call("res.partner", "search_count", []) == before


def test_an_error_after_some_writes_undoes_them(odoo17: Odoo) -> None:
    order = odoo17.order()
    bad_line = (0, 0, {"product_id": 999999, "name": "x"})
    with pytest.raises(errors.ValidationError):
        odoo17.call(
            "sale.order", "write", [order], {"client_order_ref": "PO-1", "order_line": [bad_line]}
        )
    [row] = odoo17.call("sale.order", "read", [order], ["client_order_ref", "order_line"])
    assert row["client_order_ref"] is False
    assert len(row["order_line"]) == 1


def test_a_refused_unlink_deletes_nothing(odoo17: Odoo) -> None:
    order = odoo17.order()
    odoo17.call("sale.order", "action_confirm", [order])
    with pytest.raises(errors.UserError, match="You must first cancel it"):
        odoo17.call("sale.order", "unlink", [order])
    assert odoo17.call("sale.order", "search_count", [("id", "=", order)]) == 1


def test_a_python_error_becomes_a_server_error_with_the_traceback(odoo17: Odoo) -> None:
    with pytest.raises(errors.OdooError) as raised:
        odoo17.call("res.partner", "search_read", [], ["name"], "not-an-offset")
    assert type(raised.value) is errors.OdooError
    assert raised.value.message.startswith("Traceback (most recent call last):")
    assert raised.value.fault_code == 1


def test_data_survives_a_reopen(odoo: Odoo) -> None:
    partner = odoo.partner("Durable", email="d@x")
    picking = odoo.confirmed_picking()
    odoo.reopen()
    [row] = odoo.call("res.partner", "read", [partner], ["name", "email"])
    assert row == {"id": partner, "name": "Durable", "email": "d@x"}
    assert odoo.picking_state(picking) == "assigned"
    assert odoo.db.login("odoo", "integration", "integration") == 3
    assert odoo.partner("After") > partner


def test_ids_of_a_rolled_back_call_are_not_handed_out_again(odoo17: Odoo) -> None:
    first = odoo17.partner("First")
    with pytest.raises(errors.ValidationError):
        odoo17.call("res.partner", "create", [{"name": "Lost"}, {"name": "x", "state_id": 99}])
    odoo17.reopen()
    assert odoo17.partner("Next") > first + 1


def test_reopening_with_another_version_is_refused(tmp_path: Path) -> None:
    OdooDatabase(tmp_path / "db", version=16).close()
    with pytest.raises(ValueError, match="Odoo 16 database, not 18"):
        OdooDatabase(tmp_path / "db", version=18)


def test_write_dates_are_the_transaction_start_and_sort_with_ids(odoo17: Odoo) -> None:
    a = odoo17.partner("A", ref="poll")
    b = odoo17.partner("B", ref="poll")
    odoo17.clock.advance(0.5)
    odoo17.call("res.partner", "write", [a], {"email": "a@x"})
    rows = odoo17.call(
        "res.partner",
        "search_read",
        [("ref", "=", "poll"), ("write_date", ">=", "2026-03-02 09:30:00")],
        ["write_date"],
        order="write_date, id",
    )
    assert [r["id"] for r in rows] == [b, a]
    assert {r["write_date"] for r in rows} == {"2026-03-02 09:30:00"}


def test_one_call_has_one_write_date(odoo17: Odoo) -> None:
    ids = odoo17.call("res.partner", "create", [{"name": "A"}, {"name": "B"}])
    dates = {r["write_date"] for r in odoo17.call("res.partner", "read", ids, ["write_date"])}
    assert dates == {"2026-03-02 09:30:00"}


def test_injected_serialization_failures_roll_back(odoo17: Odoo) -> None:
    odoo17.db.inject_serialization_failures(2)
    for _ in range(2):
        with pytest.raises(errors.SerializationFailure, match="could not serialize access"):
            odoo17.partner("Retried")
    odoo17.partner("Retried")
    assert odoo17.call("res.partner", "search_count", [("name", "=", "Retried")]) == 1


def test_a_method_answering_none_still_commits(odoo17: Odoo) -> None:
    order = odoo17.order()
    odoo17.call("sale.order", "action_confirm", [order])
    assert odoo17.call("sale.order", "action_lock", [order], uid=ADMIN) is None
    assert odoo17.call("sale.order", "read", [order], ["locked"])[0]["locked"] is True


def test_write_dates_compare_with_their_microseconds(odoo17: Odoo) -> None:
    partner = odoo17.partner("Late", ref="us")
    domain = [("ref", "=", "us")]
    after = odoo17.call(
        "res.partner", "search", [*domain, ("write_date", ">", "2026-03-02 09:30:00")]
    )
    assert after == [partner]
    exact = odoo17.call(
        "res.partner", "search", [*domain, ("write_date", "=", "2026-03-02 09:30:00")]
    )
    assert exact == []
