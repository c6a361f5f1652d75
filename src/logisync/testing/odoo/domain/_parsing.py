"""Validating and normalizing a domain as the RPC caller sent it.

Odoo changed its domain parser in 18 (``odoo/orm/domains.py`` replaced the list juggling of
``odoo/osv/expression.py``): 16 and 17 check the prefix arity first and then each term,
reporting "Invalid leaf ..."; 18 and 19 build the tree from the end and report the first
problem met on the way back. Both orders are kept so a client sees the error text its server
version would give.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from logisync.testing.odoo.domain._nodes import (
    And,
    Constant,
    Leaf,
    Node,
    Not,
    Or,
    operators_for,
)
from logisync.testing.odoo.errors import ServerTypeError, ServerValueError

_ARITY = {"!": 1, "&": 2, "|": 2}
_TRUE_LEAF = (1, "=", 1)
_FALSE_LEAF = (0, "=", 1)
_COLLECTIONS = (list, tuple, set, frozenset)


def parse(domain: Any, *, version: int = 19) -> Node:
    """Validate ``domain`` (a list of terms in prefix notation) and return its tree.

    Accepts what Odoo ``version`` (16-19) accepts over RPC: lists or tuples for terms,
    ``'&' '|' '!'`` operators with an implicit AND between consecutive top-level items, the
    ``(1, '=', 1)``/``(0, '=', 1)`` constant leaves, an empty domain (matches everything), and
    operators in lower case (any case from 18). Raises ``errors.ServerValueError`` (or
    ``errors.ServerTypeError`` where that Odoo raises a TypeError) with that version's wording
    for a malformed domain or an unknown operator ("Invalid leaf ..." up to 17, "Invalid
    operator in condition ...", "Domain() malformed domain ..." from 18). Field names are not
    checked here (the model's fields are the engine's): ``matches`` raises ``Invalid field``
    through ``DomainRecord.field_type``.
    """
    if version <= 17:
        return _parse_legacy(domain, version)
    return _parse_modern(domain, version)


def _parse_legacy(domain: Any, version: int) -> Node:
    """Odoo 16/17: ``normalize_domain``'s arity check, then ``check_leaf`` on every term."""
    if not isinstance(domain, list | tuple):
        raise ServerValueError(
            "Domains to normalize must have a 'domain' form: a list or tuple of domain components"
        )
    if not domain:
        return Constant(True)  # normalize_domain([]) is TRUE_DOMAIN: everything matches
    expected = 1
    for token in domain:
        if expected == 0:
            expected = 1
        if isinstance(token, list | tuple):
            expected -= 1
        else:
            expected += (_ARITY.get(token, 0) if isinstance(token, str) else 0) - 1
    if expected != 0:
        if version == 16:
            raise ServerValueError(f"This domain is syntactically not correct: {domain}")
        raise ServerValueError(f"Domain {domain} is syntactically not correct.")
    # check_leaf runs front to back, so the first bad term is the one reported
    checked = [
        item if isinstance(item, str) and item in _ARITY else _legacy_term(item, version)
        for item in domain
    ]
    return _assemble(checked, _already_checked, _never_malformed)


def _already_checked(item: Any) -> Node:
    if not isinstance(item, And | Or | Not | Leaf | Constant):
        raise AssertionError(f"unchecked term {item!r}")
    return item


def _legacy_term(item: Any, version: int) -> Node:
    """One term as 16/17's ``is_leaf`` sees it: case-sensitive operators, no coercion."""
    term = tuple(item) if isinstance(item, list | tuple) else item
    valid = (
        isinstance(term, tuple)
        and len(term) == 3
        and isinstance(term[1], str)
        and term[1] in operators_for(version)
        and ((isinstance(term[0], str) and term[0] != "") or term in (_TRUE_LEAF, _FALSE_LEAF))
    )
    if not valid:
        raise ServerValueError(f"Invalid leaf {term}")
    if term in (_TRUE_LEAF, _FALSE_LEAF) and not isinstance(term[0], str):
        return Constant(term == _TRUE_LEAF)
    left, operator, right = term
    if operator in ("any", "not any"):
        return Leaf(left, operator, _parse_legacy(right, version))
    return _normalized_leaf(left, operator, right, modern=False)


def _never_malformed(domain: Any) -> ServerValueError:
    """The arity check of 16/17 already refused what could not be assembled."""
    raise AssertionError(f"domain {domain!r} passed the arity check but cannot be assembled")


def _parse_modern(domain: Any, version: int) -> Node:
    """Odoo 18/19: ``Domain(...)`` accepts a bool, and reports errors as it meets them."""
    if domain is True or domain is False:
        return Constant(domain)
    if not isinstance(domain, list | tuple):
        raise ServerTypeError(f"Domain() invalid argument type for domain: {domain!r}")
    return _assemble(domain, lambda item: _modern_term(item, version), _malformed)


def _malformed(domain: Any) -> ServerValueError:
    return ServerValueError(f"Domain() malformed domain {domain!r}")


def _modern_term(item: Any, version: int) -> Node:
    """One term as ``Domain(*item)`` of 18/19 checks it."""
    if not (isinstance(item, list | tuple) and len(item) == 3):
        raise ServerValueError(f"Domain() invalid item in domain: {item!r}")
    left, operator, right = item
    if not isinstance(left, str):
        if tuple(item) in (_TRUE_LEAF, _FALSE_LEAF):
            return Constant(tuple(item) == _TRUE_LEAF)
        raise ServerTypeError(f"Domain() invalid arguments: {tuple(item)!r}")
    if not left:
        raise ServerTypeError(f"Empty field name in condition {(left, operator, right)!r}")
    if isinstance(operator, str):
        operator = operator.lower()
    if not isinstance(operator, str) or operator not in operators_for(version):
        raise ServerValueError(f"Invalid operator in condition {(left, operator, right)!r}")
    if operator in ("any", "not any"):
        return Leaf(left, operator, _parse_modern(right, version))
    return _normalized_leaf(left, operator, right, modern=True)


def _normalized_leaf(left: str, operator: str, right: Any, *, modern: bool) -> Leaf:
    """One spelling per meaning, so that ``matches`` has fewer cases to know.

    ``None`` is ``False``; ``<>``/``==`` are ``!=``/``=``; ``=``/``!=`` with a collection are
    ``in``/``not in`` (an empty one meaning ``False``, as views use ``('ids', '!=', [])``);
    ``in``/``not in`` take a tuple. A scalar given to ``in`` is a one-element collection, except
    that from 18 a falsy one is the empty collection (``_optimize_in_list``).
    """
    value = False if right is None else right
    operator = {"<>": "!=", "==": "="}.get(operator, operator)
    if operator in ("=", "!=") and isinstance(value, _COLLECTIONS):
        operator = "in" if operator == "=" else "not in"
        value = tuple(value) or (False,)
    elif operator in ("in", "not in"):
        if isinstance(value, _COLLECTIONS):
            value = tuple(value)
        else:
            value = () if modern and not value else (value,)
    return Leaf(left, operator, value)


def _assemble(
    domain: list[Any] | tuple[Any, ...],
    term: Callable[[Any], Node],
    malformed: Callable[[Any], ServerValueError],
) -> Node:
    """Build the tree from the end of the prefix list; leftover items are AND-ed in order."""
    stack: list[Node] = []
    for item in reversed(domain):
        if isinstance(item, str) and item in _ARITY:
            if len(stack) < _ARITY[item]:
                raise malformed(domain)
            if item == "!":
                stack.append(Not(stack.pop()))
            else:
                first, second = stack.pop(), stack.pop()
                stack.append(_combine(And if item == "&" else Or, first, second))
        else:
            stack.append(term(item))
    if not stack:
        return Constant(True)
    if len(stack) == 1:
        return stack[0]
    result = stack.pop()
    while stack:
        result = _combine(And, result, stack.pop())
    return result


def _combine(kind: type[And] | type[Or], first: Node, second: Node) -> Node:
    """``kind`` of two nodes, flattening nested nodes of the same kind."""
    children: list[Node] = []
    for node in (first, second):
        children.extend(node.children if isinstance(node, kind) else (node,))
    return kind(tuple(children))
