"""The carriers' status codes as data: one CSV file per carrier under ``codes/``.

Each row is ``field,code,milestone,text``: the payload field the code comes from (carriers
reuse the same letters in different fields: FedEx ``derivedStatusCode`` vs ``eventType``, UPS
``status.type`` vs the two-letter ``code``), the code, the canonical milestone it means, and
the carrier's published meaning in our words. Keeping them as data lets a newcomer read and
correct a mapping without reading Python, and lets the tests walk every row.

Decisions recorded in the tables: CARRIERS_EDI.md's ``label_created`` is our ``pre_transit``;
a *delay* while the parcel still moves is ``in_transit`` (the carrier code is kept beside it),
a delay that holds the parcel (customs clearance delay) is ``exception``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, cast

from logisync.model.entities.logistics import MILESTONES, Milestone

Carrier = Literal["ups", "fedex", "dhl", "usps"]
CARRIERS: tuple[Carrier, ...] = ("ups", "fedex", "dhl", "usps")
_COLUMNS = ["field", "code", "milestone", "text"]


@dataclass(frozen=True)
class CodeRow:
    """One published carrier code and what it means."""

    carrier: Carrier
    field: str
    code: str
    milestone: Milestone
    text: str


@cache
def code_table(carrier: Carrier) -> dict[tuple[str, str], CodeRow]:
    """The carrier's codes keyed by ``(field, code)``; codes are compared upper-case.

    Raises ``ValueError`` naming the file and line when the shipped table is malformed (a
    packaging mistake, caught by the tests, never by a user).
    """
    name = f"{carrier}.csv"
    text = resources.files("logisync.connectors.carriers.codes").joinpath(name).read_text("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != _COLUMNS:
        raise ValueError(f"codes/{name}: the header must be {','.join(_COLUMNS)}")
    table: dict[tuple[str, str], CodeRow] = {}
    for line, row in enumerate(reader, start=2):
        if len(row) != len(_COLUMNS):
            raise ValueError(f"codes/{name}:{line}: {len(row)} columns, expected 4")
        field, code, milestone, meaning = (cell.strip() for cell in row)
        if milestone not in MILESTONES:
            raise ValueError(f"codes/{name}:{line}: {milestone!r} is not a canonical milestone")
        key = (field, code.upper())
        if key in table:
            raise ValueError(f"codes/{name}:{line}: {field} {code} is listed twice")
        table[key] = CodeRow(carrier, field, code.upper(), cast(Milestone, milestone), meaning)
    return table


def lookup(carrier: Carrier, field: str, code: str | None) -> CodeRow | None:
    """The row for ``code`` read from ``field``, or ``None`` when the carrier did not publish it."""
    if not code:
        return None
    return code_table(carrier).get((field, code.strip().upper()))
