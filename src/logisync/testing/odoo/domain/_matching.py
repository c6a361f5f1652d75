"""Evaluating a parsed domain against one record.

Every term is a predicate on the record, and ``'!'`` is its exact complement, as in Odoo 18+
(16 and 17 pushed ``'!'`` into the operator, so ``['!', ('qty', '<', 5)]`` there missed
unset values; nothing relies on that). A dotted path ``a.b op v`` is ``a any [(b op v)]``
whatever the operator, which is how Odoo rewrites it: ``('order_line.product_id', '!=', 5)``
means "some line with another product".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from logisync.testing.odoo.domain._nodes import And, Leaf, Node, Not, Or
from logisync.testing.odoo.domain._parsing import parse
from logisync.testing.odoo.domain._record import DomainRecord
from logisync.testing.odoo.domain._relations import (
    RELATIONAL_TYPES,
    X2MANY_TYPES,
    hierarchy,
    many2one_compare,
    many2one_in,
    names_like,
    visible,
    x2many_compare,
    x2many_in,
)
from logisync.testing.odoo.domain._values import scalar_compare, scalar_in, scalar_like
from logisync.testing.odoo.errors import ServerTypeError, ServerValueError

R = TypeVar("R", bound=DomainRecord)

_NEGATIVE_LIKE = frozenset({"not like", "not ilike", "not =like", "not =ilike"})


def matches(node: Node, record: DomainRecord, *, active_test: bool = True) -> bool:
    """Whether ``record`` satisfies the parsed domain ``node``.

    ``active_test`` applies to records reached through x2many fields (dotted paths,
    ``any``, names), as Odoo searches them with the caller's context; it does not filter
    ``record`` itself (the engine adds ``('active', '=', True)`` for that). Many2one paths and
    ``child_of``/``parent_of`` ignore it, as Odoo does. Raises ``errors.ServerValueError`` for
    an unknown field (from ``field_type``) or a value the operator cannot take (some are
    ``errors.ServerTypeError``, as in Odoo).
    """
    if isinstance(node, Leaf):
        return _leaf_matches(node, record, active_test)
    if isinstance(node, And):
        return all(matches(child, record, active_test=active_test) for child in node.children)
    if isinstance(node, Or):
        return any(matches(child, record, active_test=active_test) for child in node.children)
    if isinstance(node, Not):
        return not matches(node.child, record, active_test=active_test)
    return node.value


def filter_records(
    domain: Any, records: Iterable[R], *, version: int = 19, active_test: bool = True
) -> list[R]:
    """``parse`` then ``matches``: the records that ``domain`` selects, in the given order."""
    node = parse(domain, version=version)
    return [record for record in records if matches(node, record, active_test=active_test)]


def _kind(record: DomainRecord, name: str) -> str:
    """The field type, with ``id`` and ``display_name`` known on every model."""
    if name == "id":
        return "id"
    if name == "display_name":
        return "char"
    return record.field_type(name)


def _stored(record: DomainRecord, name: str) -> Any:
    if name == "id":
        return record.id
    if name == "display_name":
        return record.display_name()
    return record.value(name)


def _leaf_matches(leaf: Leaf, record: DomainRecord, active_test: bool) -> bool:
    name, _, rest = leaf.path.partition(".")
    kind = _kind(record, name)
    if rest:
        if kind not in RELATIONAL_TYPES:
            raise ServerValueError(f"Invalid field {leaf.path!r} on model {record.model!r}")
        return _any(record, name, kind, Leaf(rest, leaf.operator, leaf.value), active_test)
    condition = (leaf.path, leaf.operator, leaf.value)
    if leaf.operator in ("any", "not any"):
        if kind not in RELATIONAL_TYPES and kind != "id":
            raise ServerValueError(
                f"Cannot use 'any' with non-relational fields in condition {condition!r}"
            )
        found = _any(record, name, kind, leaf.value, active_test)
        return found if leaf.operator == "any" else not found
    if leaf.operator in ("child_of", "parent_of"):
        return hierarchy(record, name, kind, leaf.value, condition)
    canonical = _canonical(leaf, kind in RELATIONAL_TYPES)
    if isinstance(canonical, bool):
        return canonical
    return _compare(record, name, kind, canonical, active_test)


def _any(record: DomainRecord, name: str, kind: str, sub: Node, active_test: bool) -> bool:
    """Some record the field points to satisfies ``sub``; on ``id``, the record itself.

    A many2one's sub-search runs with ``active_test`` off (it finds archived records, and so
    does everything nested in it), an x2many's with the caller's, as in Odoo.
    """
    if kind == "id":
        return matches(sub, record, active_test=active_test)
    if kind == "many2one":
        return any(matches(sub, r, active_test=False) for r in record.related(name))
    related = visible(record.related(name), active_test)
    return any(matches(sub, r, active_test=active_test) for r in related)


def _canonical(leaf: Leaf, relational: bool) -> Leaf | bool:
    """Odoo's rewrites before comparing: ``=?`` with an empty value is always true, a pattern
    operator with an empty pattern is a constant or an (un)set test, ``=``/``!=`` are
    ``in``/``not in`` of one value, and ``in``/``not in`` of nothing are constants."""
    op, value = leaf.operator, leaf.value
    if op == "=?":
        if not value:
            return True
        op = "="
    if op.endswith("like"):
        if not value:
            # 'like' with nothing matches everything, '=like' with nothing only ''
            result = (op in _NEGATIVE_LIKE) == ("=" in op)
            if not (relational or "=" in op):
                return result
            op, value = ("!=" if result else "="), False
        elif not isinstance(value, str):
            if "=" in op:
                raise ServerTypeError(
                    f"The pattern to match must be a string in condition "
                    f"{(leaf.path, leaf.operator, value)!r}"
                )
            value = str(value)
    if op in ("=", "!="):
        op = "in" if op == "=" else "not in"
        value = tuple(value) if isinstance(value, list | tuple | set | frozenset) else (value,)
    if op in ("in", "not in") and not value:
        return op == "not in"
    return Leaf(leaf.path, op, value)


def _compare(record: DomainRecord, name: str, kind: str, leaf: Leaf, active_test: bool) -> bool:
    """A canonical condition (``in``, a pattern, or an inequality) on one field."""
    op, value = leaf.operator, leaf.value
    condition = (leaf.path, op, value)
    if op in ("in", "not in"):
        if kind == "many2one":
            found = many2one_in(record, name, value)
        elif kind in X2MANY_TYPES:
            found = x2many_in(record, name, value, active_test)
        else:
            found = scalar_in(kind, _stored(record, name), value, condition)
        return found if op == "in" else not found
    if op.endswith("like"):
        if kind == "many2one":
            return names_like(record.related(name), op, value)
        if kind in X2MANY_TYPES:
            return names_like(visible(record.related(name), active_test), op, value)
        return scalar_like(kind, _stored(record, name), op, value)
    if kind == "many2one":
        return many2one_compare(record, name, op, value, condition)
    if kind in X2MANY_TYPES:
        return x2many_compare(record, name, condition)
    return scalar_compare(kind, _stored(record, name), op, value, condition)
