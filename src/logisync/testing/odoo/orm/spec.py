"""What a model is: its fields, its order, its public methods and its business hooks.

Models are plain data built per Odoo version (``models/``), so that a version difference is
one conditional where the model is declared, not a branch in the engine.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from logisync.testing.odoo.orm import fields as f

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

Vals = dict[str, Any]


@dataclass(frozen=True)
class Method:
    """A public method as RPC sees it: ``func(env, model, ids, *args)`` when ``takes_ids``,
    else ``func(env, model, *args)`` (Odoo's ``@api.model``).
    """

    func: Callable[..., Any]
    takes_ids: bool

    def parameters(self) -> list[str]:
        """The RPC parameter names, without the engine's own leading arguments."""
        skip = 3 if self.takes_ids else 2
        parameters = list(inspect.signature(self.func).parameters.values())[skip:]
        variadic = (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)
        return [p.name for p in parameters if p.kind not in variadic]


def model_method(func: Callable[..., Any]) -> Method:
    return Method(func, takes_ids=False)


def record_method(func: Callable[..., Any]) -> Method:
    return Method(func, takes_ids=True)


@dataclass(frozen=True)
class Hooks:
    """Business behaviour around the generic create/write/unlink.

    ``prepare_create`` completes one record's values before it is inserted (sequences,
    defaults that depend on other values, values meant for a delegated parent);
    ``redirect_create`` may apply the values to an existing record and answer its id instead
    of creating one (a counted quantity on an existing quant); ``after_create`` runs once
    the rows are stored (a template's variant); ``before_write`` may refuse or rewrite
    values; ``before_unlink`` refuses with a UserError where Odoo does; ``copy_default`` adds
    values to a copy (a "(copy)" suffix); ``constraints`` are Odoo's ``@api.constrains``.
    """

    prepare_create: Callable[[Env, Vals], Vals] | None = None
    redirect_create: Callable[[Env, Vals], int | None] | None = None
    after_create: Callable[[Env, list[int], list[Vals]], None] | None = None
    before_write: Callable[[Env, list[int], Vals], Vals] | None = None
    before_unlink: Callable[[Env, list[int]], None] | None = None
    copy_default: Callable[[Env, Vals], Vals] | None = None
    constraints: tuple[Callable[[Env, list[int]], None], ...] = ()


@dataclass
class ModelSpec:
    """One model. ``rec_name`` is the field ``display_name`` and ``name_search`` use unless
    ``display`` computes the name; ``search_names`` are further fields ``name_search``
    matches (a product's internal reference and barcode)."""

    name: str
    description: str
    fields: dict[str, f.Field]
    rec_name: str | None = "name"
    order: str = "id"
    parent_field: str | None = None
    methods: dict[str, Method] = field(default_factory=dict)
    hooks: Hooks = field(default_factory=Hooks)
    display: Callable[[Env, f.Row], str] | None = None
    search_names: tuple[str, ...] = ()
    transient: bool = False

    def __post_init__(self) -> None:
        self.fields = {name: replace(spec, name=name) for name, spec in self.fields.items()}

    @property
    def table(self) -> str:
        """The PostgreSQL table name Odoo would use (it appears in constraint names)."""
        return self.name.replace(".", "_")

    @property
    def has_active(self) -> bool:
        return "active" in self.fields

    def stored_fields(self) -> list[f.Field]:
        return [spec for spec in self.fields.values() if spec.stored]


def magic_fields() -> dict[str, f.Field]:
    """The fields every model has (Odoo's ``_log_access`` columns, ``id``, ``display_name``)."""
    return {
        "id": f.integer("ID", readonly=True, default=None),
        "display_name": f.char("Display Name", readonly=True, compute=_no_compute),
        "create_date": f.datetime_field("Created on", readonly=True),
        "create_uid": f.many2one("res.users", "Created by", readonly=True),
        "write_date": f.datetime_field("Last Updated on", readonly=True),
        "write_uid": f.many2one("res.users", "Last Updated by", readonly=True),
    }


def _no_compute(env: Env, row: f.Row) -> Any:
    """Placeholder compute: ``display_name`` is answered by the engine itself, which knows
    the model (a field's compute only sees the row)."""
    raise AssertionError("display_name is computed by the engine")


MAGIC = frozenset(magic_fields())
LOG_ACCESS = ("create_date", "create_uid", "write_date", "write_uid")


def with_magic(spec: ModelSpec) -> ModelSpec:
    """``spec`` with the magic fields added, declared fields winning (Odoo lets a model
    redeclare ``create_date``, as sale.order does)."""
    merged = dict(magic_fields())
    merged.update(spec.fields)
    spec.fields = {name: replace(value, name=name) for name, value in merged.items()}
    return spec
