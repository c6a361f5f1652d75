"""``load()``'s second step: text cells to values ``create``/``write`` accept (Odoo's
``ir.fields.converter``), with its messages.

A cell that cannot be converted raises ``CellError``, whose message keeps Odoo's
``%(field)s`` placeholder for the column's label; references (``/id``, ``/.id``, a name)
are resolved to ids here, so one2many sub-records with a known external id become
"link + update" commands and unknown ones "create" commands that carry the id to assign.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from logisync.testing.odoo.orm import xmlids
from logisync.testing.odoo.orm.converting import DATE_FORMAT, DATETIME_FORMAT
from logisync.testing.odoo.orm.fields import Field
from logisync.testing.odoo.orm.naming import name_search

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

TRUE_WORDS = frozenset({"1", "true", "yes"})
FALSE_WORDS = frozenset({"0", "false", "no", ""})


class CellError(ValueError):
    """A cell Odoo's importer refuses; ``message`` has a ``%(field)s`` placeholder."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def convert_record(
    env: Env,
    model: str,
    record: dict[Any, Any],
    errors: list[tuple[str, str]],
    label_prefix: str = "",
) -> dict[str, Any]:
    """Values for ``create``/``write`` from one extracted record; each refused cell adds
    ``(field, message)`` to ``errors`` (the message names the column's label, prefixed by
    the one2many's label for a sub-record's cell)."""
    spec = env.spec(model)
    converted: dict[str, Any] = {}
    for name, value in record.items():
        if name in (None, "id", ".id"):
            continue
        definition = spec.fields[name]
        if not value:
            converted[name] = False
            continue
        try:
            converted[name] = convert_cell(env, model, definition, value, errors)
        except CellError as exc:
            label = label_prefix + definition.string
            errors.append((name, exc.message % {"field": label}))
    return converted


def convert_cell(
    env: Env, model: str, definition: Field, value: Any, errors: list[tuple[str, str]]
) -> Any:
    kind = definition.type
    if kind == "boolean":
        return str(value).strip().lower() not in FALSE_WORDS
    if kind == "integer":
        return _number(int, value, "'%s' does not seem to be an integer for field '%%(field)s'")
    if kind in ("float", "monetary"):
        return _number(float, value, "'%s' does not seem to be a number for field '%%(field)s'")
    if kind == "date":
        return _date(value)
    if kind == "datetime":
        return _datetime(env, value)
    if kind == "selection":
        return _selection(definition, value)
    if kind == "many2one":
        return _reference(env, definition, _only_reference(value[0]))
    if kind == "many2many":
        return _many2many(env, definition, value[0])
    if kind == "one2many":
        return _one2many(env, definition, value, errors)
    return value


def _number(kind: type, value: Any, message: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise CellError(message % str(value).replace("%", "%%")) from None


def _date(value: Any) -> str:
    try:
        return datetime.strptime(str(value)[:10], DATE_FORMAT).date().isoformat()
    except ValueError:
        raise CellError(
            f"'{value}' does not seem to be a valid date for field '%(field)s'"
        ) from None


def _datetime(env: Env, value: Any) -> str:
    """A datetime cell is in the importing user's time zone (the context's ``tz``)."""
    try:
        moment = datetime.strptime(str(value), DATETIME_FORMAT)
    except ValueError:
        raise CellError(
            f"'{value}' does not seem to be a valid datetime for field '%(field)s'"
        ) from None
    try:
        zone = ZoneInfo(str(env.context.get("tz") or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    utc = moment.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    return utc.strftime(DATETIME_FORMAT + ".%f")


def _selection(definition: Field, value: Any) -> str:
    text = str(value).lower()
    for key, label in definition.selection:
        if text in (key.lower(), label.lower()):
            return key
    raise CellError(f"Value '{value}' not found in selection field '%(field)s'")


def _only_reference(record: dict[Any, Any]) -> tuple[str | None, Any]:
    keys = [key for key in record if key in (None, "id", ".id")]
    if len(record) != len(keys):
        raise CellError(
            "Can not create Many-To-One records indirectly, import the field separately"
        )
    if len(keys) > 1:
        raise CellError(
            "Ambiguous specification for field '%(field)s', only provide one of name, "
            "external id or database id"
        )
    return keys[0], record[keys[0]]


def _reference(env: Env, definition: Field, reference: tuple[str | None, Any]) -> Any:
    """The id a reference cell names: an external id, a database id, or a name."""
    subfield, value = reference
    comodel = definition.relation or ""
    if subfield is None and value == "":
        return False
    if subfield is not None and str(value).strip().lower() in FALSE_WORDS:
        return False
    found: int | None = None
    kind = {"id": "external id", ".id": "database id", None: "name"}[subfield]
    if subfield == "id":
        found = xmlids.record_id(env, str(value), comodel)
    elif subfield == ".id":
        try:
            found = int(value) if env.store.exists(comodel, int(value)) else None
        except ValueError:
            raise CellError(f"Invalid database id '{value}' for the field '%(field)s'") from None
    else:
        matches = name_search(env, comodel, str(value), None, "=", None)
        found = matches[0][0] if matches else None
    if found is None:
        raise CellError(f"No matching record found for {kind} '{value}' in field '%(field)s'")
    return found


def _many2many(env: Env, definition: Field, record: dict[Any, Any]) -> list[Any]:
    subfield, value = _only_reference(record)
    ids = [_reference(env, definition, (subfield, item)) for item in str(value).split(",")]
    return [(6, 0, ids)]


def _one2many(
    env: Env, definition: Field, records: list[dict[Any, Any]], errors: list[tuple[str, str]]
) -> list[Any]:
    """Commands for the sub-records: a known external id (or database id) links and
    updates the line, anything else creates one (carrying its external id)."""
    comodel = definition.relation or ""
    commands: list[Any] = []
    for record in records:
        sub_errors: list[tuple[str, str]] = []
        writable = convert_record(env, comodel, record, sub_errors, f"{definition.string}/")
        errors += [(definition.name, message) for _field, message in sub_errors]
        existing = None
        if record.get("id"):
            existing = xmlids.record_id(env, str(record["id"]), comodel)
            if existing is None:
                writable["id"] = record["id"]
        elif record.get(".id"):
            existing = _reference(env, definition, (".id", record[".id"]))
        if existing:
            commands += [(4, existing, 0), (1, existing, writable)]
        else:
            commands.append((0, 0, writable))
    return commands
