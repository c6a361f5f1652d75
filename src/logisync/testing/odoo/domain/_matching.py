"""Evaluating a parsed domain against one record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from logisync.testing.odoo.domain._nodes import Node
from logisync.testing.odoo.domain._record import DomainRecord

R = TypeVar("R", bound=DomainRecord)


def matches(node: Node, record: DomainRecord, *, active_test: bool = True) -> bool:
    """Whether ``record`` satisfies the parsed domain ``node``.

    ``active_test`` applies to records reached through x2many fields (dotted paths,
    ``any``, ``= False``), as Odoo searches them with the caller's context; it does not filter
    ``record`` itself (the engine adds ``('active', '=', True)`` for that). Many2one paths and
    ``child_of``/``parent_of`` ignore it, as Odoo does. Raises ``errors.ServerValueError`` for
    an unknown field (from ``field_type``) or a value the operator cannot take.
    """
    raise NotImplementedError


def filter_records(
    domain: Any, records: Iterable[R], *, version: int = 19, active_test: bool = True
) -> list[R]:
    """``parse`` then ``matches``: the records that ``domain`` selects, in the given order."""
    raise NotImplementedError
