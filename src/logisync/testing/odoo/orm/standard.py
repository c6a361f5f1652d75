"""The ORM methods every model answers over RPC, with Odoo's parameter names per version.

Each function is ``(env, model[, ids], <Odoo's parameters>)``; the parameter names matter
because JSON-2 passes arguments by name and ``/doc-bearer`` lists them (``create`` takes
``vals_list``, ``write`` takes ``vals``, 19's ``name_search`` takes ``domain``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import copying, exporting, importing, naming, xmlids
from logisync.testing.odoo.orm.access import ACCESS, OPERATIONS, has_group
from logisync.testing.odoo.orm.reading import read_records
from logisync.testing.odoo.orm.searching import search_count as count_matching
from logisync.testing.odoo.orm.searching import search_ids
from logisync.testing.odoo.orm.spec import Method, model_method, record_method
from logisync.testing.odoo.orm.unlinking import unlink_records
from logisync.testing.odoo.orm.versions import VersionProfile
from logisync.testing.odoo.orm.writing import IGNORED_ON_WRITE, create_records, write_records

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env


def _limit(value: Any) -> int | None:
    """XML-RPC clients send ``False`` for "no limit" (odoo-client-lib does)."""
    return int(value) if value else None


def search(
    env: Env, model: str, domain: Any, offset: int = 0, limit: Any = None, order: Any = None
) -> list[int]:
    return search_ids(env, model, domain, offset or 0, _limit(limit), order or None)


def search_with_count(
    env: Env,
    model: str,
    domain: Any,
    offset: int = 0,
    limit: Any = None,
    order: Any = None,
    count: bool = False,
) -> list[int] | int:
    """16's ``search`` still accepts ``count=True`` (deprecated in favour of
    ``search_count``)."""
    if count:
        return count_matching(env, model, domain, _limit(limit))
    return search(env, model, domain, offset, limit, order)


def search_read(
    env: Env,
    model: str,
    domain: Any = None,
    fields: list[str] | None = None,
    offset: int = 0,
    limit: Any = None,
    order: Any = None,
    **read_kwargs: Any,
) -> list[dict[str, Any]]:
    ids = search(env, model, domain or [], offset, limit, order)
    load = read_kwargs.get("load", "_classic_read")
    return read_records(env, model, ids, fields or None, load) if ids else []


def search_count(env: Env, model: str, domain: Any, limit: Any = None) -> int:
    return count_matching(env, model, domain, _limit(limit))


def read(
    env: Env,
    model: str,
    ids: list[int],
    fields: list[str] | None = None,
    load: Any = "_classic_read",
) -> list[dict[str, Any]]:
    return read_records(env, model, ids, fields or None, load)


def create(env: Env, model: str, vals_list: Any) -> int | list[int]:
    """One dict creates one record and answers its id; a list answers the list of ids."""
    if isinstance(vals_list, dict):
        return create_records(env, model, [vals_list])[0]
    if not isinstance(vals_list, list):
        raise errors.ServerTypeError(f"create() expects a dict or a list, got {vals_list!r}")
    return create_records(env, model, vals_list)


def write(env: Env, model: str, ids: list[int], vals: dict[str, Any]) -> bool:
    if not isinstance(vals, dict):
        raise errors.ServerTypeError(f"write() expects a dict of values, got {vals!r}")
    write_records(env, model, ids, vals)
    return True


def unlink(env: Env, model: str, ids: list[int]) -> bool:
    unlink_records(env, model, ids)
    return True


def copy(env: Env, model: str, ids: list[int], default: dict[str, Any] | None = None) -> Any:
    return copying.copy_records(env, model, ids, default)


def fields_get(
    env: Env, model: str, allfields: list[str] | None = None, attributes: list[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Field descriptions; everything is read-only for a user who may neither write nor
    create on the model, as Odoo shows it."""
    spec = env.spec(model)
    may_change = env.su or has_group(env, "base.group_system") or _granted(env, model)
    described = {}
    for name, definition in spec.fields.items():
        if allfields and name not in allfields:
            continue
        description = definition.describe()
        description["name"] = name
        if not may_change:
            description["readonly"] = True
        if attributes:
            description = {k: v for k, v in description.items() if k in attributes}
        described[name] = description
    return described


def _granted(env: Env, model: str) -> bool:
    letters = {OPERATIONS["write"], OPERATIONS["create"]}
    return any(
        has_group(env, group) and letters & set(perms) for group, perms in ACCESS.get(model, [])
    )


def name_search_args(
    env: Env,
    model: str,
    name: str = "",
    args: list[Any] | None = None,
    operator: str = "ilike",
    limit: int = 100,
) -> list[list[Any]]:
    return naming.name_search(env, model, name or "", args, operator, _limit(limit))


def name_search_domain(
    env: Env,
    model: str,
    name: str = "",
    domain: list[Any] | None = None,
    operator: str = "ilike",
    limit: int = 100,
) -> list[list[Any]]:
    return naming.name_search(env, model, name or "", domain, operator, _limit(limit))


def name_get(env: Env, model: str, ids: list[int]) -> list[list[Any]]:
    env[model].read(ids, ["display_name"])
    return naming.name_get(env, model, ids)


def name_create(env: Env, model: str, name: str) -> list[Any]:
    return naming.name_create(env, model, name)


def default_get(env: Env, model: str, fields_list: list[str]) -> dict[str, Any]:
    spec = env.spec(model)
    defaults: dict[str, Any] = {}
    for name in fields_list:
        definition = spec.fields.get(name)
        if definition is None or name in IGNORED_ON_WRITE:
            continue
        if f"default_{name}" in env.context:
            defaults[name] = env.context[f"default_{name}"]
        elif callable(definition.default):
            defaults[name] = definition.default(env)
        elif definition.default not in (None, False) or definition.type == "boolean":
            defaults[name] = definition.default
    return defaults


def exists(env: Env, model: str, ids: list[int]) -> list[int]:
    return env[model].exists(ids)


def get_external_id(env: Env, model: str, ids: list[int]) -> dict[int, str]:
    return xmlids.get_external_id(env, model, ids)


def load(env: Env, model: str, fields: list[str], data: list[list[Any]]) -> dict[str, Any]:
    return importing.load(env, model, fields, data)


def export_data(env: Env, model: str, ids: list[int], fields_to_export: list[str]) -> Any:
    return exporting.export_data(env, model, ids, fields_to_export)


def standard_methods(profile: VersionProfile) -> dict[str, Method]:
    """The methods every model has in this version."""
    methods = {
        "search": model_method(search_with_count if profile.search_has_count else search),
        "search_read": model_method(search_read),
        "search_count": model_method(search_count),
        "read": record_method(read),
        "create": model_method(create),
        "write": record_method(write),
        "unlink": record_method(unlink),
        "copy": record_method(copy),
        "fields_get": model_method(fields_get),
        "name_search": model_method(
            name_search_domain if profile.name_search_domain_param == "domain" else name_search_args
        ),
        "name_create": model_method(name_create),
        "default_get": model_method(default_get),
        "exists": record_method(exists),
        "get_external_id": record_method(get_external_id),
        "load": model_method(load),
        "export_data": record_method(export_data),
    }
    if profile.has_name_get:
        methods["name_get"] = record_method(name_get)
    return methods
