"""Envelope checks: separators read from the ISA, counts and control numbers in trailers,
each error located by segment position and element."""

from __future__ import annotations

import re

import pytest

from logisync.connectors.edi.receipt import MemoryControlLedger, MemoryControlNumbers
from logisync.connectors.x12 import parse_interchanges, receive_x12

from .golden import ACME, AT, GOLDEN

GOOD = (GOLDEN / "in" / "850.x12").read_text()


def with_separators(text: str, element: str, component: str, terminator: str) -> bytes:
    lines = [line.rstrip("~") for line in text.splitlines()]
    converted = [line.replace("*", element) for line in lines]
    isa = converted[0][:-1] + component  # ISA16 is the component separator
    return (terminator.join([isa, *converted[1:]]) + terminator).encode()


def messages(raw: bytes) -> list[str]:
    receipt = receive_x12(raw, ACME, MemoryControlLedger(), MemoryControlNumbers(), AT)
    return [p.message for p in receipt.problems]


@pytest.mark.parametrize(
    ("element", "component", "terminator"),
    [("*", ">", "~"), ("|", "^", "\n"), ("\x1d", "\x1f", "\x1c"), ("+", ":", "'")],
)
def test_any_declared_separators_read_the_same_order(
    element: str, component: str, terminator: str
) -> None:
    expected = receive_x12(GOOD.encode(), ACME, MemoryControlLedger()).events
    raw = with_separators(GOOD, element, component, terminator)
    receipt = receive_x12(raw, ACME, MemoryControlLedger())
    assert receipt.problems == []
    assert [e["data"] for e in receipt.events] == [e["data"] for e in expected]


def test_line_breaks_after_terminators_and_a_5010_repetition_separator_are_tolerated() -> None:
    raw = GOOD.replace("*U*00401*", "*^*00501*").replace("~\n", "~\r\n").encode()
    [interchange], problems = parse_interchanges(raw)
    assert problems == [] and interchange.separators.repetition == "^"
    assert receive_x12(raw, ACME, MemoryControlLedger()).events


def test_a_wrong_segment_count_is_located_at_the_se_and_its_element() -> None:
    raw = GOOD.replace("SE*13*0001", "SE*12*0001").encode()
    assert messages(raw) == ["segment 15 (SE), element 01: says 12 segments, the set has 13"]
    receipt = receive_x12(raw, ACME, MemoryControlLedger(), MemoryControlNumbers(), AT)
    assert receipt.events == []
    assert receipt.problems[0].location == "/interchange/1/group/1/message/1/segment/15"
    assert b"AK5*R*4~" in receipt.acknowledgements[0][1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("SE*13*0001", "SE*13*0002"),
            "segment 15 (SE), element 02: control number '0002' differs from ST02 '0001'",
        ),
        (
            ("GE*1*201", "GE*1*202"),
            "segment 16 (GE), element 02: control number '202' differs from GS06 '201'",
        ),
        (("GE*1*201", "GE*2*201"), "segment 16 (GE), element 01: says 2 sets, the group has 1"),
        (
            ("IEA*1*000000101", "IEA*1*000000102"),
            "segment 17 (IEA), element 02: control "
            "number '000000102' differs from ISA13 '000000101'",
        ),
        (
            ("IEA*1*", "IEA*3*"),
            "segment 17 (IEA), element 01: says 3 groups, the interchange has 1",
        ),
    ],
)
def test_mismatched_trailers_are_reported_where_they_are(
    change: tuple[str, str], message: str
) -> None:
    assert messages(GOOD.replace(*change).encode()) == [message]


def test_a_cut_short_interchange_maps_nothing() -> None:
    raw = GOOD[: GOOD.index("GE*")].encode()
    receipt = receive_x12(raw, ACME, MemoryControlLedger())
    assert receipt.events == [] and receipt.acknowledgements == []
    assert [p.message for p in receipt.problems] == [
        "the interchange has no IEA trailer: it may be cut short",
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the file is empty: an X12 interchange starts with ISA"),
        (b"UNB+UNOC:3+X'", 'expected an ISA header, found "UNB+UNOC:3+X\'"'),
        (
            GOOD[:80].encode(),
            "segment 1 (ISA): the ISA header is 80 characters, an ISA is "
            "exactly 106 (the interchange is cut short)",
        ),
        (
            GOOD.replace("ACMEEDI        ", "ACMEEDI", 1).encode(),
            "segment 1 (ISA): the ISA "
            "has 18 elements in its 106 characters, it needs 16 (is it padded to its fixed "
            "widths?)",
        ),
    ],
)
def test_an_unreadable_header_is_one_clear_problem(raw: bytes, message: str) -> None:
    problems = [p.message for p in receive_x12(raw, ACME, MemoryControlLedger()).problems]
    assert len(problems) == 1 and message in problems[0]


def test_an_interchange_for_someone_else_is_refused() -> None:
    raw = GOOD.replace("LOGISYNC       ", "OTHERHUB       ").encode()
    receipt = receive_x12(raw, ACME, MemoryControlLedger())
    assert receipt.events == []
    assert "from 'ACMEEDI' to 'OTHERHUB'" in receipt.problems[0].message


def test_an_unknown_transaction_set_is_rejected_with_code_1() -> None:
    raw = GOOD.replace("ST*850*", "ST*830*").encode()
    receipt = receive_x12(raw, ACME, MemoryControlLedger(), MemoryControlNumbers(), AT)
    assert receipt.problems[0].message == (
        "segment 3 (ST), element 01: transaction set '830' is not one we read"
    )
    assert b"AK5*R*1~" in receipt.acknowledgements[0][1]


def test_mapping_errors_name_the_segment_and_element() -> None:
    raw = GOOD.replace("PO1*2*2*CA*30", "PO1*2*2*QQ*3x0").encode()
    assert messages(raw) == [
        "segment 13 (PO1), element 03: 'QQ' is not a unit of measure we map",
        "segment 13 (PO1), element 04: '3x0' is not a number",
    ]


def test_two_interchanges_in_one_file_are_both_read() -> None:
    second = GOOD.replace("000000101", "000000102")
    receipt = receive_x12((GOOD + second).encode(), ACME, MemoryControlLedger())
    assert receipt.problems == []
    assert [e["id"] for e in receipt.events] == [
        "x12:000000101:201:0001:0",
        "x12:000000102:201:0001:0",
    ]


def test_a_repeated_group_number_in_a_new_interchange_is_a_notice() -> None:
    ledger = MemoryControlLedger()
    receive_x12(GOOD.encode(), ACME, ledger)
    receipt = receive_x12(GOOD.replace("000000101", "000000102").encode(), ACME, ledger)
    assert receipt.notices == ["acme re-sent group 201 in interchange 000000102"]
    assert len(receipt.events) == 1  # a new interchange: its sets are read


def test_a_control_number_in_other_digits_than_ascii_is_refused() -> None:
    """Arabic-Indic digits pass ``str.isdecimal()`` and ``int()``; a partner reads only ASCII."""
    control = GOOD[90:99]
    other = "".join(chr(0x660 + int(d)) for d in control)
    raw = GOOD[:90] + other + GOOD[99:].replace(f"IEA*1*{control}", f"IEA*1*{other}")
    receipt = receive_x12(raw.encode(), ACME, MemoryControlLedger())
    assert receipt.events == []
    assert any("is not a nine-digit control number" in p.message for p in receipt.problems), [
        p.message for p in receipt.problems
    ]


@pytest.mark.parametrize(
    ("date", "time", "message"),
    [
        (
            "20261317",
            "1200",
            "segment 2 (GS), element 04: '20261317' is not a date (CCYYMMDD): month must be in "
            "1..12",
        ),
        (
            "20260229",
            "1200",
            "segment 2 (GS), element 04: '20260229' is not a date (CCYYMMDD): day is out of "
            "range for month",
        ),
        ("260301", "1200", "segment 2 (GS), element 04: '260301' is not a date (CCYYMMDD)"),
        (
            "20260301",
            "2360",
            "segment 2 (GS), element 05: '2360' is not a time (HHMM, HHMMSS, HHMMSSD or "
            "HHMMSSDD): minute must be in 0..59",
        ),
        (
            "20260301",
            "12",
            "segment 2 (GS), element 05: '12' is not a time (HHMM, HHMMSS, HHMMSSD or HHMMSSDD)",
        ),
    ],
)
def test_a_group_date_or_time_that_is_none_refuses_the_group(
    date: str, time: str, message: str
) -> None:
    """GS04/GS05 is the time of every fact in the group that names none (the 850's order):
    20261317 was read as 1970-01-01 (and a time of "12" as 12:00), without a word."""
    raw = GOOD.replace("*20260301*1200*201*", f"*{date}*{time}*201*").encode()
    receipt = receive_x12(raw, ACME, MemoryControlLedger(), MemoryControlNumbers(), AT)
    assert receipt.events == []
    [problem] = receipt.problems
    assert problem.location == "/interchange/1/group/1"
    assert problem.message == f"{message}; none of the group's sets is read"
    [(_, ack)] = receipt.acknowledgements
    assert b"AK2*850*0001~\nAK5*R~\nAK9*R*1*1*0~" in ack


def test_a_group_time_with_seconds_keeps_them() -> None:
    """GS05 may be HHMMSS[D[D]]: the seconds were cut off (12:00:30.5 read as 12:00)."""
    raw = GOOD.replace("*20260301*1200*201*", "*20260301*1200305*201*").encode()
    receipt = receive_x12(raw, ACME, MemoryControlLedger())
    assert receipt.problems == []
    [event] = receipt.events
    assert event["time"] == "2026-03-01T12:00:30.500000Z"


def test_a_group_without_its_ge_is_acknowledged_with_code_3() -> None:
    """716 code 3 is "functional group trailer missing" (2 is "version not supported")."""
    raw = re.sub(r"GE\*[^~]*~", "", GOOD).encode()
    receipt = receive_x12(raw, ACME, MemoryControlLedger(), MemoryControlNumbers(), AT)
    assert [p.message for p in receipt.problems] == ["segment 2 (GS): the group has no GE"]
    assert b"AK9*E*1*1*1*3~" in receipt.acknowledgements[0][1]


def test_a_set_repeating_an_earlier_sets_control_number_is_rejected_with_code_23() -> None:
    """Its events would take the first set's ids and be dropped as repeats of it."""
    first = GOOD[GOOD.index("ST*850*0001~") : GOOD.index("GE*")]
    second = first.replace("BEG*00*SA*PO-1001*", "BEG*00*SA*PO-1002*")
    raw = GOOD.replace(first, first + second).replace("GE*1*201~", "GE*2*201~").encode()
    receipt = receive_x12(raw, ACME, MemoryControlLedger(), MemoryControlNumbers(), AT)
    assert [p.message for p in receipt.problems] == [
        "segment 16 (ST), element 02: control number '0001' is set 1's already; each set of "
        "a group needs its own"
    ]
    assert [e["data"]["number"] for e in receipt.events] == ["PO-1001"]
    answer = receipt.acknowledgements[0][1]
    assert b"AK2*850*0001~\nAK5*A~\nAK2*850*0001~\nAK5*R*23~\nAK9*P*2*2*1~" in answer


@pytest.mark.parametrize(
    ("isa", "message"),
    [
        ("*261301*1200*", "segment 1 (ISA), element 09: '261301' is not a date (YYMMDD): month"),
        ("*2603 1*1200*", "segment 1 (ISA), element 09: '2603 1' is not a date (YYMMDD)"),
        ("*260301*2460*", "segment 1 (ISA), element 10: '2460' is not a time (HHMM): hour"),
        ("*260301*12 0*", "segment 1 (ISA), element 10: '12 0' is not a time (HHMM)"),
    ],
)
def test_an_interchange_dated_by_an_impossible_isa09_or_isa10_is_refused(
    isa: str, message: str
) -> None:
    raw = GOOD.replace("*260301*1200*", isa, 1).encode()
    receipt = receive_x12(raw, ACME, MemoryControlLedger(), MemoryControlNumbers(), AT)
    found = [p.message for p in receipt.problems]
    assert any(m.startswith(message) for m in found), found
