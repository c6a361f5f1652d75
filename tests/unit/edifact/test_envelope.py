"""Envelope and syntax: separators, release characters, counts, references, control numbers,
and the CONTRL that answers a good and a bad interchange."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from logisync.connectors.edi import MemoryControlLedger
from logisync.connectors.edifact.contrl import read_contrl
from logisync.connectors.edifact.envelope import read_interchange
from logisync.connectors.edifact.receive import receive_edifact
from logisync.connectors.edifact.syntax import Segment, Separators, parse_decimal, serialize

from .conftest import US, partner

THEM = "4098765000002"


def interchange(*body: str, reference: str = "1", una: str = "UNA:+.? '") -> bytes:
    unb = f"UNB+UNOC:3+{THEM}:14+{US}:14+260115:0930+{reference}'"
    messages = sum(1 for s in body if s.startswith("UNH"))
    return f"{una}{unb}{''.join(body)}UNZ+{messages}+{reference}'".encode("latin-1")


IFTSTA = ["UNH+1+IFTSTA:D:96A:UN'", "BGM+23+S1'", "CNI+1+SHIP1'", "STS+1+13'",
          "DTM+334:202601150930:203'", "UNT+6+1'"]  # fmt: skip


def test_release_character_escapes_separators_and_itself() -> None:
    read = read_interchange(interchange("UNH+1+X:D:96A:UN'FTX+AAA+++a?+b?'c??d?:e'UNT+3+1'"))
    assert read.faults == []
    ftx = read.messages[0].segments[1]
    assert ftx.value(4) == "a+b'c?d:e"
    text = serialize([ftx], Separators(), una=False)
    assert text == "FTX+AAA+++a?+b?'c??d?:e'"


def test_custom_una_separators() -> None:
    raw = (
        'UNA|*.# "UNB*UNOC|3*' + THEM + "*" + US + '*260115|0930*7"'
        'UNH*1*IFTSTA|D|96A|UN"BGM*23*S1"CNI*1*SH#*IP1"STS*1*13"DTM*334|202601150930|203"'
        'UNT*6*1"UNZ*1*7"'
    ).encode()
    receipt = receive_edifact(raw, partner(), MemoryControlLedger())
    assert receipt.problems == []
    assert receipt.events[0]["data"]["shipment_number"] == "SH*IP1"


def test_level_b_separators_when_una_is_absent() -> None:
    raw = (
        f"UNB\x1dUNOB\x1f3\x1d{THEM}\x1d{US}\x1d260115\x1f0930\x1d8\x1c"
        "UNH\x1d1\x1dIFTSTA\x1fD\x1f96A\x1fUN\x1cBGM\x1d23\x1dS1\x1cCNI\x1d1\x1dSHIP1\x1c"
        "STS\x1d1\x1d21\x1cDTM\x1d334\x1f202601150930\x1f203\x1cUNT\x1d6\x1d1\x1cUNZ\x1d1\x1d8\x1c"
    ).encode()
    receipt = receive_edifact(raw, partner(), MemoryControlLedger())
    assert receipt.problems == []
    assert receipt.events[0]["data"]["milestone"] == "delivered"


def test_decimal_marks() -> None:
    assert parse_decimal("0,85") == parse_decimal("0.85")
    assert parse_decimal("-12") == -12
    for bad in (",5", "1.2.3", "1e5", "", "١٢"):
        with pytest.raises(ValueError, match=r"number|digit"):
            parse_decimal(bad)


@pytest.mark.parametrize(
    ("raw", "code", "where"),
    [
        (interchange(*IFTSTA).replace(b"UNZ+1+1'", b"UNZ+2+1'"), "29", "element/1"),
        (interchange(*IFTSTA).replace(b"UNZ+1+1'", b"UNZ+1+9'"), "28", "element/2"),
        (interchange(*IFTSTA)[:-1], "18", "segment/8"),
        (interchange(*IFTSTA) + b"?", "22", ""),
        (b"UNA:+", "18", ""),
        (b"HELLO'", "18", ""),
        (interchange(*IFTSTA, "FTX+AAA'"), "33", "segment/8"),
        (interchange(*IFTSTA).replace(b"UNOC:3", b"UNOZ:3"), "2", "element/1"),
        (interchange(*IFTSTA).replace(US.encode(), b"999"), "7", "element/3"),
    ],
)
def test_interchange_faults_reject_everything(raw: bytes, code: str, where: str) -> None:
    receipt = receive_edifact(raw, partner(), MemoryControlLedger())
    assert receipt.events == []
    assert any(f"CONTRL error {code})" in p.message for p in receipt.problems), receipt.problems
    assert any(where in p.location for p in receipt.problems)
    ((_, contrl),) = receipt.acknowledgements
    uci = next(s for s in _segments(contrl) if s.tag == "UCI")
    assert uci.value(4) == "4" and uci.value(5) == code


@pytest.mark.parametrize(
    ("change", "code"),
    [(("UNT+6+1'", "UNT+5+1'"), "29"), (("UNT+6+1'", "UNT+6+2'"), "28"),
     (("DTM+334:202601150930:203'", "DTM+334:2026011509:203'"), "12")],
)  # fmt: skip
def test_message_faults_reject_that_message_only(change: tuple[str, str], code: str) -> None:
    bad = [s.replace(*change) for s in IFTSTA]
    good = [s.replace("UNH+1", "UNH+2").replace("UNT+6+1", "UNT+6+2") for s in IFTSTA]
    receipt = receive_edifact(interchange(*bad, *good), partner(), MemoryControlLedger())
    assert len(receipt.events) == 1
    (problem,) = receipt.problems
    assert problem.location.startswith("/interchange/1/message/1/segment/")
    segments = _segments(receipt.acknowledgements[0][1])
    assert [s.tag for s in segments][1:3] == ["UCI", "UCM"]
    ucm = segments[2]
    assert ucm.value(1) == "1" and ucm.value(3) == "4"


def test_contrl_golden_for_a_good_and_a_bad_interchange(golden: Path) -> None:
    good = receive_edifact(
        (golden / "iftsta_in.edi").read_bytes(), partner(), MemoryControlLedger()
    )
    raw_bad = (golden / "orders_in.edi").read_bytes().replace(b"PRI+AAA:0,85'", b"PRI+AAA:,85'")
    bad = receive_edifact(raw_bad, partner(), MemoryControlLedger())
    for name, receipt in (("contrl_good.edi", good), ("contrl_bad.edi", bad)):
        produced = receipt.acknowledgements[0][1]
        path = golden / name
        if not path.exists():
            path.write_bytes(produced)
        assert produced == path.read_bytes()
    segments = _segments(bad.acknowledgements[0][1])
    ucs = next(s for s in segments if s.tag == "UCS")
    ucd = next(s for s in segments if s.tag == "UCD")
    assert ucs.value(1) == "11"  # PRI is the 11th segment of the message (UNH = 1)
    assert (ucd.value(1), ucd.value(2, 1), ucd.value(2, 2)) == ("38", "2", "2")


def test_partner_contrl_is_read_and_not_acknowledged(golden: Path) -> None:
    good = receive_edifact(
        (golden / "iftsta_in.edi").read_bytes(), partner(), MemoryControlLedger()
    )
    contrl = read_interchange(good.acknowledgements[0][1])
    assert read_contrl(contrl.messages[0]) is not None
    # the partner receives our CONTRL: seen from its side, ids swapped
    from .conftest import mirrored

    receipt = receive_edifact(good.acknowledgements[0][1], mirrored(), MemoryControlLedger())
    assert receipt.acknowledgements == [] and receipt.problems == []
    # "hub" is how the receiving side (the mirrored partner) names us
    assert receipt.notices[-1] == "hub accepted our interchange 19"


def test_duplicates_and_gaps_through_the_ledger() -> None:
    ledger = MemoryControlLedger()
    first = receive_edifact(interchange(*IFTSTA, reference="5"), partner(), ledger)
    assert first.notices == [] and len(first.events) == 1
    gap = receive_edifact(interchange(*IFTSTA, reference="8"), partner(), ledger)
    assert any("2 interchange reference(s)" in n and "6, 7" in n for n in gap.notices)
    other = [s.replace("S1", "S2") for s in IFTSTA]
    reused = receive_edifact(interchange(*other, reference="5"), partner(), ledger)
    assert reused.events == []
    assert any("CONTRL error 26" in p.message for p in reused.problems)


def _segments(raw: bytes) -> list[Segment]:
    read = read_interchange(raw)
    assert read.faults == [], read.faults
    return [s for m in read.messages for s in m.segments]


def _grouped(group_ref: str, count: str = "1", une_ref: str | None = None) -> list[str]:
    return [
        f"UNG+IFTSTA+{THEM}+{US}+260115:0930+{group_ref}+UN+D:96A'",
        *IFTSTA,
        f"UNE+{count}+{une_ref or group_ref}'",
    ]


def test_groups_are_counted_checked_and_acknowledged() -> None:
    ledger = MemoryControlLedger()
    raw = interchange(*_grouped("3"), *[s.replace("S1", "S2").replace("UNH+1", "UNH+2")
                      .replace("UNT+6+1", "UNT+6+2") for s in _grouped("4")])  # fmt: skip
    assert raw.endswith(b"UNZ+2+1'")  # UNZ counts the two groups
    receipt = receive_edifact(raw, partner(), ledger)
    assert receipt.problems == [] and len(receipt.events) == 2
    bad = interchange(*_grouped("9", count="2", une_ref="8"), reference="2")
    rejected = receive_edifact(bad, partner(), ledger)
    assert rejected.events == []
    assert {p.message.rsplit("error ", 1)[1] for p in rejected.problems} == {"29)", "28)"}
    assert all(p.location.startswith("/interchange/1/group/1") for p in rejected.problems)
    assert any("group reference(s)" in n for n in rejected.notices)  # 5..8 never arrived
    tags = [s.tag for s in _segments(rejected.acknowledgements[0][1])]
    assert tags == ["UNH", "UCI", "UCF", "UNT"]


@pytest.mark.parametrize(
    ("prepared", "component", "reason"),
    [
        ("261317:0930", 1, "preparation date '261317' is not a date (YYMMDD): month must be"),
        ("2601 5:0930", 1, "preparation date '2601 5' is not a date (YYMMDD)"),
        ("260115:2460", 2, "preparation time '2460' is not a time (HHMM): hour must be"),
        ("260115", None, "date and time of preparation must be YYMMDD (or CCYYMMDD) and HHMM"),
    ],
)
def test_a_group_prepared_at_an_impossible_date_or_time_is_rejected(
    prepared: str, component: int | None, reason: str
) -> None:
    """UNG's date and time went unread: a group dated 2026-13-17 was taken as it came."""
    raw = interchange(*_grouped("3")).replace(b"+260115:0930+3+", f"+{prepared}+3+".encode())
    receipt = receive_edifact(raw, partner(), MemoryControlLedger())
    assert receipt.events == []
    [problem] = receipt.problems
    assert problem.location.startswith("/interchange/1/group/1")
    assert problem.message.startswith(f"UNG: the {reason}")
    assert problem.message.endswith("(CONTRL error 12)")
    where = "/element/4" + (f"/component/{component}" if component else "")
    assert problem.location.endswith(where), problem.location


def test_groups_and_lone_messages_must_not_mix() -> None:
    raw = interchange(*_grouped("3"), *IFTSTA[:1], *IFTSTA[1:])
    receipt = receive_edifact(raw, partner(), MemoryControlLedger())
    assert any("CONTRL error 30" in p.message for p in receipt.problems)


def test_unoa_refuses_lower_case() -> None:
    raw = interchange(*IFTSTA).replace(b"UNOC", b"UNOA").replace(b"SHIP1", b"ship1")
    receipt = receive_edifact(raw, partner(), MemoryControlLedger())
    assert any("not a UNOA character" in p.message for p in receipt.problems)


def test_a_partners_rejecting_contrl_becomes_a_notice(golden: Path) -> None:
    from .conftest import mirrored

    raw = (golden / "contrl_bad.edi").read_bytes()  # our CONTRL rejecting ORDERS message 1
    receipt = receive_edifact(raw, mirrored(), MemoryControlLedger())
    assert receipt.acknowledgements == [] and receipt.events == []
    assert receipt.notices[-1] == "hub rejected our interchange 17; messages rejected: 1"


def test_level_b_cannot_write_a_separator_inside_a_value() -> None:
    from logisync.connectors.edifact.outbound import write_interchange
    from logisync.errors import PermanentDeliveryError

    settings = partner(syntax="UNOB").settings
    body = [Segment("FTX", (("AAA",), ("",), ("",), ("a\x1db",)))]
    with pytest.raises(PermanentDeliveryError, match="level B"):
        write_interchange(settings, 1, [("IFTSTA", body)], datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("prepared", "component", "reason"),
    [
        ("261317:0930", 1, "date '261317' is not a date (YYMMDD): month must be in 1..12"),
        ("260229:0930", 1, "date '260229' is not a date (YYMMDD): day is out of range for month"),
        ("00000101:0930", 1, "date '00000101' is not a date (CCYYMMDD): year 0 is out of range"),
        ("260115:2400", 2, "time '2400' is not a time (HHMM): hour must be in 0..23"),
        ("260115:0960", 2, "time '0960' is not a time (HHMM): minute must be in 0..59"),
    ],
)
def test_a_preparation_date_or_time_that_is_none_rejects_the_interchange(
    prepared: str, component: int, reason: str
) -> None:
    """UNB S004's digits were checked, not the date: 261317 (month 13) read as 2000-01-01, the
    time of every event whose message names none, and of our CONTRL."""
    raw = interchange(*IFTSTA).replace(b"+260115:0930+", f"+{prepared}+".encode())
    receipt = receive_edifact(raw, partner(), MemoryControlLedger())
    assert receipt.events == []
    [problem] = receipt.problems
    assert problem.location == f"/interchange/1/segment/1/element/4/component/{component}"
    assert problem.message == f"UNB: the preparation {reason} (CONTRL error 12)"
    ((_, contrl),) = receipt.acknowledgements
    uci = next(s for s in _segments(contrl) if s.tag == "UCI")
    assert (uci.value(4), uci.value(5), uci.value(6)) == ("4", "12", "UNB")
    assert (uci.value(7, 1), uci.value(7, 2)) == ("5", str(component))  # 0098: UNB is 1


@pytest.mark.parametrize(
    ("prepared", "time"),
    [("000229:0000", "2000-02-29T00:00:00Z"), ("690101:2359", "1969-01-01T23:59:00Z"),
     ("680101:0000", "2068-01-01T00:00:00Z"), ("20260115:0930", "2026-01-15T09:30:00Z")],
)  # fmt: skip
def test_a_preparation_date_and_time_is_the_time_of_an_event_that_names_none(
    prepared: str, time: str
) -> None:
    orders = ["UNH+1+ORDERS:D:96A:UN'", "BGM+220+PO-1+9'", "LIN+1++4006381333931:SRV'",
              "QTY+21:1'", "UNT+5+1'"]  # fmt: skip
    raw = interchange(*orders).replace(b"+260115:0930+", f"+{prepared}+".encode())
    receipt = receive_edifact(raw, partner(), MemoryControlLedger())
    assert receipt.problems == []
    assert [e["time"] for e in receipt.events] == [time]
