"""Golden interchanges in and out: parse -> canonical -> generate -> parse gives the same
facts, and what we generate is byte for byte the stored golden file."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from logisync.connectors.edi import MemoryControlLedger
from logisync.connectors.edifact.outbound import message_body, write_interchange
from logisync.connectors.edifact.receive import receive_edifact

from .conftest import THEM, US, mirrored, partner

MESSAGES = {"orders": "ORDERS", "desadv": "DESADV", "iftsta": "IFTSTA", "invoic": "INVOIC"}
NOW = datetime(2026, 1, 20, 9, 30, tzinfo=UTC)
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _facts(raw: bytes, who: Any = None) -> list[dict[str, Any]]:
    receipt = receive_edifact(raw, who or partner(), MemoryControlLedger())
    assert receipt.problems == []
    return [{"type": e["type"], "subject": e["subject"], "data": e["data"]} for e in receipt.events]


def _check_golden(path: Path, produced: bytes) -> None:
    if UPDATE or not path.exists():
        path.write_bytes(produced)
    assert produced == path.read_bytes(), f"{path.name} changed; UPDATE_GOLDEN=1 to accept"


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_parse_generate_parse_gives_the_same_facts(name: str, golden: Path) -> None:
    facts = _facts((golden / f"{name}_in.edi").read_bytes())
    assert facts
    bodies = [
        (MESSAGES[name], message_body(MESSAGES[name], f["data"], partner().settings)) for f in facts
    ]
    produced = write_interchange(partner().settings, 42, bodies, NOW)
    _check_golden(golden / f"{name}_out.edi", produced)
    # the partner reads what we wrote: it is addressed to it, from us
    again = _facts(produced, mirrored())
    assert [f["data"] for f in again] == [f["data"] for f in facts]


def test_orders_maps_parties_lines_and_escapes(golden: Path) -> None:
    (fact,) = _facts((golden / "orders_in.edi").read_bytes())
    order = fact["data"]
    assert fact["type"] == "sales_order.placed" and fact["subject"] == "sales_order:PO-4711"
    assert order["ship_to"]["street"] == "Hafenstra+e 3"  # ?+ released
    assert order["lines"][0]["description"] == "Ballpoint pen, blue"  # ?, released
    assert order["lines"][0]["sku"] == "4006381333931"  # GTIN from LIN
    assert order["lines"][0]["unit_price"] == {"amount": "0.85", "currency": "EUR"}  # 0,85
    assert order["lines"][1]["sku"] == "NOTE-A5"  # PIA SA
    assert order["requested_date"] == "2026-01-20"


def test_desadv_carries_packages_with_sscc(golden: Path) -> None:
    (fact,) = _facts((golden / "desadv_in.edi").read_bytes())
    shipment = fact["data"]
    assert fact["type"] == "shipment.dispatched"
    assert [p["sscc"] for p in shipment["packages"]] == [
        "340123450000000017",
        "340123450000000024",
    ]
    assert shipment["packages"][0]["weight"] == {"value": "4.2", "unit": "KGM"}
    assert shipment["packages"][1]["contents"] == {"NOTE-A5": "10"}
    assert shipment["dispatched_at"] == "2026-01-16T13:45:00Z"


def test_iftsta_unknown_status_code_is_kept(golden: Path) -> None:
    facts = _facts((golden / "iftsta_in.edi").read_bytes())
    milestones = [(f["data"]["milestone"], f["data"]["carrier_code"]) for f in facts]
    assert milestones == [("in_transit", "24"), ("delivered", "21"), ("unknown", "99")]
    assert {f["subject"] for f in facts} == {"shipment:DES-0815"}


def test_invoic_reads_decimal_comma_totals(golden: Path) -> None:
    (fact,) = _facts((golden / "invoic_in.edi").read_bytes())
    invoice = fact["data"]
    assert invoice["total"] == {"amount": "48.55", "currency": "EUR"}
    assert invoice["lines"][0]["tax_rate"] == "19"


def test_event_ids_are_deterministic_and_a_resend_journals_nothing(golden: Path) -> None:
    raw = (golden / "iftsta_in.edi").read_bytes()
    ledger = MemoryControlLedger()
    first = receive_edifact(raw, partner(), ledger)
    again = receive_edifact(raw, partner(), ledger)
    assert [e["id"] for e in first.events] == [
        "edifact:retailer:19:5:0",
        "edifact:retailer:19:5:1",
        "edifact:retailer:19:5:2",
    ]
    assert [e["id"] for e in again.events] == [e["id"] for e in first.events]  # journaled once
    assert again.problems == []
    assert "received before" in again.notices[0]
    assert again.acknowledgements  # acknowledged again: our first CONTRL may have been lost


def test_decimal_comma_is_written_when_configured() -> None:
    settings = partner(decimal_mark=",").settings
    body = message_body(
        "INVOIC",
        {
            "number": "I1",
            "lines": [
                {
                    "description": "x",
                    "quantity": {"value": "1.5", "unit": "KGM"},
                    "unit_price": {"amount": "2.25", "currency": "EUR"},
                }
            ],
        },
        settings,
    )
    text = write_interchange(settings, 1, [("INVOIC", body)], NOW).decode("latin-1")
    assert text.startswith("UNA:+,? '") and "QTY+47:1,5:KGM'" in text and "PRI+AAA:2,25'" in text


def test_a_dtm_time_that_leaves_the_calendar_in_utc_is_a_fault_of_its_element(
    golden: Path,
) -> None:
    """It raised OverflowError out of ``receive_edifact``: 00010101 in Berlin is year 0 in UTC."""
    raw = (golden / "iftsta_in.edi").read_bytes()
    edge = raw.replace(b"DTM+334:202601161800:203", b"DTM+334:00010101:102")
    receipt = receive_edifact(edge, partner(timezone="Europe/Berlin"), MemoryControlLedger())
    assert receipt.events == []
    [problem] = receipt.problems
    assert problem.location == "/interchange/1/message/1/segment/8/element/1/component/2"
    assert problem.message == (
        "DTM: '00010101' is no time in UTC: time 0001-01-01T00:00:00+00:53:28 falls outside "
        "the years 1 to 9999 in UTC (CONTRL error 12)"
    )
    assert receipt.acknowledgements  # the CONTRL that rejects the message


def test_a_date_at_the_calendars_edge_is_kept_as_the_partner_wrote_it(golden: Path) -> None:
    """A date has no zone: reading it must not take it through UTC (which overflowed)."""
    raw = (golden / "invoic_in.edi").read_bytes()
    edge = raw.replace(b"DTM+137:20260118:102", b"DTM+137:00010101:102")
    receipt = receive_edifact(edge, partner(timezone="Europe/Berlin"), MemoryControlLedger())
    assert receipt.problems == []
    assert receipt.events[0]["data"]["issued_on"] == "0001-01-01"


def test_a_preparation_time_that_leaves_the_calendar_in_utc_refuses_the_interchange(
    golden: Path,
) -> None:
    """UNB's date and time are the events' time when a message names none; 9999-12-31 23:59
    in Chicago is in year 10000 in UTC, which raised OverflowError."""
    raw = (golden / "iftsta_in.edi").read_bytes()
    edge = raw.replace(b"UNOC:3", b"UNOC:4").replace(b"260117:0800", b"99991231:2359")
    receipt = receive_edifact(edge, partner(timezone="America/Chicago"), MemoryControlLedger())
    assert receipt.events == []
    [problem] = receipt.problems
    assert problem.location == "/interchange/1/segment/1/element/4"
    assert problem.message == (
        "UNB: the preparation date and time 99991231 2359 are no time in UTC: time "
        "9999-12-31T23:59:00-06:00 falls outside the years 1 to 9999 in UTC (CONTRL error 12)"
    )
    assert receipt.acknowledgements


def test_dates_before_the_year_1000_are_written_with_four_digit_years(golden: Path) -> None:
    """glibc's strftime writes year 1 as "1": the CONTRL's UNB date and the DTMs we wrote
    from 0001-01-01 (valid dates, read from the partner or stored) became "10101"."""
    raw = (
        (golden / "orders_in.edi")
        .read_bytes()
        .replace(b"UNOC:3", b"UNOC:4")
        .replace(b"260115:0930", b"00010101:0030")
        .replace(b"DTM+137:20260115:102", b"DTM+137:00010101:102")
        .replace(b"DTM+2:20260120:102", b"DTM+2:00010101:102")
    )
    who = partner(syntax_version="4")
    receipt = receive_edifact(raw, who, MemoryControlLedger())
    assert receipt.problems == []
    [event] = receipt.events
    assert event["time"] == "0001-01-01T00:30:00Z"  # from the UNB: ORDERS names no time
    order = event["data"]
    assert (order["ordered_at"], order["requested_date"]) == ("0001-01-01T00:00:00Z", "0001-01-01")
    [(_, contrl)] = receipt.acknowledgements
    assert f"+{US}+{THEM}+00010101:0030+C17'".encode() in contrl
    body = message_body("ORDERS", order, who.settings)
    produced = write_interchange(who.settings, 42, [("ORDERS", body)], NOW)
    assert b"DTM+137:00010101000000:204'" in produced and b"DTM+2:00010101:102'" in produced
    assert [f["data"] for f in _facts(produced, mirrored(syntax_version="4"))] == [order]


def test_a_time_before_the_year_1000_is_written_as_ccyymmddhhmmss(golden: Path) -> None:
    raw = (golden / "iftsta_in.edi").read_bytes()
    edge = raw.replace(b"DTM+334:202601161800:203", b"DTM+334:00010101:102")
    [fact, *_] = _facts(edge)
    assert fact["data"]["occurred_at"] == "0001-01-01T00:00:00Z"
    produced = write_interchange(
        partner().settings,
        42,
        [("IFTSTA", message_body("IFTSTA", fact["data"], partner().settings))],
        NOW,
    )
    assert b"DTM+334:00010101000000:204'" in produced
    assert _facts(produced, mirrored())[0]["data"] == fact["data"]
