"""Conditions on one stored scalar value, with PostgreSQL's and Odoo's rules for empty values.

Odoo 18+ gives every field a "falsy value" that counts as not set (``''`` for strings, ``0``
for numbers, ``False`` for booleans): ``('email', '=', False)`` also finds ``''``, and
``('qty', '<', 5)`` also finds an unset quantity. Other types (dates, selections) are unset
only when empty, and an unset value never satisfies an inequality or a positive pattern,
as SQL's NULL does not.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from logisync.testing.odoo.errors import ServerValueError

NUMERIC_TYPES = frozenset({"integer", "float", "monetary"})
STRING_TYPES = frozenset({"char", "text", "html"})
INEQUALITIES: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_TRUE_WORDS = frozenset({"y", "yes", "1", "true", "t", "on"})


def is_unset(kind: str, value: Any) -> bool:
    """Whether ``value`` means "not set" for a field of type ``kind`` (``'id'`` is never)."""
    if value is None or value is False:
        return True
    if kind == "boolean":
        return not as_bool(value)
    if kind in STRING_TYPES:
        return isinstance(value, str) and not value
    if kind in NUMERIC_TYPES:
        return isinstance(value, int | float) and value == 0
    return False


def as_bool(value: Any) -> bool:
    """Odoo's ``str2bool`` for strings compared with a boolean field, ``bool`` otherwise."""
    if isinstance(value, str):
        return value.strip().lower() in _TRUE_WORDS
    return bool(value)


def comparable(kind: str, value: Any, condition: tuple[Any, ...], op: str = "=") -> Any:
    """``value`` converted to what a stored value of ``kind`` compares with (Odoo's
    ``convert_to_column``): numbers for numeric fields and ids, text for strings, and the
    ``YYYY-MM-DD[ HH:MM:SS]`` strings dates and datetimes are stored as."""
    if kind in NUMERIC_TYPES or kind == "id":
        return _as_number(value, condition)
    if kind == "boolean":
        return as_bool(value)
    if kind == "date":
        return _as_date_text(value)
    if kind == "datetime":
        return _as_datetime_text(value, op)
    if kind in STRING_TYPES and not isinstance(value, str):
        return str(value)
    return value


def _as_number(value: Any, condition: tuple[Any, ...]) -> int | float:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return int(value) if value.strip().lstrip("+-").isdecimal() else float(value)
        except ValueError:
            pass
    raise ServerValueError(f"Invalid value {value!r} for a number in condition {condition!r}")


def _as_date_text(value: Any) -> str:
    """A date needle as ``YYYY-MM-DD``; a datetime string is cut to its day, as Odoo does."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            if len(value) < 10:
                return date(*(int(part) for part in value.split("-"))).isoformat()
            return date.fromisoformat(value[:10]).isoformat()
        except (TypeError, ValueError):
            raise ServerValueError(f"Invalid isoformat string {value!r}") from None
    raise ServerValueError(f"Failed to cast {value!r} into a date")


def _as_datetime_text(value: Any, op: str) -> str:
    """A datetime needle as ``YYYY-MM-DD HH:MM:SS``. A bare day means the day's first second,
    except for ``>`` and ``<=``, where it means its last: ``('date', '<=', '2024-05-01')``
    includes all of May 1st, as in Odoo."""
    if isinstance(value, datetime):
        return _utc_text(value)
    if isinstance(value, date):
        day = value.isoformat()
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ServerValueError(f"Invalid isoformat string: {value!r}") from None
        if len(value) != 10:
            return _utc_text(parsed)
        day = value
    else:
        raise ServerValueError(f"Failed to cast {value!r} into a datetime")
    return f"{day} 23:59:59" if op in (">", "<=") else f"{day} 00:00:00"


def _utc_text(moment: datetime) -> str:
    """Odoo stores naive UTC: an aware needle is converted, a naive one taken as UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(sep=" ")


def scalar_in(kind: str, stored: Any, values: tuple[Any, ...], condition: tuple[Any, ...]) -> bool:
    """``stored in values``, where an unset value matches a ``False`` (or falsy) member."""
    if is_unset(kind, stored):
        return any(is_unset(kind, value) for value in values)
    wanted = [comparable(kind, value, condition) for value in values if not is_unset(kind, value)]
    return comparable(kind, stored, condition) in wanted


def scalar_compare(kind: str, stored: Any, op: str, value: Any, condition: tuple[Any, ...]) -> bool:
    """An inequality. Numbers and booleans read unset as 0/False (their falsy value); other
    types never match when unset or compared with ``False``."""
    zero: Any = 0 if kind in NUMERIC_TYPES else False if kind == "boolean" else None
    if value is False or value is None:
        if zero is None:
            return False
        value = zero
    if stored is False or stored is None:
        if zero is None:
            return False
        stored = zero
    needle = comparable(kind, value, condition, op)
    try:
        return INEQUALITIES[op](comparable(kind, stored, condition), needle)
    except TypeError:
        raise ServerValueError(f"Cannot compare {stored!r} in condition {condition!r}") from None


def scalar_like(kind: str, stored: Any, op: str, pattern: str) -> bool:
    """A pattern operator on a stored value, cast to text like PostgreSQL's ``::text``; the
    negative operators also match an unset value (Odoo adds ``OR field IS NULL``)."""
    negative = op.startswith("not ")
    if stored is None or (stored is False and kind != "boolean"):
        return negative
    return like(op.removeprefix("not "), as_text(stored), pattern) != negative


def as_text(value: Any) -> str:
    """PostgreSQL's text form of a stored value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def like(op: str, text: str, pattern: str) -> bool:
    """``text`` against ``pattern`` with a positive pattern operator: ``like``/``ilike`` look
    for the pattern anywhere (Odoo wraps it in ``%``), ``=like``/``=ilike`` match it whole;
    ``ilike`` ignores case."""
    whole = pattern if op.startswith("=") else f"%{pattern}%"
    return _like_regex(whole, op.endswith("ilike")).fullmatch(text) is not None


@lru_cache(maxsize=512)
def _like_regex(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    """SQL ``LIKE`` as a regular expression: ``%`` any run, ``_`` one character, and a
    backslash makes the next character literal (PostgreSQL's default escape)."""
    parts: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    if escaped:
        parts.append(re.escape("\\"))
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile("".join(parts), flags)
