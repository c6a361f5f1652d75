"""A parsed domain: an immutable tree that ``matches`` walks.

Parsing once and evaluating per record keeps validation errors independent of the data (an
unknown operator fails even when the model is empty, as in Odoo).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_TERM_OPERATORS_16 = frozenset(
    {
        "=",
        "!=",
        "<>",
        ">",
        ">=",
        "<",
        "<=",
        "=?",
        "like",
        "not like",
        "ilike",
        "not ilike",
        "=like",
        "=ilike",
        "in",
        "not in",
        "child_of",
        "parent_of",
    }
)
_TERM_OPERATORS_17 = _TERM_OPERATORS_16 | {"any", "not any"}
_TERM_OPERATORS_19 = _TERM_OPERATORS_17 | {"not =like", "not =ilike", "=="}

OPERATORS = _TERM_OPERATORS_19
"""Every term operator of Odoo 19 (``<>`` and ``==`` are old spellings of ``!=`` and ``=``)."""


def operators_for(version: int) -> frozenset[str]:
    """The term operators Odoo ``version`` accepts: ``any``/``not any`` came in 17,
    ``not =like``/``not =ilike`` in 19."""
    if version >= 19:
        return _TERM_OPERATORS_19
    if version >= 17:
        return _TERM_OPERATORS_17
    return _TERM_OPERATORS_16


@dataclass(frozen=True)
class Leaf:
    """One term ``(path, operator, value)``; ``path`` may be dotted (``'partner_id.name'``).

    For ``any``/``not any`` the value is the parsed sub-domain (a ``Node``) on the comodel.
    ``operator`` is lower-cased, ``<>``/``==`` are spelled ``!=``/``=``, ``=``/``!=`` with a
    list became ``in``/``not in``, and the value of ``in``/``not in`` is a tuple.
    """

    path: str
    operator: str
    value: Any


@dataclass(frozen=True)
class Constant:
    """An always-true or always-false term: Odoo's ``(1, '=', 1)`` / ``(0, '=', 1)`` and the
    bare ``True``/``False`` leaves."""

    value: bool


@dataclass(frozen=True)
class And:
    """All children match (prefix ``'&'``, and the implicit AND of a top-level list)."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any child matches (prefix ``'|'``)."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """The child does not match (prefix ``'!'``)."""

    child: Node


Node = Leaf | Constant | And | Or | Not
"""A parsed domain."""


def mentions(node: Node, path: str) -> bool:
    """Whether some term of ``node`` is on ``path`` (sub-domains of ``any`` aside): Odoo adds
    its ``('active', '=', True)`` only when no term is on ``active`` already."""
    if isinstance(node, Leaf):
        return node.path == path
    if isinstance(node, And | Or):
        return any(mentions(child, path) for child in node.children)
    if isinstance(node, Not):
        return mentions(node.child, path)
    return False
