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

    def row_count(self) -> int:
        return max(1, len(self.lines))


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
    shapes: dict[tuple[str, ...], list[int]] = {}
    for index, record in enumerate(records):
        shapes.setdefault(tuple(sorted(_columns([record]))), []).append(index)
    for positions in shapes.values():
        loaded = _load_shape(rpc, model, [records[i] for i in positions])
        for position, record_id, error in zip(positions, loaded.ids, loaded.errors, strict=True):
            ids[position], errors[position] = record_id, error
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
