"""``create`` and ``write``: values checked and converted, defaults applied, rows stored,
x2many commands run, delegated and inverse fields passed on, business hooks called.

The order follows Odoo's: defaults (context ``default_<field>`` first), then the row, then
the relations that need the row's id, then the model's own after-effects and constraints.
Required fields and many2one targets are checked like PostgreSQL checks them, with
``integrity`` exceptions that the caller words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import x2many, xmlids
from logisync.testing.odoo.orm.access import check_access
from logisync.testing.odoo.orm.converting import convert
from logisync.testing.odoo.orm.integrity import ForeignKeyViolation, NotNullViolation
from logisync.testing.odoo.orm.reading import field_spec
from logisync.testing.odoo.orm.spec import LOG_ACCESS, ModelSpec
from logisync.testing.odoo.orm.storage import Row

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

IGNORED_ON_WRITE = frozenset({"id", "display_name", *LOG_ACCESS})


@dataclass
class SplitValues:
    """Written values sorted by where they go."""

    stored: dict[str, Any] = field(default_factory=dict)
    relational: dict[str, Any] = field(default_factory=dict)
    delegated: dict[str, dict[str, Any]] = field(default_factory=dict)
    inversed: dict[str, Any] = field(default_factory=dict)


def split_values(spec: ModelSpec, vals: dict[str, Any]) -> SplitValues:
    split = SplitValues()
    for name, value in vals.items():
        if name in IGNORED_ON_WRITE:
            continue
        definition = field_spec(spec, name)
        if definition.delegate is not None:
            split.delegated.setdefault(definition.delegate, {})[name] = value
        elif definition.type in ("one2many", "many2many"):
            split.relational[name] = value
        elif definition.compute is not None:
            if definition.inverse is not None:
                split.inversed[name] = value
        else:
            split.stored[name] = value
    return split


def create_records(env: Env, model: str, vals_list: list[dict[str, Any]]) -> list[int]:
    spec = env.spec(model)
    check_access(env, model, "create")
    ids = []
    for vals in vals_list:
        if not isinstance(vals, dict):
            raise errors.ServerTypeError(f"create() expects dicts of values, got {vals!r}")
        ids.append(_create_one(env, spec, vals))
    if spec.hooks.after_create is not None:
        spec.hooks.after_create(env, ids, vals_list)
    check_constraints(env, spec, ids)
    return ids


def _create_one(env: Env, spec: ModelSpec, vals: dict[str, Any]) -> int:
    for name in vals:
        field_spec(spec, name)
    vals = with_defaults(env, spec, vals)
    if spec.hooks.prepare_create is not None:
        vals = spec.hooks.prepare_create(env, vals)
    if spec.hooks.redirect_create is not None:
        existing = spec.hooks.redirect_create(env, vals)
        if existing is not None:
            return existing
    split = split_values(spec, vals)
    for link, parent_vals in split.delegated.items():
        if not split.stored.get(link):
            relation = spec.fields[link].relation or ""
            split.stored[link] = env[relation].create(parent_vals)
            split.delegated[link] = {}
    row: Row = {}
    for definition in spec.stored_fields():
        if definition.name in IGNORED_ON_WRITE:
            continue
        value = split.stored.get(definition.name, definition.default)
        if definition.type == "many2many":
            row[definition.name] = []
            continue
        row[definition.name] = convert(spec.name, definition, value)
    check_row(env, spec, row, list(row))
    now = env.txn.now_text
    row.update(create_date=now, write_date=now, create_uid=env.uid, write_uid=env.uid)
    record_id = env.store.insert(spec.name, row)
    _after_row(env, spec, [record_id], split)
    _assign_imported_xmlid(env, spec.name, record_id, vals.get("id"))
    return record_id


def _assign_imported_xmlid(env: Env, model: str, record_id: int, xmlid: Any) -> None:
    """During ``load()``, a created one2many line may carry its external id in ``id``
    (Odoo's importer does this for sub-records it could not find)."""
    module = env.context.get("_import_current_module")
    if module and isinstance(xmlid, str) and xmlid:
        name = xmlid if "." in xmlid else f"{module}.{xmlid}"
        xmlids.assign(env, model, record_id, name, bool(env.context.get("noupdate")))


def with_defaults(env: Env, spec: ModelSpec, vals: dict[str, Any]) -> dict[str, Any]:
    """``vals`` completed with defaults: the context's ``default_<field>`` first, then the
    field's own default (a value, or a function of the environment). Fields kept on a
    delegated parent get their defaults when that parent is created, never from a child
    linked to an existing parent (which would overwrite the parent's values)."""
    completed = dict(vals)
    for name, definition in spec.fields.items():
        if name in completed or name in IGNORED_ON_WRITE:
            continue
        if definition.delegate is not None and vals.get(definition.delegate):
            continue
        key = f"default_{name}"
        if key in env.context:
            completed[name] = env.context[key]
        elif callable(definition.default) and definition.delegate is None:
            completed[name] = definition.default(env)
    return completed


def check_row(env: Env, spec: ModelSpec, row: Row, names: list[str]) -> None:
    """PostgreSQL's NOT NULL and foreign-key checks on the columns ``names`` of ``row``."""
    for name in names:
        definition = spec.fields[name]
        value = row.get(name)
        if definition.required and definition.type != "boolean" and value in (None, False):
            raise NotNullViolation(spec.name, name)
        if definition.type != "many2one" or not value:
            continue
        if not env.store.exists(definition.relation or "", value):
            raise ForeignKeyViolation(spec.name, name)


def write_records(env: Env, model: str, ids: list[int], vals: dict[str, Any]) -> None:
    spec = env.spec(model)
    check_access(env, model, "write")
    check_exist(env, model, ids, "write")
    for name in vals:
        field_spec(spec, name)
    if spec.hooks.before_write is not None:
        vals = spec.hooks.before_write(env, ids, dict(vals))
    split = split_values(spec, vals)
    changes = {
        name: convert(model, spec.fields[name], value) for name, value in split.stored.items()
    }
    check_row(env, spec, changes, list(changes))
    changes.update(write_date=env.txn.now_text, write_uid=env.uid)
    for record_id in ids:
        env.store.update(model, record_id, changes)
    _after_row(env, spec, ids, split)
    check_constraints(env, spec, ids)


def _after_row(env: Env, spec: ModelSpec, ids: list[int], split: SplitValues) -> None:
    """What needs the stored rows: delegated parents, x2many commands, inverse fields."""
    for link, parent_vals in split.delegated.items():
        if not parent_vals:
            continue
        relation = spec.fields[link].relation or ""
        parents = sorted({env.store.get(spec.name, i)[link] for i in ids})  # type: ignore[index]
        env[relation].write(parents, parent_vals)
    for record_id in ids:
        for name, value in split.relational.items():
            x2many.apply(env, spec.name, record_id, spec.fields[name], value)
        for name, value in split.inversed.items():
            inverse: Callable[[Env, int, Any], None] | None = spec.fields[name].inverse
            if inverse is not None:
                inverse(env, record_id, value)


def check_exist(env: Env, model: str, ids: list[int], operation: str) -> None:
    """A write on deleted records fails (read and unlink skip them)."""
    missing = [i for i in ids if not env.store.exists(model, i)]
    if not missing:
        return
    if env.su:
        raise errors.MissingError(
            "Record does not exist or has been deleted.\n"
            f"(Record: {model}({', '.join(map(str, missing))},), User: {env.uid})"
        )
    raise errors.MissingError(
        "One of the documents you are trying to access has been deleted, please try again "
        "after refreshing.\n\n"
        f"(Document type: {model}, Operation: {operation}, Records: {missing[:6]}, "
        f"User: {env.uid})"
    )


def check_constraints(env: Env, spec: ModelSpec, ids: list[int]) -> None:
    for constraint in spec.hooks.constraints:
        constraint(env, ids)
