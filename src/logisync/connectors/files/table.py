"""A flat file's bytes as a header and numbered rows, or the reason it cannot be read.

Line numbers are the file's own (1 is the header), counted in physical lines, so a quoted
cell holding a line break does not shift the numbers of the rows after it. A byte-order mark
is dropped, CRLF and LF both end a line, blank lines (trailing ones included) are skipped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from logisync.connectors.files.settings import FlatFileImport
from logisync.errors import Problem


@dataclass(frozen=True)
class Row:
    line: int
    cells: tuple[str, ...]
    text: str  # the row as written, kept as the raw payload of its event


@dataclass
class Table:
    header: tuple[str, ...] = ()
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def decode(raw: bytes, encoding: str) -> tuple[str | None, Problem | None]:
    """The text of ``raw``; a BOM is dropped; bytes the encoding refuses are located."""
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        return raw.decode(encoding), None
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, Problem(
            f"line {line}",
            f"byte {error.start} (0x{raw[error.start]:02x}) is not {encoding} text: "
            "save the file in the declared encoding or declare the file's encoding",
        )


def read_csv(raw: bytes, settings: FlatFileImport) -> Table:
    table = Table()
    text, problem = decode(raw, settings.encoding)
    if text is None:
        table.problems.append(problem or Problem("", "unreadable"))
        return table
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        table.problems.append(Problem(f"line {line}", "the file holds a NUL byte: not a CSV"))
        return table
    lines = text.splitlines(keepends=True)
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=settings.delimiter, quotechar=settings.quote
    )
    ended = 0
    try:
        for record in reader:
            start, ended = ended + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if not table.header:
                table.header = tuple(cell.strip() for cell in record)
                continue
            table.rows.append(Row(start, tuple(record), "".join(lines[start - 1 : ended])))
    except csv.Error as error:
        table.problems.append(Problem(f"line {reader.line_num}", f"not valid CSV: {error}"))
        return table
    if not table.header:
        table.problems.append(Problem("line 1", "the file is empty: it needs a header row"))
    return table


def read_xlsx(raw: bytes, settings: FlatFileImport) -> Table:
    """The first (or the declared) sheet of a workbook, read like a CSV file."""
    try:
        import openpyxl
    except ImportError:
        return Table(problems=[Problem("", "reading xlsx needs openpyxl: pip install openpyxl")])
    table = Table()
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book[settings.sheet] if settings.sheet else book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = tuple("" if value is None else _cell_text(value) for value in values)
            if not any(cell.strip() for cell in cells):
                continue
            if not table.header:
                table.header = tuple(cell.strip() for cell in cells)
                while table.header and not table.header[-1]:
                    table.header = table.header[:-1]
                continue
            width = len(table.header)
            if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
                cells = cells[:width]  # a sheet's rows run to its widest used column
            table.rows.append(Row(number, cells, settings.delimiter.join(cells) + "\n"))
    except KeyError:
        table.problems.append(Problem("", f"the workbook has no sheet '{settings.sheet}'"))
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        table.problems.append(Problem("", f"not a readable xlsx workbook: {error}"))
    if not table.header and not table.problems:
        table.problems.append(Problem("row 1", "the sheet is empty: it needs a header row"))
    return table


def _cell_text(value: object) -> str:
    from datetime import datetime

    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
