"""Turning values written over RPC into the engine's internal form (Odoo's
``convert_to_cache``), with Odoo's errors for values a field cannot take."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm.fields import Field

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def convert(model: str, definition: Field, value: Any) -> Any:
    """The internal value for a scalar or many2one field (x2many go through commands)."""
    kind = definition.type
    try:
        if kind == "boolean":
            return bool(value)
        if kind == "integer":
            return int(value or 0)
        if kind in ("float", "monetary"):
            return float(value or 0.0)
        if value is None or value is False:
            return False
        if kind == "many2one":
            return _record_id(value)
        if kind == "date":
            return to_date_text(value)
        if kind == "datetime":
            return to_datetime_text(value)
        if kind == "selection":
            return _selection(model, definition, value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise errors.ServerValueError(str(exc)) from exc


def _record_id(value: Any) -> int:
    """A many2one accepts an id, or ``[id, name]`` as ``read`` answers it."""
    if isinstance(value, list | tuple) and value:
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"Wrong value for a many2one: {value!r}")
    return int(value)


def _selection(model: str, definition: Field, value: Any) -> str:
    if value not in {key for key, _label in definition.selection}:
        raise errors.ServerValueError(f"Wrong value for {model}.{definition.name}: {value!r}")
    return str(value)


def to_date_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return datetime.strptime(str(value)[:10], DATE_FORMAT).date().isoformat()


def to_datetime_text(value: Any) -> str:
    """UTC text with microseconds; like Odoo, accepts ``'YYYY-MM-DD'`` and shorter forms
    of ``'YYYY-MM-DD HH:MM:SS'`` but not ISO 8601 with a ``T``."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        text = str(value)
        if "." in text[19:20]:
            moment = datetime.strptime(text, DATETIME_FORMAT + ".%f")
        else:
            moment = datetime.strptime(text, DATETIME_FORMAT[: len(text) - 2])
    return moment.strftime(DATETIME_FORMAT + ".%f")
