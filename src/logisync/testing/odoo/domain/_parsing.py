"""Validating and normalizing a domain as the RPC caller sent it."""

from __future__ import annotations

from typing import Any

from logisync.testing.odoo.domain._nodes import Node


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
    raise NotImplementedError
