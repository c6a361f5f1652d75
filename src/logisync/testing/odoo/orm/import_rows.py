"""``load()``'s first step: column paths and the grouping of rows into records.

A record starts on a row; the rows after it that only fill one2many columns belong to it
(one row per order line, say). Every relational column becomes a list of sub-records made
of the cells below it (``partner_id/id`` -> ``[{'id': 'acme'}]``), as Odoo's
``_extract_records`` builds them, so that conversion can treat many2one, many2many and
one2many cells the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm.fields import RELATIONAL

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

Path = list[str | None]
REFERENCES = frozenset({None, "id", ".id"})


def column_paths(fields: list[str]) -> list[Path]:
    """Odoo's ``fix_import_export_id_paths``: ``a:id`` and ``a.id`` are old spellings of
    ``a/id`` and ``a/.id``."""
    paths: list[Path] = []
    for name in fields:
        fixed = re.sub(r"([^/]):id", r"\1/id", name)
        fixed = re.sub(r"([^/])\.id", r"\1/.id", fixed)
        paths.append(list(fixed.split("/")))
    return paths


@dataclass
class Extracted:
    """One record's raw cells; ``rows`` is the span of file rows it came from."""

    values: dict[str | None, Any]
    first_row: int
    last_row: int


def extract(env: Env, model: str, paths: list[Path], data: list[list[Any]]) -> Iterator[Extracted]:
    spec = env.spec(model)
    kinds = {}
    for path in paths:
        head = path[0]
        if head in REFERENCES:
            kinds[head] = "char"
        elif head in spec.fields:
            kinds[head] = spec.fields[head].type
        else:
            raise errors.ServerValueError(f"Invalid field {head!r} on model {model!r}")
    o2m_columns = [i for i, path in enumerate(paths) if kinds[path[0]] == "one2many"]
    other_columns = [i for i, path in enumerate(paths) if kinds[path[0]] != "one2many"]

    def only_one2many(row: list[Any]) -> bool:
        return any(_cell(row, i) for i in o2m_columns) and not any(
            _cell(row, i) for i in other_columns
        )

    index = 0
    while index < len(data):
        span = [data[index]]
        while index + len(span) < len(data) and only_one2many(data[index + len(span)]):
            span.append(data[index + len(span)])
        values = _record_values(env, model, paths, kinds, span)
        yield Extracted(values, index, index + len(span) - 1)
        index += len(span)


def _record_values(
    env: Env, model: str, paths: list[Path], kinds: dict[Any, str], span: list[list[Any]]
) -> dict[str | None, Any]:
    values: dict[str | None, Any] = {}
    for i, path in enumerate(paths):
        if kinds[path[0]] not in RELATIONAL:
            values[path[0]] = _cell(span[0], i)
    for head in dict.fromkeys(path[0] for path in paths if kinds[path[0]] in RELATIONAL):
        columns = [(i, path[1:] or [None]) for i, path in enumerate(paths) if path[0] == head]
        comodel = env.spec(model).fields[str(head)].relation or ""
        sub_paths = [sub for _i, sub in columns]
        sub_rows = [[_cell(row, i) for i, _sub in columns] for row in span]
        sub_rows = [row for row in sub_rows if any(row)]
        values[head] = [record.values for record in _extract_sub(env, comodel, sub_paths, sub_rows)]
    return values


def _extract_sub(
    env: Env, model: str, paths: list[Path], rows: list[list[Any]]
) -> Iterator[Extracted]:
    """Sub-records: reference-only columns (``None``, ``id``, ``.id``) need no field."""
    if all(path[0] in REFERENCES for path in paths):
        for index, row in enumerate(rows):
            yield Extracted({path[0]: row[i] for i, path in enumerate(paths)}, index, index)
        return
    yield from extract(env, model, paths, rows)


def _cell(row: list[Any], index: int) -> Any:
    value = row[index] if index < len(row) else ""
    return "" if value is None else value
