"""For any domain, the prefix operators are set algebra over the leaves' selections.

``['!', d]`` selects exactly what ``d`` does not (Odoo 18+'s negation, unset values
included), ``'|'``/``'&'`` the union/intersection, consecutive items their intersection.
The leaves are every condition the sample data accepts, over all field kinds and operators.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from logisync.testing.odoo.errors import OdooError

from .domain_world import sample_world

WORLD = sample_world()
ALL = frozenset(record.id for record in WORLD.all("res.partner"))

_VALUES: dict[str, list[Any]] = {
    "name": ["Acme", "J%", "o", "", False],
    "email": [False, "", "john@acme.example", "acme"],
    "employees": [0, 10, 50, False],
    "is_company": [True, False],
    "type": ["contact", False],
    "birthday": ["2000-01-01", False],
    "write_date": ["2024-05-01", "2024-05-01 10:00:00", False],
    "country_id": [1, 2, False, "France", "bel", [1, False]],
    "category_id": [1, 3, False, "Vendor", [2, False]],
    "child_ids": [False, 2, 5],
    "country_id.code": ["BE", False],
    "parent_id.name": ["Acme", "John Smith"],
    "category_id.name": ["Customer", "Old tag"],
    "id": [1, [2, 4], "Acme"],
}
_OPERATORS = [
    "=", "!=", "<", ">=", "like", "not ilike", "=like", "not =ilike",
    "in", "not in", "=?", "child_of", "parent_of",
]  # fmt: skip
_SUB_DOMAINS = [
    ("category_id", "any", [("name", "ilike", "o")]),
    ("parent_id", "not any", [("is_company", "=", True)]),
    ("child_ids", "any", [("active", "=", False)]),
]


def _accepted(leaf: tuple[str, str, Any]) -> bool:
    try:
        WORLD.ids([leaf])
    except OdooError:
        return False
    return True


_CANDIDATES = [
    (path, op, value) for path, values in _VALUES.items() for op in _OPERATORS for value in values
]
LEAVES = [leaf for leaf in _CANDIDATES + _SUB_DOMAINS if _accepted(leaf)]

leaves = st.sampled_from(LEAVES)
active_tests = st.booleans()

Tree = tuple[Any, ...]
trees: st.SearchStrategy[Tree] = st.recursive(
    leaves.map(lambda leaf: ("leaf", leaf)),
    lambda sub: st.one_of(
        st.tuples(st.sampled_from(["&", "|"]), sub, sub),
        st.tuples(st.just("!"), sub),
    ),
    max_leaves=8,
)


def _ids(domain: Any, active_test: bool) -> frozenset[int]:
    return frozenset(WORLD.ids(domain, active_test=active_test))


def _prefix(tree: Tree) -> list[Any]:
    if tree[0] == "leaf":
        return [tree[1]]
    return [tree[0]] + [item for child in tree[1:] for item in _prefix(child)]


def _selected(tree: Tree, active_test: bool) -> frozenset[int]:
    """What ``tree`` selects, computed with set operations from its leaves alone."""
    kind = tree[0]
    if kind == "leaf":
        return _ids([tree[1]], active_test)
    if kind == "!":
        return ALL - _selected(tree[1], active_test)
    first, second = _selected(tree[1], active_test), _selected(tree[2], active_test)
    return first & second if kind == "&" else first | second


def test_the_leaves_cover_every_operator_and_field() -> None:
    assert {op for _, op, _ in LEAVES} >= {*_OPERATORS, "any", "not any"}
    assert {path for path, _, _ in LEAVES} >= set(_VALUES)


@given(leaves, active_tests)
def test_not_is_the_complement(leaf: Any, active_test: bool) -> None:
    assert _ids(["!", leaf], active_test) == ALL - _ids([leaf], active_test)


@given(leaves, leaves, active_tests)
def test_or_is_the_union_and_and_the_intersection(a: Any, b: Any, active_test: bool) -> None:
    first, second = _ids([a], active_test), _ids([b], active_test)
    assert _ids(["|", a, b], active_test) == first | second
    assert _ids(["&", a, b], active_test) == first & second
    assert _ids([a, b], active_test) == first & second


@given(trees, active_tests)
def test_any_prefix_domain_is_the_set_algebra_of_its_leaves(tree: Tree, active_test: bool) -> None:
    assert _ids(_prefix(tree), active_test) == _selected(tree, active_test)


@given(st.lists(trees, min_size=2, max_size=4), active_tests)
def test_consecutive_items_are_and_ed(items: list[Tree], active_test: bool) -> None:
    domain = [item for tree in items for item in _prefix(tree)]
    expected = ALL
    for tree in items:
        expected &= _selected(tree, active_test)
    assert _ids(domain, active_test) == expected
