"""How the domain engine sees one record: the port the ORM engine implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

FIELD_TYPES = frozenset(
    {
        "char",
        "text",
        "html",
        "integer",
        "float",
        "monetary",
        "boolean",
        "date",
        "datetime",
        "selection",
        "many2one",
        "one2many",
        "many2many",
    }
)
"""The field types ``DomainRecord.field_type`` may answer; any other type is compared as a
plain scalar."""


class DomainRecord(Protocol):
    """One stored record of ``model``, as a domain needs to read it.

    The engine implements this over its own storage; the domain engine never writes.
    ``related``, ``lookup`` and ``records`` return every record asked for, archived or not
    (the domain engine applies ``active_test`` where Odoo does) and without record rules:
    the engine applies its rules to the model it searches, not to the models a path crosses.
    """

    @property
    def id(self) -> int:
        """The database id."""
        ...

    @property
    def model(self) -> str:
        """The model name, e.g. ``'res.partner'``."""
        ...

    def field_type(self, name: str) -> str:
        """The type of field ``name`` (one of ``FIELD_TYPES``). Never asked for ``'id'`` or
        ``'display_name'``, which the domain engine answers itself. Raises
        ``errors.ServerValueError(f"Invalid field {name!r} on model {self.model!r}")`` for a
        field the model does not have."""
        ...

    def value(self, name: str) -> Any:
        """The stored value of ``name``: scalars as Odoo reads them (dates ``'YYYY-MM-DD'``,
        datetimes ``'YYYY-MM-DD HH:MM:SS'``, ``False`` when empty), a many2one as its id or
        ``False``, an x2many as a list of ids."""
        ...

    def related(self, name: str) -> Sequence[DomainRecord]:
        """The records relational field ``name`` points to (none or one for a many2one),
        including inactive ones: the domain engine applies ``active_test`` itself."""
        ...

    def display_name(self) -> str:
        """The name Odoo would show (``display_name``): what ``('partner_id', 'ilike',
        'acme')`` and ``child_of 'name'`` compare strings with."""
        ...

    def comodel(self, name: str) -> str:
        """The model relational field ``name`` points to (``'res.country'`` for
        ``country_id``): ``child_of``/``parent_of`` need it even when the field is empty."""
        ...

    def parent_field(self) -> str | None:
        """The model's ``_parent_name`` (usually ``'parent_id'``) if it has that many2one,
        else ``None``: ``child_of``/``parent_of`` then match the named records only."""
        ...

    def lookup(self, model: str, ids: list[int]) -> Sequence[DomainRecord]:
        """Records of ``model`` by id, inactive ones included, unknown ids skipped:
        ``parent_of`` walks up the hierarchy from them."""
        ...

    def records(self, model: str) -> Sequence[DomainRecord]:
        """Every record of ``model``, inactive ones included: ``parent_of`` finds the records
        a name designates among them (by ``display_name``), as Odoo does with a search."""
        ...
