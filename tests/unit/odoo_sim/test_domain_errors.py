"""Malformed domains fail as the client's Odoo version fails, with its words."""

from __future__ import annotations

from typing import Any

import pytest

from logisync.testing.odoo.domain import Constant, parse
from logisync.testing.odoo.errors import ServerTypeError, ServerValueError

from .domain_world import World, sample_world


@pytest.fixture(scope="module")
def world() -> World:
    return sample_world()


@pytest.mark.parametrize(
    ("domain", "version", "error", "message"),
    [
        (["&", ("a", "=", 1)], 16, ServerValueError, "This domain is syntactically not correct"),
        (["&", ("a", "=", 1)], 17, ServerValueError, "Domain ['&', ('a', '=', 1)] is syntac"),
        (["&", ("a", "=", 1)], 18, ServerValueError, "Domain() malformed domain ['&', ("),
        (["!"], 19, ServerValueError, "Domain() malformed domain ['!']"),
        ([("a", "foo", 1)], 16, ServerValueError, "Invalid leaf ('a', 'foo', 1)"),
        ([["a", "foo", 1]], 17, ServerValueError, "Invalid leaf ('a', 'foo', 1)"),
        ([("a", "foo", 1)], 19, ServerValueError, "Invalid operator in condition ('a', 'foo', 1)"),
        ([("a", None, 1)], 19, ServerValueError, "Invalid operator in condition ('a', None, 1)"),
        ([("a", "ILIKE", "x")], 16, ServerValueError, "Invalid leaf ('a', 'ILIKE', 'x')"),
        ([("a", "any", [])], 16, ServerValueError, "Invalid leaf ('a', 'any', [])"),
        ([("a", "not =like", "x")], 18, ServerValueError, "Invalid operator in condition"),
        (["foo"], 16, ServerValueError, "Invalid leaf foo"),
        (["foo"], 19, ServerValueError, "Domain() invalid item in domain: 'foo'"),
        ([("a", "=")], 19, ServerValueError, "Domain() invalid item in domain: ('a', '=')"),
        ([("a", "=")], 16, ServerValueError, "Invalid leaf ('a', '=')"),
        ([("", "=", 1)], 16, ServerValueError, "Invalid leaf ('', '=', 1)"),
        ([("", "=", 1)], 19, ServerTypeError, "Empty field name in condition ('', '=', 1)"),
        ([(5, "=", 1)], 19, ServerTypeError, "Domain() invalid arguments: (5, '=', 1)"),
        ("name", 19, ServerTypeError, "Domain() invalid argument type for domain: 'name'"),
        ("name", 16, ServerValueError, "Domains to normalize must have a 'domain' form"),
        (True, 17, ServerValueError, "Domains to normalize must have a 'domain' form"),
        ([("a", "any", 5)], 19, ServerTypeError, "Domain() invalid argument type for domain: 5"),
        ([("a", "any", 5)], 17, ServerValueError, "Domains to normalize must have"),
        ([("a", "any", ["&"])], 19, ServerValueError, "Domain() malformed domain ['&']"),
    ],
)
def test_malformed_domains(domain: Any, version: int, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as raised:
        parse(domain, version=version)
    assert str(raised.value).startswith(message)


def test_legacy_versions_report_the_first_bad_term_and_modern_ones_the_last() -> None:
    domain = [("a", "foo", 1), ("b", "bar", 2)]
    with pytest.raises(ServerValueError, match="'foo'"):
        parse(domain, version=17)
    with pytest.raises(ServerValueError, match="'bar'"):
        parse(domain, version=18)


@pytest.mark.parametrize(
    ("domain", "model", "error", "message"),
    [
        ([("nope", "=", 1)], "res.partner", ServerValueError, "Invalid field 'nope' on model"),
        ([("country_id.nope", "=", 1)], "res.partner", ServerValueError, "Invalid field 'nope'"),
        ([("name.first", "=", 1)], "res.partner", ServerValueError, "Invalid field 'name.first'"),
        ([("name", "any", [])], "res.partner", ServerValueError, "Cannot use 'any' with non-"),
        ([("name", "child_of", 1)], "res.partner", ServerValueError, "Cannot execute child_of"),
        ([("name", "=like", 5)], "res.partner", ServerTypeError, "The pattern to match must be"),
        ([("country_id", ">", "B")], "res.partner", ServerTypeError, "Inequality not supported"),
        ([("category_id", ">", 1)], "res.partner", ServerValueError, "Relational field res.part"),
        ([("employees", ">", "many")], "res.partner", ServerValueError, "Invalid value 'many'"),
        ([("birthday", "<", "soon")], "res.partner", ServerValueError, "Invalid isoformat"),
        ([("write_date", "<", "soon")], "res.partner", ServerValueError, "Invalid isoformat"),
        ([("id", "child_of", 1.5)], "res.partner", ServerTypeError, "Invalid argument to get"),
        ([("order_line", "<", 3)], "sale.order", ServerValueError, "Relational field sale.ord"),
    ],
)
def test_bad_conditions_fail_when_evaluated(
    world: World, domain: Any, model: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        world.ids(domain, model)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize("version", [16, 17, 18, 19])
def test_an_empty_domain_matches_everything_in_every_version(version: int) -> None:
    assert parse([], version=version) == Constant(True)
