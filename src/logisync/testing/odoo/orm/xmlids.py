"""External ids (``ir.model.data``): lookups, creation, and the ``get_external_id`` and
``check_object_reference`` answers.

Odoo resolves external ids with raw SQL, outside access rights, so these functions read the
store directly; the rows are indexed by (module, name) and by (model, res_id).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm.access import check_access
from logisync.testing.odoo.orm.storage import Row

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

MODEL = "ir.model.data"
BY_NAME = ("module", "name")
BY_RECORD = ("model", "res_id")
IMPORT_MODULE = "__import__"


def split(xmlid: str, default_module: str = IMPORT_MODULE) -> tuple[str, str]:
    """``module.name``; a name without a dot belongs to ``default_module``."""
    if "." in xmlid:
        module, name = xmlid.split(".", 1)
        return module, name
    return default_module, xmlid


def find(env: Env, module: str, name: str) -> Row | None:
    """The ``ir.model.data`` row of ``module.name``, dangling or not."""
    for data_id in sorted(env.store.lookup(MODEL, BY_NAME, (module, name))):
        return env.store.get(MODEL, data_id)
    return None


def resolve(env: Env, xmlid: str) -> tuple[str, int]:
    """``(model, res_id)`` of an external id, or Odoo's ValueError."""
    module, name = split(xmlid, "")
    row = find(env, module, name)
    if row is None:
        raise errors.ServerValueError(f"External ID not found in the system: {xmlid}")
    return str(row["model"]), int(row["res_id"])


def record_id(env: Env, xmlid: str, model: str) -> int | None:
    """The id of an existing ``model`` record named ``xmlid``; ``None`` when unknown or
    dangling (the record was deleted behind the ORM's back)."""
    module, name = split(xmlid)
    row = find(env, module, name)
    if row is None or not env.store.exists(str(row["model"]), int(row["res_id"])):
        return None
    if row["model"] != model:
        raise errors.ServerValueError(
            f"Invalid external ID {module}.{name}: expected model {model!r}, found {row['model']!r}"
        )
    return int(row["res_id"])


def assign(env: Env, model: str, res_id: int, xmlid: str, noupdate: bool = False) -> None:
    """Create or repoint ``xmlid`` to ``model``/``res_id``."""
    module, name = split(xmlid)
    row = find(env, module, name)
    values = {"module": module, "name": name, "model": model, "res_id": res_id}
    if row is None:
        env.sudo()[MODEL].create({**values, "noupdate": noupdate})
    elif (row["model"], row["res_id"]) != (model, res_id):
        env.sudo()[MODEL].write([row["id"]], values)


def names_of(env: Env, model: str, res_id: int) -> list[str]:
    ids = sorted(env.store.lookup(MODEL, BY_RECORD, (model, res_id)))
    rows = [env.store.get(MODEL, data_id) or {} for data_id in ids]
    return [f"{row['module']}.{row['name']}" for row in rows]


def get_external_id(env: Env, model: str, ids: list[int]) -> dict[int, str]:
    """``{id: 'module.name'}`` with ``''`` for records without one (int keys, as Odoo
    returns them; XML-RPC cannot marshal that, JSON turns them into strings)."""
    result = {}
    for record_id_ in ids:
        if env.store.exists(model, record_id_):
            names = names_of(env, model, record_id_)
            result[record_id_] = names[0] if names else ""
    return result


def ensure_for_export(env: Env, model: str, res_id: int) -> str:
    """The record's external id, created in module ``__export__`` when it has none (what
    ``export_data`` does for an ``id`` column)."""
    names = names_of(env, model, res_id)
    if names:
        return names[0]
    serial = env.store.next_value("__export__")
    digest = hashlib.sha256(f"{model}:{res_id}:{serial}".encode()).hexdigest()[:8]
    name = f"{model.replace('.', '_')}_{res_id}_{digest}"
    assign(env, model, res_id, f"__export__.{name}")
    return f"__export__.{name}"


def check_object_reference(env: Env, module: str, name: str) -> list[Any]:
    """``[model, res_id]``, or ``[model, False]`` when the user may not read the record."""
    model, res_id = resolve(env, f"{module}.{name}")
    check_access(env, model, "read")
    if env[model].search([("id", "=", res_id)]):
        return [model, res_id]
    return [model, False]
