"""Odoo's ``load``: many records upserted by external id in one call, all or nothing.

``load`` takes rows of strings. A record with one2many lines spans several rows: the first
row carries the record's own columns and its first line, each further row only a line. Odoo
answers with one id per record, or ``ids: False`` and messages naming the rows that failed;
nothing is written then. This module builds the rows, and when a batch fails, takes the
records the messages name out (their errors are permanent: the data is wrong) and loads the
rest again, so one bad record does not hold back the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from logisync.connectors.odoo.rpc import OdooRpc


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One record for ``load``: its own cells and its one2many lines' cells (column names
    like ``move_ids/product_id/.id``)."""

    cells: dict[str, str]
    lines: list[dict[str, str]] = field(default_factory=list)
    # What to write instead when Odoo refuses ``cells``: the fields an existing record still
    # accepts once it moved on (a done picking takes a tracking number, not a new type).
    fallback: dict[str, str] | None = None

    def row_count(self) -> int:
        return max(1, len(self.lines))

    def parts(self) -> list[ImportRecord]:
        """One record per distinct column set of its lines: a line must not get empty cells
        for columns only other lines have (Odoo would clear those fields, a price to 0)."""
        groups: dict[tuple[str, ...], list[dict[str, str]]] = {}
        for line in self.lines:
            groups.setdefault(tuple(sorted(line)), []).append(line)
        if len(groups) <= 1:
            return [self]
        return [ImportRecord(self.cells, lines, self.fallback) for lines in groups.values()]


@dataclass(frozen=True, slots=True)
class Loaded:
    """Per record: the database id, or Odoo's sentence saying why it was refused."""

    ids: list[int | None]
    errors: list[str | None]


def load_records(rpc: OdooRpc, model: str, records: Sequence[ImportRecord]) -> Loaded:
    """Upsert ``records``; records Odoo refuses get their error, the others their id.

    Records are loaded in groups with the same columns: a column a record leaves out is a
    field the hub does not know, and must stay as it is in Odoo (an empty cell would clear
    it), so one call per distinct shape.
    """
    ids: list[int | None] = [None] * len(records)
    errors: list[str | None] = [None] * len(records)
    parts = [(index, part) for index, record in enumerate(records) for part in record.parts()]
    shapes: dict[tuple[str, ...], list[tuple[int, ImportRecord]]] = {}
    for index, part in parts:
        shapes.setdefault(tuple(sorted(_columns([part]))), []).append((index, part))
    fallbacks: list[tuple[int, str, ImportRecord]] = []
    for shape in shapes.values():
        loaded = _load_shape(rpc, model, [part for _, part in shape])
        for (index, part), record_id, error in zip(shape, loaded.ids, loaded.errors, strict=True):
            if error is not None and part.fallback is not None:
                fallbacks.append((index, error, ImportRecord(part.fallback)))
            elif error is not None:
                errors[index] = errors[index] or error
            elif ids[index] is None:
                ids[index] = record_id
    if fallbacks:
        again = load_records(rpc, model, [record for _, _, record in fallbacks])
        for (index, error, _), record_id in zip(fallbacks, again.ids, strict=True):
            if record_id is None:
                errors[index] = errors[index] or error  # Odoo's first reason is the one to tell
            elif ids[index] is None:
                ids[index] = record_id
    for index, error in enumerate(errors):
        if error is not None:
            ids[index] = None  # one refused part refuses the record
    return Loaded(ids, errors)


def _load_shape(rpc: OdooRpc, model: str, records: Sequence[ImportRecord]) -> Loaded:
    ids: list[int | None] = [None] * len(records)
    errors: list[str | None] = [None] * len(records)
    pending = list(range(len(records)))
    while pending:
        answer = _load(rpc, model, [records[i] for i in pending])
        if answer.get("ids"):
            for index, record_id in zip(pending, answer["ids"], strict=True):
                ids[index] = int(record_id)
            break
        refused = _refused(answer.get("messages") or [], [records[i] for i in pending])
        if not refused:  # Odoo did not say which: each alone tells
            refused = {0: _sentence(answer.get("messages") or [])} if len(pending) == 1 else {}
            if not refused:
                for index in pending:
                    single = _load_shape(rpc, model, [records[index]])
                    ids[index], errors[index] = single.ids[0], single.errors[0]
                break
        for position, sentence in refused.items():
            errors[pending[position]] = sentence
        pending = [index for position, index in enumerate(pending) if position not in refused]
    return Loaded(ids, errors)


def _load(rpc: OdooRpc, model: str, records: Sequence[ImportRecord]) -> dict[str, Any]:
    columns = _columns(records)
    rows = []
    for record in records:
        lines = record.lines or [{}]
        for number, line in enumerate(lines):
            own = record.cells if number == 0 else {}
            rows.append([own.get(c, line.get(c, "")) for c in columns])
    answer = rpc.call(model, "load", fields=columns, data=rows)
    return answer if isinstance(answer, dict) else {"ids": False, "messages": []}


def _columns(records: Sequence[ImportRecord]) -> list[str]:
    columns: dict[str, None] = {}
    for record in records:
        columns.update(dict.fromkeys(record.cells))
        for line in record.lines:
            columns.update(dict.fromkeys(line))
    return list(columns)


def _refused(messages: list[dict[str, Any]], records: Sequence[ImportRecord]) -> dict[int, str]:
    """Which records (by position) the error messages' row ranges fall in."""
    starts, row = [], 0
    for record in records:
        starts.append(row)
        row += record.row_count()
    refused: dict[int, str] = {}
    for message in messages:
        rows = message.get("rows") or {}
        if message.get("type") != "error" or "from" not in rows:
            continue
        for position, start in enumerate(starts):
            end = start + records[position].row_count() - 1
            if start <= int(rows["to"]) and int(rows["from"]) <= end:
                refused.setdefault(position, str(message.get("message", "refused")))
    return refused


def _sentence(messages: list[dict[str, Any]]) -> str:
    texts = [str(m.get("message")) for m in messages if m.get("type") == "error"]
    return "; ".join(texts) or "Odoo refused the import without saying why"
