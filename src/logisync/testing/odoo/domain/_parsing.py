"""Validating and normalizing a domain as the RPC caller sent it."""

from __future__ import annotations

from typing import Any

from logisync.testing.odoo.domain._nodes import Node


def parse(domain: Any, model: str) -> Node:
    """Validate ``domain`` (a list of terms in prefix notation) and return its tree.

    Accepts what Odoo accepts over RPC: lists or tuples for terms, ``'&' '|' '!'`` operators
    with an implicit AND between consecutive top-level items, the ``True``/``False`` and
    ``(1, '=', 1)``/``(0, '=', 1)`` constant leaves, an empty domain (matches everything), and
    operators in any letter case. Raises ``errors.ServerValueError`` with Odoo's wording for a
    malformed domain ("Invalid leaf ...", "Invalid domain term ...", "Invalid operator ...",
    "Domain ... is syntactically not correct"). Field names are not checked here (the model's
    fields are the engine's): ``matches`` raises ``Invalid field`` through ``field_type``.
    ``model`` names the model in error messages.
    """
    raise NotImplementedError
