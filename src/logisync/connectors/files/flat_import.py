"""Flat files (CSV, XLSX) of master data or stock counts, row by row into canonical facts.

Each row is read through the system's column mapping and validated against the canonical
model; a row that fails is *rejected* with its line, column, value and reason. The
validation checkpoint then decides for the whole file: when the share of rejected rows is
above ``max_invalid_ratio`` nothing of the file is imported (a systematic error, such as a
shifted column, must not half-update the master data); at or below it the valid rows are
imported and the rejected ones reported.

Two rows with the same key in one file: with ``duplicate_keys: reject`` (the default) every
one of them is rejected, since nothing says which is right; with ``last_wins`` the last one
is imported, as if the file were applied top to bottom, and a notice names the others.

Event ids are the file's SHA-256 and the row's line: the same file read twice (a crash
before it was moved, a partner sending it again) journals nothing new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from logisync.connectors.files.handlers import FileContext
from logisync.connectors.files.mapping import ColumnMapping, compile_mapping
from logisync.connectors.files.receipt import FileReceipt, RejectedRow
from logisync.connectors.files.settings import FlatFileImport
from logisync.connectors.files.table import Row, Table, read_csv, read_xlsx
from logisync.errors import InvalidEvent, Problem
from logisync.model import Event, new_event

Reader = Callable[[bytes, FlatFileImport], Table]


def csv_handler(name: str, raw: bytes, context: FileContext) -> FileReceipt:
    return import_flat_file(name, raw, context, read_csv)


def xlsx_handler(name: str, raw: bytes, context: FileContext) -> FileReceipt:
    return import_flat_file(name, raw, context, read_xlsx)


def import_flat_file(name: str, raw: bytes, context: FileContext, read: Reader) -> FileReceipt:
    settings = FlatFileImport.model_validate(context.settings.get("import"))
    mapping = compile_mapping(settings)
    receipt = FileReceipt()
    table = read(raw, settings)
    refusal = table.problems or _header_problems(table.header, mapping)
    if refusal:
        receipt.problems = [Problem(_at(name, p.location), p.message) for p in refusal]
        return receipt
    digest = hashlib.sha256(raw).hexdigest()[:32]
    accepted: list[tuple[Row, Event]] = []
    for row in table.rows:
        receipt.rows += 1
        event = _row_event(row, table.header, mapping, context, digest, receipt.rejected)
        if event is not None:
            accepted.append((row, event))
    accepted = _settle_duplicates(accepted, settings, receipt)
    invalid = len({r.line for r in receipt.rejected})
    ratio = invalid / receipt.rows if receipt.rows else 0.0
    if ratio > settings.max_invalid_ratio:
        receipt.problems.append(
            Problem(
                name,
                f"{invalid} of {receipt.rows} rows are invalid ({ratio:.1%}), more than "
                f"max_invalid_ratio {settings.max_invalid_ratio:.1%}: nothing of the file "
                "was imported",
            )
        )
        receipt.problems.extend(Problem(_at(name, r.where), r.why) for r in receipt.rejected)
        return receipt
    for row, event in accepted:
        receipt.events.append(event.model_dump(mode="json", exclude_none=True))
        receipt.raws.append(row.text.encode("utf-8"))
    if not table.rows:
        receipt.notices.append(f"{name}: the file has a header but no rows")
    receipt.notices.extend(f"{name}: rejected {r}" for r in receipt.rejected)
    return receipt


def _at(name: str, location: str) -> str:
    return f"{name}, {location}" if location else name


def _header_problems(header: tuple[str, ...], mapping: ColumnMapping) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for column in header:
        if column in seen and any(m.column == column for m in mapping.columns):
            problems.append(Problem("line 1", f"the column '{column}' appears twice"))
        seen.add(column)
    for column in sorted(mapping.required - seen):
        problems.append(
            Problem(
                "line 1",
                f"the required column '{column}' is missing (the header has: "
                f"{', '.join(header) or 'nothing'})",
            )
        )
    return problems


def _row_event(
    row: Row,
    header: tuple[str, ...],
    mapping: ColumnMapping,
    context: FileContext,
    digest: str,
    rejected: list[RejectedRow],
) -> Event | None:
    if len(row.cells) != len(header):
        rejected.append(
            RejectedRow(
                row.line, "", "", f"has {len(row.cells)} fields, the header has {len(header)}"
            )
        )
        return None
    cells = dict(zip(header, row.cells, strict=True))
    data, refused = mapping.payload(cells)
    if refused:
        rejected.extend(RejectedRow(row.line, c, cells[c], why) for c, why in refused)
        return None
    try:
        return new_event(
            mapping.event,
            data,
            source=context.system,
            id=f"file:{digest}:{row.line}",
            time=context.written_at,
        )
    except InvalidEvent as invalid:
        for problem in invalid.problems:
            column = _column_at(problem.location, mapping)
            value = cells.get(column, "") if column else ""
            where = "" if column else f" ({problem.location})"
            reason = problem.message + where
            if problem.location == "/subject":
                reason = f"not usable as a key (no spaces or colons): {problem.message}"
            rejected.append(RejectedRow(row.line, column or "", value, reason))
        return None


def _column_at(location: str, mapping: ColumnMapping) -> str | None:
    parts = tuple(part for part in location.split("/") if part)
    if parts == ("subject",):  # the entity key, made of the key fields
        parts = (mapping.key_fields[0],)
    elif parts[:1] == ("data",):
        parts = parts[1:]
    if not parts:
        return None
    return mapping.column_of(parts)


def _settle_duplicates(
    accepted: list[tuple[Row, Event]], settings: FlatFileImport, receipt: FileReceipt
) -> list[tuple[Row, Event]]:
    lines: dict[str, list[int]] = {}
    for row, event in accepted:
        lines.setdefault(event.subject, []).append(row.line)
    repeated = {key: found for key, found in lines.items() if len(found) > 1}
    if not repeated:
        return accepted
    kept = []
    for row, event in accepted:
        others = repeated.get(event.subject)
        if others is None:
            kept.append((row, event))
        elif settings.duplicate_keys == "last_wins":
            if row.line == others[-1]:
                kept.append((row, event))
            else:
                receipt.notices.append(
                    f"line {row.line}: {event.subject} again on line {others[-1]}, which wins"
                )
        else:
            lines_text = ", ".join(str(line) for line in others)
            receipt.rejected.append(
                RejectedRow(
                    row.line,
                    "",
                    event.subject.partition(":")[2],
                    f"the key {event.subject} appears on lines {lines_text}; which row is "
                    "right is unknown, so none of them is imported",
                )
            )
    return kept
