"""A declared column mapping: which file column fills which canonical field, and how to read it.

A cell is read by the type of the field it fills, found in the canonical model: a decimal
field takes the file's decimal and thousands separators, a date/time field the declared
``date_format`` (or ISO 8601) in the declared zone, a yes/no field the usual words.
An empty cell leaves its field out (absent, not null), so a partial file changes only what it
names; a constant inside a value (``weight.unit``) is added only to rows that give the value.
Whatever the model refuses afterwards is traced back to the column that filled it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from logisync.connectors.files.settings import FlatFileImport
from logisync.model.catalogue import EVENT_TYPES
from logisync.model.values import in_zone

FieldKind = Literal["text", "decimal", "integer", "datetime", "boolean"]
Path = tuple[str, ...]

_TRUE = frozenset({"1", "true", "yes", "y", "x", "ja", "oui", "si", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "nein", "non", "f", ""})


class CellRefused(ValueError):
    """A cell cannot be read as its field's type; the message says what was expected."""


@dataclass(frozen=True)
class MappedColumn:
    column: str
    path: Path
    read: Callable[[str], Any]


@dataclass(frozen=True)
class ColumnMapping:
    """The compiled mapping of one system: columns, constants and the entity's key fields."""

    event: str
    columns: tuple[MappedColumn, ...]
    constants: Mapping[str, Any]
    required: frozenset[str]
    key_fields: tuple[str, ...]

    def column_of(self, path: Path) -> str | None:
        """The file column that fills ``path`` (or a field above it)."""
        for mapped in self.columns:
            if path[: len(mapped.path)] == mapped.path or mapped.path[: len(path)] == path:
                return mapped.column
        return None

    def payload(self, cells: Mapping[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """The payload for one row and the (column, reason) of every cell it could not read."""
        data: dict[str, Any] = {}
        refused: list[tuple[str, str]] = []
        for mapped in self.columns:
            text = cells.get(mapped.column, "").strip()
            if text == "":
                continue
            try:
                _put(data, mapped.path, mapped.read(text))
            except CellRefused as refusal:
                refused.append((mapped.column, str(refusal)))
        for dotted, value in self.constants.items():
            path = tuple(dotted.split("."))
            # weight.unit completes a weight only when the row gives one: no unit-only weight
            if len(path) == 1 or isinstance(_get(data, path[:-1]), dict):
                _put(data, path, value)
        return data, refused


def compile_mapping(settings: FlatFileImport) -> ColumnMapping:
    """The mapping ready to read rows; ``settings`` must have passed ``mapping_issues``."""
    model = EVENT_TYPES[settings.event].payload
    columns = []
    for column, target in settings.columns.items():
        path = tuple(target.split("."))
        kind = field_kind(model, path)
        assert kind is not None, f"{target} was checked by mapping_issues"
        columns.append(MappedColumn(column, path, _reader(kind, settings)))
    return ColumnMapping(
        settings.event,
        tuple(columns),
        dict(settings.constants),
        frozenset(settings.columns) - set(settings.optional_columns),
        EVENT_TYPES[settings.event].identity,
    )


def mapping_issues(settings: FlatFileImport) -> list[tuple[tuple[str | int, ...], str]]:
    """Every field the mapping names that the canonical model lacks, every key field left
    unfilled, every field filled twice."""
    fact = EVENT_TYPES[settings.event]
    model = fact.payload
    issues: list[tuple[tuple[str | int, ...], str]] = []
    filled: dict[str, str] = {}
    for column, target in settings.columns.items():
        problem = _target_problem(model, target)
        if problem:
            issues.append((("columns", column), problem))
        elif target in filled:
            issues.append((("columns", column), f"{target} is filled by '{filled[target]}' too"))
        filled.setdefault(target, column)
    for target in settings.constants:
        problem = _target_problem(model, target)
        if problem:
            issues.append((("constants", target), problem))
        elif target in filled:
            issues.append((("constants", target), f"{target} is filled by '{filled[target]}'"))
    for key in fact.identity:
        if key not in filled and key not in settings.constants:
            issues.append(
                (("columns",), f"no column fills {key}, the key of {fact.domain}: map one to it")
            )
    for index, column in enumerate(settings.optional_columns):
        if column not in settings.columns:
            issues.append((("optional_columns", index), f"'{column}' is not a mapped column"))
        elif settings.columns[column] in fact.identity:
            issues.append((("optional_columns", index), f"'{column}' fills the key: required"))
    return issues


def field_kind(model: type[BaseModel], path: Path) -> FieldKind | None:
    """How a cell for ``path`` is read, or ``None`` when the model has no such field."""
    annotation: Any = model
    for part in path:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part)
            if field is None or part == "schema_version":
                return None
            annotation = field.annotation
        elif typing.get_origin(annotation) is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return None
    return _kind(_unwrap(annotation))


def _target_problem(model: type[BaseModel], target: str) -> str | None:
    path = tuple(target.split("."))
    if not all(path) or field_kind(model, path) is None:
        holder, prefix = model, ""
        for depth in range(1, len(path)):  # the deepest value object the path does reach
            inner = (
                _unwrap(_annotation_at(model, path[:depth]))
                if field_kind(model, path[:depth])
                else None
            )
            if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
                break
            holder, prefix = inner, ".".join(path[:depth]) + "."
        fields = ", ".join(
            prefix + name for name in sorted(set(holder.model_fields) - {"schema_version"})
        )
        return f"'{target}' is not a field of {model.__name__} (the fields: {fields})"
    annotation = _unwrap(_annotation_at(model, path))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        inner = ", ".join(f"{target}.{name}" for name in annotation.model_fields)
        return f"'{target}' has parts; map a column to each ({inner})"
    return None


def _annotation_at(model: type[BaseModel], path: Path) -> Any:
    annotation: Any = model
    for part in path:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            annotation = annotation.model_fields[part].annotation
        else:
            annotation = typing.get_args(annotation)[1]
    return annotation


def _unwrap(annotation: Any) -> Any:
    """``X | None`` and ``Annotated[X, ...]`` -> ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return str
            annotation = options[0]
        else:
            return annotation


def _kind(annotation: Any) -> FieldKind | None:
    if annotation is bool:
        return "boolean"
    if annotation is int:
        return "integer"
    if annotation is Decimal or annotation is float:
        return "decimal"
    if annotation is datetime:
        return "datetime"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "text"  # a whole value object: refused by _target_problem
    if typing.get_origin(annotation) in (dict, list, tuple):
        return None
    return "text"


def _reader(kind: FieldKind, settings: FlatFileImport) -> Callable[[str], Any]:
    if kind == "decimal":
        return lambda text: _decimal(text, settings)
    if kind == "integer":
        return _integer
    if kind == "boolean":
        return _boolean
    if kind == "datetime":
        zone = ZoneInfo(settings.timezone)
        return lambda text: _datetime(text, settings.date_format, zone)
    return lambda text: text


def _decimal(text: str, settings: FlatFileImport) -> str:
    cleaned = text
    if settings.thousands_separator:
        cleaned = cleaned.replace(settings.thousands_separator, "")
    if settings.decimal_separator == ",":
        if "." in cleaned:
            raise CellRefused("not a number with a decimal comma (like 1234,5)")
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        sample = "1234,5" if settings.decimal_separator == "," else "1234.5"
        raise CellRefused(f"not a number (like {sample})") from None
    if not value.is_finite():
        raise CellRefused("not a finite number")
    return str(value)  # as JSON text: the model reads it exactly


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CellRefused("not a whole number") from None


def _boolean(text: str) -> bool:
    word = text.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CellRefused("not a yes/no value (yes, no, true, false, 1, 0)")


def _datetime(text: str, pattern: str | None, zone: ZoneInfo) -> str:
    try:
        # ISO 8601 is always read: spreadsheet dates arrive so whatever the declared format
        moment = _iso_or_none(text) or datetime.strptime(text, pattern or "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        expected = pattern or "ISO 8601, like 2026-11-23T14:30:00"
        raise CellRefused(f"not a date/time in the format {expected}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return in_zone(moment, UTC, CellRefused).isoformat()


def _iso_or_none(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _get(data: dict[str, Any], path: Path) -> Any:
    found: Any = data
    for part in path:
        if not isinstance(found, dict):
            return None
        found = found.get(part)
    return found


def _put(data: dict[str, Any], path: Path, value: Any) -> None:
    for part in path[:-1]:
        inner = data.setdefault(part, {})
        if not isinstance(inner, dict):
            return
        data = inner
    data[path[-1]] = value
