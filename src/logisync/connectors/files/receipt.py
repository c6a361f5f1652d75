"""What a file handler answers: the EDI receipt, plus raw payloads and report files.

``FileReceipt`` extends ``EdiReceipt`` (which X12 and EDIFACT handlers answer) with what a
flat file needs: the raw payload of each event (its own row, not the whole file again) and
report files to keep next to the file where it ends up (the rejected rows).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from logisync.connectors.edi import EdiReceipt


@dataclass(frozen=True)
class RejectedRow:
    """One row left out of an import: where, which cell, what it held, and why."""

    line: int
    column: str
    value: str
    reason: str

    @property
    def where(self) -> str:
        return f"line {self.line}" + (f", column '{self.column}'" if self.column else "")

    @property
    def why(self) -> str:
        return (f"value {self.value!r}: " if self.value else "") + self.reason

    def __str__(self) -> str:
        return f"{self.where}: {self.why}"


@dataclass
class FileReceipt(EdiReceipt):
    raws: list[bytes | None] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    rows: int = 0

    def report_files(self) -> list[tuple[str, bytes]]:
        """``rejected.csv`` when rows were rejected: suffixes for the file's final name."""
        if not self.rejected:
            return []
        return [(".rejected.csv", rejected_rows_csv(self.rejected))]


def rejected_rows_csv(rejected: list[RejectedRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["line", "column", "value", "reason"])
    for row in rejected:
        writer.writerow([row.line, row.column, row.value, row.reason])
    return out.getvalue().encode("utf-8")
