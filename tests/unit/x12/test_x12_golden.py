"""Golden interchanges: what each message maps to, what we write, and that a round trip
(parse -> canonical -> generate -> parse) keeps every fact."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from logisync.connectors.edi.receipt import MemoryControlLedger, MemoryControlNumbers
from logisync.connectors.x12 import receive_x12, write_x12
from logisync.connectors.x12.carrier_status import write_214
from logisync.connectors.x12.invoice import write_810
from logisync.connectors.x12.purchase_order import write_850
from logisync.connectors.x12.ship_notice import write_856
from logisync.connectors.x12.warehouse import write_940, write_945
from logisync.connectors.x12.writer import OutboundSet

from .golden import ACME, ACME_SEES_US, AT, GOLDEN, matches_golden

WRITERS: dict[str, Any] = {
    "850": lambda facts: write_850(facts[0]),
    "856": lambda facts: write_856(facts[0]),
    "945": lambda facts: write_945(facts[0]),
    "940": lambda facts: write_940(facts[0]),
    "214": write_214,  # one status message for all the milestones of a shipment
    "810": lambda facts: write_810(facts[0]),
}


def received(raw: bytes, partner: Any = ACME) -> list[dict[str, Any]]:
    receipt = receive_x12(raw, partner, MemoryControlLedger(), MemoryControlNumbers(), AT)
    assert receipt.problems == []
    return receipt.events


@pytest.mark.parametrize("code", ["850", "856", "940", "945", "214", "810"])
def test_each_message_maps_to_the_golden_events(code: str) -> None:
    events = received((GOLDEN / "in" / f"{code}.x12").read_bytes())
    facts = [{k: e[k] for k in ("type", "id", "source", "subject", "data")} for e in events]
    text = orjson.dumps(facts, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    assert matches_golden(GOLDEN / "in" / f"{code}.events.json", text)


@pytest.mark.parametrize("code", sorted(WRITERS))
def test_what_we_write_matches_the_golden_file_and_reads_back_to_the_same_facts(
    code: str,
) -> None:
    first = received((GOLDEN / "in" / f"{code}.x12").read_bytes())
    written: OutboundSet = WRITERS[code]([e["data"] for e in first])
    name, body = write_x12([written], ACME, MemoryControlNumbers(), AT)
    assert name == "acme-000000001.x12"
    assert matches_golden(GOLDEN / "out" / f"{code}.x12", body)
    again = received(body, ACME_SEES_US)
    assert [(e["type"], e["data"]) for e in again] == [(e["type"], e["data"]) for e in first]


def test_a_good_group_is_acknowledged_accepted() -> None:
    raw = (GOLDEN / "in" / "856.x12").read_bytes()
    receipt = receive_x12(raw, ACME, MemoryControlLedger(), MemoryControlNumbers(), AT)
    [(name, body)] = receipt.acknowledgements
    assert name == "acme-000000001.x12"
    assert matches_golden(GOLDEN / "out" / "997-accepted.x12", body)
    assert b"AK5*A~" in body and b"AK9*A*1*1*1~" in body


def test_a_bad_group_is_acknowledged_with_each_set_and_segment_in_error() -> None:
    raw = (GOLDEN / "in" / "bad-group.x12").read_bytes()
    receipt = receive_x12(raw, ACME, MemoryControlLedger(), MemoryControlNumbers(), AT)
    [(_, body)] = receipt.acknowledgements
    assert matches_golden(GOLDEN / "out" / "997-rejected.x12", body)
    text = body.decode()
    assert "AK2*856*0001~\nAK5*A~" in text  # the good set goes through
    assert "AK2*856*0002~\nAK5*R*4~" in text  # SE01 counts wrong
    assert "AK2*856*0003~\nAK3*SN1*7**8~\nAK4*2**6~\nAK5*R*5~" in text  # a bad quantity
    assert "AK9*P*3*3*1~" in text
    assert [e["data"]["number"] for e in receipt.events] == ["SHP-1"]


def test_a_partners_997_says_which_of_our_groups_it_accepted_or_rejected() -> None:
    raw = (GOLDEN / "out" / "997-rejected.x12").read_bytes()
    receipt = receive_x12(raw, ACME_SEES_US, MemoryControlLedger())
    assert receipt.events == [] and receipt.problems == [] and receipt.acknowledgements == []
    assert receipt.notices == ["acme partly accepted our group 301 (SH); rejected sets 0002, 0003"]
