"""Reading values: one field of one row, and ``read()``'s answer shape.

The engine keeps one internal form per type; ``read`` turns it into what Odoo answers over
RPC: ``False`` for empty, ``[id, display_name]`` for a many2one (bare id with
``load=None``/``'_classic_write'``), lists of ids for x2many, datetimes to the second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm.access import check_access
from logisync.testing.odoo.orm.fields import Field
from logisync.testing.odoo.orm.spec import ModelSpec
from logisync.testing.odoo.orm.storage import Row

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

CLASSIC_READ = "_classic_read"


def invalid_field(model: str, name: str) -> errors.ServerValueError:
    return errors.ServerValueError(f"Invalid field {name!r} on model {model!r}")


def field_spec(spec: ModelSpec, name: str) -> Field:
    found = spec.fields.get(name)
    if found is None:
        raise invalid_field(spec.name, name)
    return found


def field_value(env: Env, model: str, row: Row, name: str) -> Any:
    """The internal value of field ``name`` of ``row``: stored, delegated to the parent
    record, a one2many's children, or computed."""
    spec = env.spec(model)
    if name == "id":
        return row["id"]
    if name == "display_name":
        return display_name(env, model, row)
    definition = field_spec(spec, name)
    if definition.delegate is not None:
        parent_id = row.get(definition.delegate)
        parent_model = spec.fields[definition.delegate].relation
        parent = env.store.get(parent_model or "", parent_id) if parent_id else None
        if parent is None or parent_model is None:
            return _empty(definition)
        return field_value(env, parent_model, parent, name)
    if definition.type == "one2many":
        return one2many_ids(env, definition, row["id"])
    if definition.compute is not None:
        return definition.compute(env, row)
    return row.get(name, _empty(definition))


def _empty(definition: Field) -> Any:
    if definition.type in ("one2many", "many2many"):
        return []
    if definition.type in ("integer", "float", "monetary"):
        return 0
    return False


def one2many_ids(env: Env, definition: Field, parent_id: int) -> list[int]:
    """The children whose inverse many2one is ``parent_id``; inactive ones only when the
    context turns ``active_test`` off (Odoo reads one2many through a search)."""
    comodel = definition.relation or ""
    ids = sorted(env.store.referencing(comodel, definition.inverse_name or "", parent_id))
    if env.active_test and env.spec(comodel).has_active:
        ids = [i for i in ids if (env.store.get(comodel, i) or {}).get("active")]
    return ids


def display_name(env: Env, model: str, row: Row) -> str:
    spec = env.spec(model)
    if spec.display is not None:
        return spec.display(env, row)
    if spec.rec_name is None:
        return f"{model},{row['id']}"
    value = field_value(env, model, row, spec.rec_name)
    return str(value) if value else ""


def name_of(env: Env, model: str, record_id: int) -> str:
    row = env.store.get(model, record_id)
    return display_name(env, model, row) if row is not None else ""


def read_records(
    env: Env, model: str, ids: list[int], names: list[str] | None, load: str | None
) -> list[dict[str, Any]]:
    """``read()``: ids that no longer exist are skipped, as Odoo does (a client's search
    then read may race a deletion)."""
    spec = env.spec(model)
    check_access(env, model, "read")
    names = readable_names(spec, names)
    result = []
    for record_id in ids:
        row = env.store.get(model, record_id)
        if row is None:
            continue
        values: dict[str, Any] = {"id": record_id}
        for name in names:
            values[name] = to_read(env, spec.fields[name], field_value(env, model, row, name), load)
        result.append(values)
    return result


def readable_names(spec: ModelSpec, names: list[str] | None) -> list[str]:
    """The fields ``read`` answers: all of them when none are asked (``id`` comes first)."""
    if not names:
        return [name for name in spec.fields if name != "id"]
    for name in names:
        field_spec(spec, name)
    return [name for name in dict.fromkeys(names) if name != "id"]


def to_read(env: Env, definition: Field, value: Any, load: str | None = CLASSIC_READ) -> Any:
    """The RPC form of an internal value."""
    kind = definition.type
    if kind == "many2one":
        if not value:
            return False
        if load == CLASSIC_READ:
            return [value, name_of(env, definition.relation or "", value)]
        return value
    if kind in ("one2many", "many2many"):
        return list(value or [])
    if kind == "datetime":
        return value[:19] if value else False
    if kind == "integer":
        return int(value or 0)
    if kind in ("float", "monetary"):
        return float(value or 0.0)
    if kind == "boolean":
        return bool(value)
    return False if value is None else value
