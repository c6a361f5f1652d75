"""A parsed domain: an immutable tree that ``matches`` walks.

Parsing once and evaluating per record keeps validation errors independent of the data (an
unknown operator fails even when the model is empty, as in Odoo).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OPERATORS = frozenset(
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
        "not =like",
        "not =ilike",
        "in",
        "not in",
        "child_of",
        "parent_of",
        "any",
        "not any",
    }
)
"""Every term operator Odoo 16-19 accepts (``<>`` is the old spelling of ``!=``)."""


@dataclass(frozen=True)
class Leaf:
    """One term ``(path, operator, value)``; ``path`` may be dotted (``'partner_id.name'``).

    For ``any``/``not any`` the value is the parsed sub-domain (a ``Node``) on the comodel.
    ``operator`` is already lower-cased and ``<>`` normalized to ``!=``.
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
