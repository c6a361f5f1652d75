"""``load(fields, rows)``: Odoo's import, an upsert keyed by external ids.

A row's ``id`` cell names the record (``module.name``; without a dot the module is the
context's ``module``, by default ``__import__``): a known external id is updated, an unknown
one created and recorded in ``ir.model.data``, a dangling one (its record deleted behind the
ORM) recreated and repointed. ``.id`` updates by database id. Importing the same rows twice
therefore changes nothing the second time, and one2many lines carrying their own external
ids are updated in place instead of duplicated.

Every problem becomes a message; if there is any error, everything the call did is rolled
back and ``ids`` is ``False``, but the call itself succeeds (the answer is a value, not a
fault), as in Odoo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import xmlids
from logisync.testing.odoo.orm.import_cells import convert_record
from logisync.testing.odoo.orm.import_rows import Extracted, column_paths, extract
from logisync.testing.odoo.orm.integrity import IntegrityViolation, import_message

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

MAX_ERRORS = 10


def load(env: Env, model: str, fields: list[str], data: list[list[Any]]) -> dict[str, Any]:
    module = str(env.context.get("module") or xmlids.IMPORT_MODULE)
    env = env.with_context(_import_current_module=module)
    savepoint = env.store.savepoint()
    ids: list[int] = []
    messages: list[dict[str, Any]] = []
    failures = 0
    for index, extracted in enumerate(extract(env, model, column_paths(fields), data)):
        info = {"rows": {"from": extracted.first_row, "to": extracted.last_row}, "record": index}
        record_id = _load_record(env, model, module, extracted, info, messages)
        if record_id is None:
            failures += 1
            if failures >= MAX_ERRORS and failures >= (index + 1) / 10:
                messages.append(
                    {
                        "type": "warning",
                        "message": "Found more than 10 errors and more than one error per 10 "
                        "records, interrupted to avoid showing too many errors.",
                    }
                )
                break
        else:
            ids.append(record_id)
    if any(message["type"] == "error" for message in messages):
        env.store.rollback_to(savepoint)
        return {"ids": False, "messages": messages, "nextrow": 0}
    return {"ids": ids, "messages": messages, "nextrow": 0}


def _load_record(
    env: Env,
    model: str,
    module: str,
    extracted: Extracted,
    info: dict[str, Any],
    messages: list[dict[str, Any]],
) -> int | None:
    """Convert and store one record inside its own savepoint; ``None`` when it failed."""
    cell_errors: list[tuple[str, str]] = []
    values = convert_record(env, model, extracted.values, cell_errors)
    target = _database_id(env, model, extracted.values.get(".id"), cell_errors)
    for field, message in cell_errors:
        messages.append({"type": "error", "message": message, "field": field, **info})
    if cell_errors:
        return None
    savepoint = env.store.savepoint()
    try:
        return _upsert(env, model, module, extracted.values.get("id"), target, values)
    except (errors.UserError, IntegrityViolation) as exc:
        env.store.rollback_to(savepoint)
        if isinstance(exc, IntegrityViolation):
            detail = import_message(env, exc, model)
        else:
            detail = {"message": exc.message}
        messages.append({"type": "error", **info, **detail})
        return None
    except errors.OdooError as exc:
        env.store.rollback_to(savepoint)
        messages.append(
            {
                "type": "error",
                "message": f"Unknown error during import: {exc.name}: {exc.message}",
                "moreinfo": "Resolve other errors first",
                **info,
            }
        )
        return None


def _database_id(env: Env, model: str, cell: Any, cell_errors: list[tuple[str, str]]) -> int | None:
    if not cell:
        return None
    try:
        record_id = int(cell)
    except ValueError:
        record_id = 0
    if not env.store.exists(model, record_id):
        cell_errors.append((".id", f"Unknown database identifier '{cell}'"))
        return None
    return record_id


def _upsert(
    env: Env, model: str, module: str, xmlid: Any, target: int | None, values: dict[str, Any]
) -> int:
    """Odoo's ``_load_records`` for one record."""
    if xmlid:
        name = xmlid if "." in str(xmlid) else f"{module}.{xmlid}"
        existing = xmlids.record_id(env, name, model)
        if existing is not None:
            env[model].write([existing], values)
            return existing
        record_id = env[model].create(values)
        xmlids.assign(env, model, record_id, name, bool(env.context.get("noupdate")))
        return record_id
    if target is not None:
        env[model].write([target], values)
        return target
    return env[model].create(values)
