"""Any bytes in a flat file give a report (events, rejected rows, problems), never a crash."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logisync.connectors.files import FileContext
from logisync.connectors.files.flat_import import csv_handler, xlsx_handler
from logisync.model import parse_event

MAPPING: dict[str, Any] = {
    "event": "stock.level_reported",
    "columns": {"Loc": "location", "Item": "sku", "Qty": "on_hand.value", "At": "counted_at"},
    "optional_columns": ["At"],
    "constants": {"on_hand.unit": "PCE"},
    "decimal_separator": ",",
    "max_invalid_ratio": 0.5,
}
CONTEXT = FileContext("wms", "csv", datetime(2026, 1, 1, tzinfo=UTC), {"import": MAPPING})
VALID = b'Loc,Item,Qty,At\r\nWH1,A-1,"1,5",2026-11-23T10:00:00\r\nWH1,A-2,3,\r\n'


def check(raw: bytes) -> None:
    receipt = csv_handler("fuzz.csv", raw, CONTEXT)
    for event in receipt.events:
        parse_event(event)  # whatever comes out is a valid canonical event
    assert len(receipt.raws) == len(receipt.events)
    if receipt.problems:
        assert receipt.events == []
    for row in receipt.rejected:
        assert row.line >= 2 and row.reason


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes(raw: bytes) -> None:
    check(raw)
    xlsx_handler("fuzz.xlsx", raw, CONTEXT)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_valid_files(data: st.DataObject) -> None:
    raw = bytearray(VALID)
    for _ in range(data.draw(st.integers(1, 6))):
        where = data.draw(st.integers(0, len(raw)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        byte = data.draw(st.sampled_from(b',;"\r\n\x00\xff\xef 9aZ:/\\'))
        if action == "insert":
            raw.insert(where, byte)
        elif where < len(raw):
            if action == "delete":
                del raw[where]
            else:
                raw[where] = byte
    check(bytes(raw))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=6), max_size=8))
def test_arbitrary_cells_under_the_right_header(rows: list[list[str]]) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Loc", "Item", "Qty", "At"])
    writer.writerows(rows)
    check(out.getvalue().encode("utf-8", "surrogatepass"))
