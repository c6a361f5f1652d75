"""Field declarations: what a model's columns are, as ``fields_get`` describes them.

A field says how its value is stored and checked; business behaviour lives in the model
modules. Values inside the engine have one representation per type (see ``values.py``):
many2one as an id or ``False``, many2many as a list of ids, one2many never stored (derived
from the inverse many2one), datetimes as UTC text with microseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

Row = dict[str, Any]
Compute = Callable[["Env", Row], Any]
Inverse = Callable[["Env", int, Any], None]

RELATIONAL = frozenset({"many2one", "one2many", "many2many"})


@dataclass(frozen=True)
class Field:
    """One field of a model.

    ``compute`` makes the field derived (never stored; evaluated on read and search),
    ``inverse`` makes such a field writable. ``delegate`` names the many2one through which the
    value lives on another record (``product.product`` fields kept on its template, Odoo's
    ``_inherits``). ``ondelete`` says what unlinking the target does: ``set null``,
    ``cascade`` or ``restrict`` (a foreign-key error, as PostgreSQL raises it).
    """

    type: str
    string: str
    required: bool = False
    readonly: bool = False
    relation: str | None = None
    inverse_name: str | None = None
    selection: tuple[tuple[str, str], ...] = ()
    default: Any = None
    compute: Compute | None = None
    inverse: Inverse | None = None
    delegate: str | None = None
    ondelete: str = "set null"
    copy: bool = True
    name: str = field(default="", compare=False)

    @property
    def stored(self) -> bool:
        """Whether the value is kept in the record's row (not computed, not delegated, and
        not a one2many, which is read from the inverse many2one)."""
        return self.compute is None and self.delegate is None and self.type != "one2many"

    def describe(self) -> dict[str, Any]:
        """The attributes ``fields_get`` reports for this field."""
        readonly = self.readonly or (self.compute is not None and self.inverse is None)
        description: dict[str, Any] = {
            "type": self.type,
            "string": self.string,
            "required": self.required,
            "readonly": readonly,
            "store": self.stored or self.delegate is not None,
            "sortable": self.stored or self.delegate is not None,
            "searchable": True,
        }
        if self.relation:
            description["relation"] = self.relation
        if self.inverse_name:
            description["relation_field"] = self.inverse_name
        if self.type == "selection":
            description["selection"] = [[key, label] for key, label in self.selection]
        return description


def char(string: str, **options: Any) -> Field:
    return Field("char", string, **options)


def text(string: str, **options: Any) -> Field:
    return Field("text", string, **options)


def integer(string: str, **options: Any) -> Field:
    options.setdefault("default", 0)
    return Field("integer", string, **options)


def floating(string: str, **options: Any) -> Field:
    options.setdefault("default", 0.0)
    return Field("float", string, **options)


def monetary(string: str, **options: Any) -> Field:
    options.setdefault("default", 0.0)
    return Field("monetary", string, **options)


def boolean(string: str, **options: Any) -> Field:
    options.setdefault("default", False)
    return Field("boolean", string, **options)


def date(string: str, **options: Any) -> Field:
    return Field("date", string, **options)


def datetime_field(string: str, **options: Any) -> Field:
    return Field("datetime", string, **options)


def selection(string: str, choices: list[tuple[str, str]], **options: Any) -> Field:
    return Field("selection", string, selection=tuple(choices), **options)


def many2one(relation: str, string: str, **options: Any) -> Field:
    return Field("many2one", string, relation=relation, **options)


def one2many(relation: str, inverse_name: str, string: str, **options: Any) -> Field:
    options.setdefault("copy", False)
    return Field("one2many", string, relation=relation, inverse_name=inverse_name, **options)


def many2many(relation: str, string: str, **options: Any) -> Field:
    return Field("many2many", string, relation=relation, **options)
