"""Flat-file import: every row-level error with its line, the checkpoint, the CSV dialects."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pytest

from logisync.connectors.files import FileContext, FileReceipt
from logisync.connectors.files.flat_import import csv_handler, xlsx_handler

WRITTEN = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
PRODUCTS: dict[str, Any] = {
    "event": "product.changed",
    "columns": {"SKU": "sku", "Name": "name", "Weight": "weight.value", "Active": "active"},
    "constants": {"weight.unit": "KGM"},
    "optional_columns": ["Active"],
    "max_invalid_ratio": 0.5,
}


def read(raw: bytes, **changes: Any) -> FileReceipt:
    context = FileContext("wms", "csv", WRITTEN, {"import": {**PRODUCTS, **changes}})
    return csv_handler("products.csv", raw, context)


def test_valid_rows_become_product_events_with_their_row_as_raw_payload() -> None:
    receipt = read(b"SKU,Name,Weight\r\nA-1,Widget,1.5\r\nA-2,Gadget,\r\n")
    assert receipt.problems == [] and receipt.rejected == []
    first, second = receipt.events
    assert first["subject"] == "product:A-1" and first["source"] == "wms"
    assert first["data"]["weight"] == {"value": "1.5", "unit": "KGM"}
    assert "weight" not in second["data"]
    assert receipt.raws[0] == b"A-1,Widget,1.5\r\n"
    assert first["id"] != second["id"]
    again = read(b"SKU,Name,Weight\r\nA-1,Widget,1.5\r\nA-2,Gadget,\r\n")
    assert [e["id"] for e in again.events] == [e["id"] for e in receipt.events]


def test_bom_quotes_embedded_newlines_and_trailing_blank_lines() -> None:
    raw = '\ufeffSKU,Name,Weight\n"B-1","Two\nlines, and ""quotes""",2\nB-2,x,3\n\n\n'.encode()
    receipt = read(raw)
    assert receipt.problems == [] and len(receipt.events) == 2
    assert receipt.events[0]["data"]["name"] == 'Two\nlines, and "quotes"'
    assert receipt.raws[1] == b"B-2,x,3\n"  # line 4: the quoted newline is counted


def test_each_row_level_error_names_line_column_value_and_reason() -> None:
    raw = (
        b"SKU,Name,Weight,Active\n"
        b"C-1,Fine,1,yes\n"
        b"C-2,Bad weight,heavy,yes\n"  # line 3: not a number
        b"C-3,Bad flag,1,perhaps\n"  # line 4: not yes/no
        b"C 4,Bad key,1,no\n"  # line 5: the model refuses the sku
        b"C-5,Short\n"  # line 6: wrong column count
        b"C-6,Huge,1e999999,no\n"  # line 7: beyond the model's bounds
    )
    receipt = read(raw, max_invalid_ratio=1.0)
    rejected = {r.line: r for r in receipt.rejected}
    assert sorted(rejected) == [3, 4, 5, 6, 7]
    assert (rejected[3].column, rejected[3].value) == ("Weight", "heavy")
    assert "not a number" in rejected[3].reason
    assert (rejected[4].column, rejected[4].value) == ("Active", "perhaps")
    assert (rejected[5].column, rejected[5].value) == ("SKU", "C 4")
    assert rejected[6].reason == "has 2 fields, the header has 4"
    assert rejected[7].column == "Weight"
    assert [e["subject"] for e in receipt.events] == ["product:C-1"]
    assert any("line 3, column 'Weight'" in notice for notice in receipt.notices)
    report = receipt.report_files()[0][1].decode()
    assert report.splitlines()[0] == "line,column,value,reason"
    assert "3,Weight,heavy," in report


def test_over_the_threshold_nothing_is_imported() -> None:
    raw = b"SKU,Name,Weight\nD-1,a,1\nD-2,b,x\nD-3,c,1\n"
    under = read(raw, max_invalid_ratio=0.34)
    assert len(under.events) == 2 and under.problems == []
    over = read(raw, max_invalid_ratio=0.02)
    assert over.events == []
    assert "1 of 3 rows are invalid (33.3%), more than max_invalid_ratio 2.0%" in str(
        over.problems[0]
    )
    assert "line 3, column 'Weight'" in str(over.problems[1])


def test_a_missing_required_column_refuses_the_file_naming_it() -> None:
    receipt = read(b"SKU,Weight\nE-1,1\n")
    [problem] = receipt.problems
    assert problem.location == "products.csv, line 1"
    assert "the required column 'Name' is missing (the header has: SKU, Weight)" in problem.message


def test_duplicate_keys_are_rejected_or_the_last_wins_as_configured() -> None:
    raw = b"SKU,Name,Weight\nF-1,first,1\nF-2,other,1\nF-1,second,2\n"
    refused = read(raw, max_invalid_ratio=1.0)
    assert [e["subject"] for e in refused.events] == ["product:F-2"]
    assert {r.line for r in refused.rejected} == {2, 4}
    assert "appears on lines 2, 4" in refused.rejected[0].reason
    last = read(raw, duplicate_keys="last_wins")
    assert [e["data"]["name"] for e in last.events] == ["other", "second"]


def test_decimal_comma_dates_and_encoding_of_a_stock_snapshot() -> None:
    mapping = {
        "event": "stock.level_reported",
        "columns": {"Lager": "location", "Artikel": "sku", "Bestand": "on_hand.value"},
        "columns_extra": None,
    }
    mapping.pop("columns_extra")
    mapping["columns"]["Gezählt"] = "counted_at"
    settings = {
        **mapping,
        "delimiter": ";",
        "encoding": "cp1252",
        "decimal_separator": ",",
        "thousands_separator": ".",
        "date_format": "%d.%m.%Y %H:%M",
        "timezone": "Europe/Berlin",
    }
    raw = "Lager;Artikel;Bestand;Gezählt\nWH1;G-1;1.234,5;23.11.2026 09:30\n".encode("cp1252")
    context = FileContext("wms", "csv", WRITTEN, {"import": settings})
    receipt = csv_handler("stock.csv", raw, context)
    assert receipt.problems == [], receipt.problems
    [event] = receipt.events
    assert event["subject"] == "stock_level:WH1/G-1"
    assert event["data"]["on_hand"]["value"] == "1234.5"
    assert event["data"]["counted_at"].startswith("2026-11-23T08:30:00")


def test_a_time_that_leaves_the_calendar_in_utc_rejects_its_row_not_the_file() -> None:
    """It raised OverflowError out of the handler: 00:30 on 0001-01-01 in Berlin (and 23:30
    on 9999-12-31 at UTC-5) has no date in UTC."""
    settings = {
        "event": "stock.level_reported",
        "columns": {"Loc": "location", "Item": "sku", "Qty": "on_hand.value", "At": "counted_at"},
        "timezone": "Europe/Berlin",
        "max_invalid_ratio": 1.0,
    }
    raw = (
        b"Loc,Item,Qty,At\n"
        b"WH1,S-1,7,0001-01-01T00:30:00\n"
        b"WH1,S-2,7,9999-12-31T23:30:00-05:00\n"
        b"WH1,S-3,7,2026-11-23T09:30:00\n"
    )
    context = FileContext("wms", "csv", WRITTEN, {"import": settings})
    receipt = csv_handler("stock.csv", raw, context)
    assert receipt.problems == []
    assert [e["subject"] for e in receipt.events] == ["stock_level:WH1/S-3"]
    assert [(r.line, r.column, r.value, r.reason) for r in receipt.rejected] == [
        (
            2,
            "At",
            "0001-01-01T00:30:00",
            "time 0001-01-01T00:30:00+00:53:28 falls outside the years 1 to 9999 in UTC",
        ),
        (
            3,
            "At",
            "9999-12-31T23:30:00-05:00",
            "time 9999-12-31T23:30:00-05:00 falls outside the years 1 to 9999 in UTC",
        ),
    ]


def test_bytes_the_encoding_refuses_are_located() -> None:
    receipt = read(b"SKU,Name,Weight\nG-1,\xff\xfe,1\n")
    [problem] = receipt.problems
    assert problem.location == "products.csv, line 2" and "not utf-8" in problem.message


@pytest.mark.parametrize("raw", [b"", b"\n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused_for_lack_of_a_header(raw: bytes) -> None:
    assert "needs a header row" in str(read(raw).problems[0])


def test_xlsx_sheet_is_read_like_csv() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SKU", "Name", "Weight"])
    sheet.append(["X-1", "From Excel", 2.5])
    sheet.append([None, None, None])
    sheet.append(["X-2", "Whole", 3])
    out = io.BytesIO()
    book.save(out)
    context = FileContext("wms", "xlsx", WRITTEN, {"import": PRODUCTS})
    receipt = xlsx_handler("products.xlsx", out.getvalue(), context)
    assert receipt.problems == []
    assert [e["data"]["weight"]["value"] for e in receipt.events] == ["2.5", "3"]
    broken = xlsx_handler("broken.xlsx", b"PK\x03\x04 not really", context)
    assert "not a readable xlsx workbook" in str(broken.problems[0])


def test_xlsx_dates_are_read_whatever_the_declared_text_format() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Loc", "Item", "Qty", "Counted"])
    sheet.append(["WH1", "S-1", 7, datetime(2026, 11, 23, 9, 30)])
    out = io.BytesIO()
    book.save(out)
    mapping = {
        "event": "stock.level_reported",
        "columns": {
            "Loc": "location",
            "Item": "sku",
            "Qty": "on_hand.value",
            "Counted": "counted_at",
        },
        "date_format": "%d.%m.%Y",
        "timezone": "Europe/Berlin",
    }
    context = FileContext("wms", "xlsx", WRITTEN, {"import": mapping})
    [event] = xlsx_handler("stock.xlsx", out.getvalue(), context).events
    assert event["data"]["counted_at"].startswith("2026-11-23T08:30:00")
    assert event["data"]["on_hand"]["value"] == "7"
