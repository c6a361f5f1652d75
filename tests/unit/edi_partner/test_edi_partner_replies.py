"""The hub's replies in the outbox (997s, outbound 856/810/940) are picked up and recorded;
a file the partner cannot read is recorded as such, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from logisync.connectors.edi.receipt import MemoryControlLedger, MemoryControlNumbers
from logisync.connectors.x12 import X12Partner, receive_x12, write_x12
from logisync.connectors.x12.invoice import write_810
from logisync.connectors.x12.warehouse import write_940
from logisync.testing.edi_partner import EdiPartner, FolderDrop, X12Writer

HUB = X12Partner(name="acme_retail", sender_id="LOGISYNC", receiver_id="ACMERETAIL")
AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_acknowledgements_and_documents_from_the_hub_are_recorded(tmp_path: Path) -> None:
    outbox = tmp_path / "out"
    outbox.mkdir()
    partner = EdiPartner(X12Writer(), [FolderDrop(tmp_path / "in")], outbox=outbox, seed=8)
    good = partner.drop("purchase_order")[0]
    bad = partner.drop("purchase_order", faults=["malformed:wrong_se_count"])[0]
    assert partner.records.unacknowledged() == [1]  # a malformed one expects no answer
    ledger, numbers = MemoryControlLedger(), MemoryControlNumbers()
    for sent in (good, bad):
        for name, body in receive_x12(sent.body, HUB, ledger, numbers, AT).acknowledgements:
            (outbox / name).write_bytes(body)
    invoice = {"number": "INV-9", "lines": [], "total": {"amount": "10.00", "currency": "USD"}}
    order = {"number": "SO-4", "lines": [{"line_no": 1, "sku": "A", "quantity": {"value": 2}}]}
    name, body = write_x12([write_810(invoice), write_940(order)], HUB, numbers, AT)
    (outbox / name).write_bytes(body)
    (outbox / ".half.x12.part").write_bytes(b"ISA*00")

    partner.tick()

    accepted, rejected = (
        partner.records.acknowledgement_of(1),
        partner.records.acknowledgement_of(2),
    )
    assert accepted is not None and accepted.accepted and accepted.messages == {"0001": "A"}
    assert rejected is not None and rejected.status == "R" and rejected.messages == {"0001": "R"}
    received = {(d.code, d.number) for d in partner.records.received}
    assert received == {("810", "INV-9"), ("940", "SO-4")}
    assert ".half.x12.part" not in partner.records.files_read
    assert partner.read_replies() == []  # each file is read once
    assert partner.records.unacknowledged() == []


def test_an_unreadable_reply_is_recorded_with_where_it_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "junk.x12").write_bytes(b"hello")
    partner = EdiPartner(X12Writer(), [FolderDrop(tmp_path / "in")], outbox=tmp_path)
    assert partner.read_replies() == ["junk.x12"]
    assert partner.records.unreadable == [
        "junk.x12/interchange/1: expected an ISA header, found 'hello'"
    ]


def valid_reply() -> bytes:
    numbers = MemoryControlNumbers()
    sent = EdiPartner(X12Writer(), [], seed=1).drop("ship_notice")[0]
    return receive_x12(sent.body, HUB, MemoryControlLedger(), numbers, AT).acknowledgements[0][1]


VALID = valid_reply()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_reading_arbitrary_bytes_never_raises(raw: bytes) -> None:
    X12Writer().read_reply(raw, "fuzz.x12")


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_reading_a_mutated_997_never_raises(data: st.DataObject) -> None:
    raw = bytearray(VALID)
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at : at + data.draw(st.integers(0, 3))] = data.draw(st.binary(max_size=3))
    acknowledgements, _, _ = X12Writer().read_reply(bytes(raw), "fuzz.x12")
    assert all(a.group_control >= 0 for a in acknowledgements)
