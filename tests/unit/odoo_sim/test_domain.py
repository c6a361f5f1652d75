"""The Odoo test server's domain engine selects what Odoo's ``search`` would select.

Partners (see domain_world): 1 Acme, 2 John Smith (child of 1), 3 Jane Doe (child of 2),
4 Globex, 5 Old Corp (archived, child of 4), 6 Nobody. Orders: 1 (Acme; Widget, Gadget),
2 (Jane; Widget x5), 3 (no partner, no lines), 4 (Old Corp; archived product).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from logisync.testing.odoo.domain import And, Constant, Leaf, Not, Or, matches, mentions, parse

from .domain_world import World, sample_world

ALL = {1, 2, 3, 4, 5, 6}


@pytest.fixture(scope="module")
def world() -> World:
    return sample_world()


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ([("name", "=", "Acme")], {1}),
        ([("name", "!=", "Acme")], ALL - {1}),
        ([("email", "=", False)], {3, 4, 6}),  # '' counts as unset, as in Odoo 18+
        ([("email", "!=", False)], {1, 2, 5}),
        ([("email", "in", ["info@acme.example", False])], {1, 3, 4, 6}),
        ([("email", "not in", ["info@acme.example", False])], {2, 5}),
        ([("email", "=", None)], {3, 4, 6}),
        ([("employees", ">", 10)], {1}),
        ([("employees", "<", 10)], ALL - {1}),  # an unset integer reads as 0
        ([("employees", ">=", 0)], ALL),
        ([("employees", "=", False)], ALL - {1}),
        ([("employees", "<=", "50")], ALL),
        ([("credit_limit", ">=", 1000)], {1}),
        ([("credit_limit", "<", False)], set()),
        ([("is_company", "=", True)], {1, 4, 5}),
        ([("is_company", "=", False)], {2, 3, 6}),
        ([("is_company", "!=", True)], {2, 3, 6}),
        ([("is_company", "in", [True, False])], ALL),
        ([("is_company", "=", "false")], {2, 3, 6}),
        ([("active", "=", False)], {5}),
        ([("type", "=", "contact")], {2}),
        ([("type", "!=", "contact")], ALL - {2}),
        ([("type", "in", ["delivery", False])], {1, 3, 4, 5, 6}),
        ([("type", "in", [])], set()),
        ([("type", "not in", [])], ALL),
        ([("id", "in", [1, 2])], {1, 2}),
        ([("id", ">", 4)], {5, 6}),
        ([("id", "=", False)], set()),
        ([("id", "!=", False)], ALL),
        ([("display_name", "ilike", "smith")], {2}),
        ([("email", "=?", False)], ALL),
        ([("email", "=?", "")], ALL),
        ([("email", "=?", "john@acme.example")], {2}),
        ([("email", "=", [])], {3, 4, 6}),
        ([("email", "!=", [])], {1, 2, 5}),
        ([("email", "<>", False)], {1, 2, 5}),
    ],
)
def test_scalar_operators(world: World, domain: Any, expected: set[int]) -> None:
    assert world.ids(domain) == expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ([("name", "like", "Acme")], {1}),
        ([("name", "like", "acme")], set()),
        ([("name", "ilike", "acme")], {1}),
        ([("name", "ILIKE", "acme")], {1}),
        ([("name", "not ilike", "o")], {1}),
        ([("name", "not like", "O")], ALL - {5}),
        ([("name", "not ilike", "O")], {1}),
        ([("email", "not ilike", "acme")], {3, 4, 5, 6}),  # unset matches a negative pattern
        ([("email", "like", "%acme%")], {1, 2}),
        ([("email", "like", "j_hn")], {2}),
        ([("name", "=like", "J%")], {2, 3}),
        ([("name", "=like", "j%")], set()),
        ([("name", "=ilike", "j%")], {2, 3}),
        ([("name", "=like", "J_hn%")], {2}),
        ([("name", "=like", "Acm")], set()),
        ([("name", "not =like", "J%")], {1, 4, 5, 6}),
        ([("name", "not =ilike", "j%")], {1, 4, 5, 6}),
        ([("email", "ilike", "")], ALL),
        ([("email", "ilike", False)], ALL),
        ([("email", "not ilike", "")], set()),
        ([("email", "=like", "")], {3, 4, 6}),
        ([("email", "not =like", "")], {1, 2, 5}),
        ([("email", "like", "100%")], set()),
        ([("email", "=like", "info@acme.exampl\\%")], set()),
        ([("employees", "like", 5)], {1}),
        ([("is_company", "=like", "tru%")], {1, 4, 5}),
        ([("birthday", "like", "1990")], {3}),
    ],
)
def test_pattern_operators(world: World, domain: Any, expected: set[int]) -> None:
    assert world.ids(domain) == expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ([("birthday", "<", "2000-01-01")], {3}),
        ([("birthday", ">=", "2000-01-01")], {5}),
        ([("birthday", "=", False)], {1, 2, 4, 6}),
        ([("birthday", ">", False)], set()),
        ([("birthday", "=", "1990-02-03 15:00:00")], {3}),
        ([("write_date", ">=", "2024-05-01")], {1, 2, 3}),
        ([("write_date", "<=", "2024-05-01")], {1, 2, 4, 5}),  # the whole day, as in Odoo
        ([("write_date", "<", "2024-05-01")], {4, 5}),
        ([("write_date", ">", "2024-05-01")], {3}),
        ([("write_date", "=", "2024-05-01 10:00:00")], {1}),
        ([("write_date", "=", "2024-05-01T10:00:00")], {1}),
        ([("write_date", "=", "2024-05-01T12:00:00+02:00")], {1}),  # stored as naive UTC
        ([("write_date", "=", datetime(2024, 5, 1, 10, tzinfo=UTC))], {1}),
        ([("write_date", "<", date(2024, 5, 1))], {4, 5}),
        ([("birthday", "=", date(1990, 2, 3))], {3}),
        ([("write_date", "in", ["2020-01-01", "2024-05-01 10:00:00"])], {1, 5}),
        ([("write_date", "=", False)], {6}),
    ],
)
def test_dates_and_datetimes_compare_as_odoo_strings(
    world: World, domain: Any, expected: set[int]
) -> None:
    assert world.ids(domain) == expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ([("country_id", "=", 1)], {1, 2}),
        ([("country_id", "!=", 1)], {3, 4, 5, 6}),
        ([("country_id", "=", False)], {6}),
        ([("country_id", "!=", False)], {1, 2, 3, 4, 5}),
        ([("country_id", "in", [1, False])], {1, 2, 6}),
        ([("country_id", "not in", [1, False])], {3, 4, 5}),
        ([("country_id", ">", 1)], {3, 4, 5}),
        ([("country_id", "ilike", "bel")], {1, 2}),
        ([("country_id", "not ilike", "bel")], {3, 4, 5, 6}),
        ([("country_id", "=", "France")], {3, 4}),
        ([("country_id", "!=", "France")], {1, 2, 5, 6}),
        ([("country_id", "in", ["France", 1])], {1, 2, 3, 4}),
        ([("country_id", "ilike", "atlantis")], {5}),  # a many2one sees archived records
        ([("country_id", "ilike", "")], {1, 2, 3, 4, 5}),
        ([("country_id", "=?", False)], ALL),
        ([("country_id", "=?", 2)], {3, 4}),
        ([("country_id.code", "=", "BE")], {1, 2}),
        ([("country_id.code", "!=", "BE")], {3, 4, 5}),  # a path needs a related record
        ([("parent_id.parent_id.name", "=", "Acme")], {3}),
        ([("parent_id.is_company", "=", True)], {2, 5}),
    ],
)
def test_many2one(world: World, domain: Any, expected: set[int]) -> None:
    assert world.ids(domain) == expected


@pytest.mark.parametrize(
    ("domain", "active_test", "expected"),
    [
        ([("category_id", "=", False)], True, {2, 3, 6}),
        ([("category_id", "!=", False)], True, {1, 4, 5}),
        ([("category_id", "in", [2])], True, {4}),
        ([("category_id", "=", 1)], True, {1, 4}),
        ([("category_id", "!=", 1)], True, {2, 3, 5, 6}),  # no tag 1, not "a tag other than 1"
        ([("category_id", "not in", [1, 2])], True, {2, 3, 5, 6}),
        ([("category_id", "in", [2, False])], True, {2, 3, 4, 6}),
        ([("category_id", "not in", [2, False])], True, {1, 5}),
        ([("category_id", "=", 3)], True, {5}),  # ids see archived records
        ([("category_id", "ilike", "vend")], True, {4}),
        ([("category_id", "not ilike", "cust")], True, {2, 3, 5, 6}),
        ([("category_id", "=", "Vendor")], True, {4}),
        ([("category_id", "ilike", "old")], True, set()),  # names do not
        ([("category_id", "ilike", "old")], False, {5}),
        ([("category_id.name", "=", "Customer")], True, {1, 4}),
        ([("category_id.name", "!=", "Customer")], True, {4}),
        ([("child_ids", "=", False)], True, {3, 5, 6}),
        ([("child_ids.name", "=", "Old Corp")], True, set()),
        ([("child_ids.name", "=", "Old Corp")], False, {4}),
        ([("child_ids.child_ids.name", "ilike", "jane")], True, {1}),
    ],
)
def test_x2many(world: World, domain: Any, active_test: bool, expected: set[int]) -> None:
    assert world.ids(domain, active_test=active_test) == expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ([("order_line", "=", False)], {3}),
        ([("order_line", "!=", False)], {1, 2, 4}),
        ([("order_line.product_id", "=", 2)], {1}),
        ([("order_line.product_id", "!=", 1)], {1, 4}),
        ([("order_line.product_id.name", "ilike", "widget")], {1, 2}),
        ([("order_line.product_id.name", "=", "Old Thing")], {4}),
        ([("order_line.qty", ">", 3)], {2}),
        ([("partner_id.country_id.code", "=", "BE")], {1}),
        ([("partner_id", "ilike", "corp")], {4}),
        ([("partner_id", "=", False)], {3}),
        ([("date_order", "<", "2024-05-02")], {1}),
        ([("amount_total", "=", False)], {2}),
        ([("state", "in", ["sale", "draft"])], {1, 2, 4}),
    ],
)
def test_orders_and_lines(world: World, domain: Any, expected: set[int]) -> None:
    assert world.ids(domain, "sale.order") == expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ([("order_line", "any", [("product_id", "=", 1), ("qty", ">", 3)])], {2}),
        # the same conditions as two paths may be met by two different lines
        ([("order_line.product_id", "=", 2), ("order_line.qty", ">", 1)], {1}),
        ([("order_line", "any", [("product_id", "=", 2), ("qty", ">", 1)])], set()),
        ([("order_line", "not any", [("product_id", "=", 1)])], {3, 4}),
        ([("order_line", "any", [])], {1, 2, 4}),
        ([("partner_id", "any", [("is_company", "=", True)])], {1, 4}),
        ([("partner_id", "not any", [("is_company", "=", True)])], {2, 3}),
        ([("id", "any", [("name", "=", "SO001")])], {1}),
        ([("id", "not any", [("name", "=", "SO001")])], {2, 3, 4}),
        # a many2one's sub-search finds archived records at every level below it
        ([("partner_id", "any", [("category_id", "any", [("name", "=", "Old tag")])])], {4}),
        ([("partner_id", "child_of", 1)], {1, 2}),
        ([("partner_id", "child_of", "Acme")], {1, 2}),
    ],
)
def test_any_and_not_any(world: World, domain: Any, expected: set[int]) -> None:
    assert world.ids(domain, "sale.order") == expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ([("id", "child_of", 1)], {1, 2, 3}),
        ([("id", "child_of", [2, 4])], {2, 3, 4, 5}),
        ([("id", "child_of", "Acme")], {1, 2, 3}),
        ([("id", "child_of", ["Globex", 2])], {2, 3, 4, 5}),
        ([("id", "child_of", False)], set()),
        ([("id", "child_of", [])], set()),
        ([("parent_id", "child_of", 1)], {1, 2, 3}),  # a many2one to itself: the record
        ([("id", "parent_of", 3)], {1, 2, 3}),
        ([("id", "parent_of", "John Smith")], {1, 2}),
        ([("id", "parent_of", [3, 5])], {1, 2, 3, 4, 5}),
        ([("parent_id", "parent_of", 3)], {1, 2, 3}),
        ([("country_id", "child_of", 1)], {1, 2}),  # no parent field: the roots only
        ([("country_id", "parent_of", [2, 3])], {3, 4, 5}),
        ([("category_id", "child_of", 2)], {4}),
        ([("child_ids", "parent_of", 2)], {1}),
        (["!", ("id", "child_of", 1)], {4, 5, 6}),
    ],
)
def test_child_of_and_parent_of(world: World, domain: Any, expected: set[int]) -> None:
    assert world.ids(domain) == expected


def test_a_parent_cycle_ends_the_walk() -> None:
    world = sample_world()
    world.add("res.partner", 7, name="Ouroboros A", parent_id=8)
    world.add("res.partner", 8, name="Ouroboros B", parent_id=7)
    assert world.ids([("id", "child_of", 7)]) == {7, 8}
    assert world.ids([("id", "parent_of", 8)]) == {7, 8}
    assert world.ids([("id", "child_of", 1)]) == {1, 2, 3}


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ([], ALL),
        ([(1, "=", 1)], ALL),
        ([[0, "=", 1]], set()),
        (True, ALL),
        (False, set()),
        (["|", ("name", "=", "Acme"), ("name", "=", "Globex")], {1, 4}),
        (["&", ("is_company", "=", True), ("country_id", "=", 2)], {4}),
        ([("is_company", "=", True), ("country_id", "=", 2)], {4}),  # implicit AND
        (["!", ("name", "=", "Acme")], ALL - {1}),
        (["!", ("employees", "<", 10)], {1}),  # '!' is the exact complement
        (["!", "!", ("name", "=", "Acme")], {1}),
        (["!", "|", ("name", "=", "Acme"), ("is_company", "=", False)], {4, 5}),
        # ['|', A, B, C] is (A or B) and C
        (["|", ("id", "=", 1), ("id", "=", 2), ("is_company", "=", True)], {1}),
        ([("id", "<", 5), "|", ("id", "=", 1), ("id", "=", 4)], {1, 4}),
        (["|", "&", ("id", ">", 2), ("id", "<", 5), ("name", "=", "Acme")], {1, 3, 4}),
        (("|", ["id", "=", 1], ["id", "=", 6]), {1, 6}),
    ],
)
def test_prefix_notation(world: World, domain: Any, expected: set[int]) -> None:
    assert world.ids(domain) == expected


def test_parse_normalizes_spellings() -> None:
    assert parse([("a", "<>", None)]) == Leaf("a", "!=", False)
    assert parse([("a", "==", 1)]) == Leaf("a", "=", 1)
    assert parse([("a", "=", [1, 2])]) == Leaf("a", "in", (1, 2))
    assert parse([("a", "!=", [])]) == Leaf("a", "not in", (False,))
    assert parse([("a", "in", 3)]) == Leaf("a", "in", (3,))
    assert parse([("a", "in", False)]) == Leaf("a", "in", ())
    assert parse([("a", "in", False)], version=16) == Leaf("a", "in", (False,))
    assert parse(["&", "&", ("a", "=", 1), ("b", "=", 2), "!", ("c", "=", 3)]) == And(
        (Leaf("a", "=", 1), Leaf("b", "=", 2), Not(Leaf("c", "=", 3)))
    )
    assert parse(["|", ("a", "=", 1), (0, "=", 1)]) == Or((Leaf("a", "=", 1), Constant(False)))
    assert parse([("p", "any", [])]) == Leaf("p", "any", Constant(True))


def test_matches_does_not_hide_archived_records_itself(world: World) -> None:
    """The engine adds ('active', '=', True) for the searched model, as Odoo does."""
    old_corp = world.tables["res.partner"][5]
    assert matches(parse([("name", "=", "Old Corp")]), old_corp)
    assert world.ids([("active", "=", True)]) == ALL - {5}


def test_mentions_tells_the_engine_whether_to_add_its_active_filter() -> None:
    assert mentions(parse(["|", ("active", "=", False), ("name", "=", "x")]), "active")
    assert mentions(parse(["!", ("active", "=", True)]), "active")
    assert not mentions(parse([("child_ids", "any", [("active", "=", False)])]), "active")
    assert not mentions(parse([("parent_id.active", "=", False)]), "active")
    assert not mentions(parse([]), "active")
