"""``export_data(ids, fields)``: Odoo's export matrix, the mirror of ``load()``.

Columns are paths (``partner_id/id``, ``order_line/product_id``); a many2one without a
sub-path exports its display name, ``id`` exports the external id (created in
``__export__`` when the record has none), a one2many adds one line per child below the
record's line, and a many2many is one cell of comma-separated names or external ids
(import-compatible mode, Odoo's default). Only administrators and members of "Access to
export feature" may export.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import xmlids
from logisync.testing.odoo.orm.access import has_group
from logisync.testing.odoo.orm.converting import DATETIME_FORMAT
from logisync.testing.odoo.orm.fields import Field
from logisync.testing.odoo.orm.import_rows import Path, column_paths
from logisync.testing.odoo.orm.reading import field_spec, field_value, name_of

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env


def export_data(env: Env, model: str, ids: list[int], fields: list[str]) -> dict[str, Any]:
    if not (has_group(env, "base.group_allow_export") or has_group(env, "base.group_erp_manager")):
        raise errors.UserError(
            "You don't have the rights to export data. Please contact an Administrator."
        )
    env[model].read(ids, ["id"])
    return {"datas": export_rows(env, model, ids, column_paths(fields))}


def export_rows(env: Env, model: str, ids: list[int], paths: list[Path]) -> list[list[Any]]:
    lines: list[list[Any]] = []
    for record_id in ids:
        row = env.store.get(model, record_id)
        if row is None:
            continue
        current: list[Any] = [""] * len(paths)
        lines.append(current)
        done: set[str] = set()
        for i, path in enumerate(paths):
            name = path[0] if path else None
            if name is None or name in done:
                continue
            if name == ".id":
                current[i] = str(record_id)
            elif name == "id":
                current[i] = xmlids.ensure_for_export(env, model, record_id)
            else:
                definition = field_spec(env.spec(model), name)
                if definition.type in ("many2one", "one2many", "many2many"):
                    done.add(name)
                    lines += _relational(env, model, row, definition, paths, current)
                else:
                    current[i] = _scalar(env, definition, field_value(env, model, row, name))
    return lines


def _relational(
    env: Env,
    model: str,
    row: dict[str, Any],
    definition: Field,
    paths: list[Path],
    current: list[Any],
) -> list[list[Any]]:
    """Fill ``current`` with the first child's cells; return the extra lines."""
    value = field_value(env, model, row, definition.name)
    targets = [value] if definition.type == "many2one" and value else list(value or [])
    sub_paths: list[Path] = [
        (path[1:] or ["display_name"]) if path and path[0] == definition.name else []
        for path in paths
    ]
    comodel = definition.relation or ""
    if definition.type == "many2many":
        _many2many_cell(env, comodel, targets, sub_paths, current)
        return []
    sub_lines = export_rows(env, comodel, targets, sub_paths)
    if not sub_lines:
        return []
    for j, cell in enumerate(sub_lines[0]):
        if cell or (isinstance(cell, int | float) and not isinstance(cell, bool)):
            current[j] = cell
    return sub_lines[1:]


def _many2many_cell(
    env: Env, comodel: str, targets: list[int], sub_paths: list[Path], current: list[Any]
) -> None:
    for wanted in ("id", "name", "display_name"):
        if [wanted] in sub_paths:
            index = sub_paths.index([wanted])
            break
    else:
        wanted = "display_name"
        index = next(j for j, path in enumerate(sub_paths) if path)
    if wanted == "id":
        current[index] = ",".join(xmlids.ensure_for_export(env, comodel, t) for t in targets)
    else:
        current[index] = ",".join(name_of(env, comodel, t) for t in targets)


def _scalar(env: Env, definition: Field, value: Any) -> Any:
    kind = definition.type
    if kind == "boolean":
        return bool(value)
    if kind in ("integer", "float", "monetary"):
        return value if value or value == 0 else ""
    if not value:
        return ""
    if kind == "selection":
        return dict(definition.selection).get(value, "")
    if kind == "datetime":
        return _in_user_zone(env, value)
    return value


def _in_user_zone(env: Env, value: str) -> str:
    """Exported datetimes are in the user's time zone (the context's ``tz``)."""
    moment = datetime.strptime(value[:19], DATETIME_FORMAT).replace(tzinfo=UTC)
    try:
        zone = ZoneInfo(str(env.context.get("tz") or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime(DATETIME_FORMAT)
