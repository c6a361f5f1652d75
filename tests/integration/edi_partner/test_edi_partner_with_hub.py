"""The partner against the hub's real X12 intake: what it drops, the receiver reads; the facts
the partner expects are the facts the receiver extracts; the 997s come back and are recorded.

The hub's file watcher is not on this branch, so the test plays it: each file in the inbox
goes through ``receive_x12`` with one ledger, and the 997s are written into the outbox.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logisync.api.app import create_app
from logisync.api.webhook_route import WebhookSystems
from logisync.connectors.edi.receipt import MemoryControlLedger, MemoryControlNumbers
from logisync.connectors.x12 import X12Partner, receive_x12
from logisync.store.sqlite import SqliteStore
from logisync.testing.edi_partner import (
    DOCUMENT_KINDS,
    EdiPartner,
    EdiPartnerSim,
    ExpectedFact,
    PartnerFaultPlan,
    X12Writer,
    edi_partner,
    facts_of_event,
)
from logisync.testing.serving import serving

HUB = X12Partner(name="acme_retail", sender_id="LOGISYNC", receiver_id="ACMERETAIL")
AT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


class FileHub:
    """The hub's side of a folder transport: read new inbox files, answer with 997s."""

    def __init__(self, inbox: Path, outbox: Path) -> None:
        self.inbox, self.outbox = inbox, outbox
        self.ledger, self.numbers = MemoryControlLedger(), MemoryControlNumbers()
        self.done: set[str] = set()
        self.events: dict[str, dict[str, object]] = {}
        self.problems: dict[str, list[str]] = {}
        self.notices: list[str] = []

    def poll(self) -> None:
        for path in sorted(self.inbox.iterdir(), key=lambda p: p.stat().st_mtime_ns):
            if path.name.startswith(".") or path.name in self.done:
                continue
            self.done.add(path.name)
            receipt = receive_x12(path.read_bytes(), HUB, self.ledger, self.numbers, AT)
            self.events.update({e["id"]: e for e in receipt.events})
            self.problems[path.name] = [f"{p.location}: {p.message}" for p in receipt.problems]
            self.notices.extend(receipt.notices)
            self.outbox.mkdir(exist_ok=True)
            for name, body in receipt.acknowledgements:
                (self.outbox / f".{name}.part").write_bytes(body)
                os.replace(self.outbox / f".{name}.part", self.outbox / name)


def ordered(facts: list[ExpectedFact]) -> list[str]:
    return sorted(repr(f) for f in facts)


@pytest.fixture
def partner(tmp_path: Path) -> Iterator[EdiPartnerSim]:
    with edi_partner(inbox=tmp_path / "in", outbox=tmp_path / "out", seed=21) as simulated:
        yield simulated


def test_the_facts_the_partner_expects_are_what_the_receiver_extracts(
    partner: EdiPartnerSim, tmp_path: Path
) -> None:
    hub = FileHub(tmp_path / "in", tmp_path / "out")
    partner.faults = PartnerFaultPlan(
        documents_per_minute=2, duplicate_rate=0.2, gap_rate=0.1, reorder_rate=0.5, seed=4
    )
    for kind in DOCUMENT_KINDS:
        partner.drop(kind)
    for _ in range(4):
        partner.advance(600)
        partner.tick()
        hub.poll()
    partner.tick()

    assert len(partner.records.sent) > 40
    assert not any(hub.problems.values())
    got = [facts_of_event(e) for e in hub.events.values()]
    assert ordered(got) == ordered(partner.expected())
    for sent in partner.records.sent:
        verdict = partner.acknowledgement_of(sent.control)
        assert verdict is not None and verdict.accepted, sent.control


def test_duplicates_gaps_and_malformed_files_are_seen_as_such_by_the_hub(
    partner: EdiPartnerSim, tmp_path: Path
) -> None:
    hub = FileHub(tmp_path / "in", tmp_path / "out")
    partner.drop("purchase_order", faults=["duplicate"])  # 1, twice
    partner.drop("purchase_order", faults=["gap"])  # 3: 2 was skipped
    partner.drop("ship_notice", faults=["malformed:wrong_se_count"])  # 4
    partner.drop("invoice", faults=["malformed:truncated"])  # 5
    partner.drop("carrier_status", faults=["malformed:bad_separators"])  # 6
    partner.drop("invoice")  # 7
    hub.poll()
    partner.tick()

    assert any("re-sent interchange 1: its facts are journaled once" in n for n in hub.notices)
    assert any("control numbers 2 were never received before 3" in n for n in hub.notices)
    assert "says" in hub.problems["acme_retail-000000004.x12"][0]
    assert "no IEA trailer" in hub.problems["acme_retail-000000005.x12"][0]
    assert "segment 1 (ISA)" in hub.problems["acme_retail-000000006.x12"][0]
    verdicts = {c: partner.acknowledgement_of(c) for c in range(1, 8)}
    statuses = {c: v.status if v else None for c, v in verdicts.items()}
    assert statuses == {1: "A", 2: None, 3: "A", 4: "R", 5: None, 6: None, 7: "A"}
    got = [facts_of_event(e) for e in hub.events.values()]
    assert ordered(got) == ordered(partner.expected())
    assert {f.event_type for f in partner.expected()} == {"sales_order.placed", "invoice.created"}


def test_interchanges_posted_to_the_hubs_webhook_are_journaled(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    systems = WebhookSystems(
        {"acme_retail": ("x12", {"scheme": "odoo_token", "secret": "env:ACME"})},
        {"env:ACME": "acme-token"}.__getitem__,
    )
    app = create_app(lambda: SqliteStore(path), None, None, systems)
    store = SqliteStore(path)
    try:
        with serving(app) as url:
            post_to = f"{url}/v1/webhooks/acme_retail?token=acme-token"
            with edi_partner(post_to=post_to, seed=5) as simulated:
                for kind in DOCUMENT_KINDS:
                    simulated.drop(kind)
                simulated.drop("purchase_order", faults=["malformed:wrong_se_count"])
        outcomes = [s.outcomes for s in simulated.records.sent]
        assert outcomes == [("http 202",)] * 5 + [("http 422",)]
        for fact in simulated.expected():
            domain = fact.event_type.split(".")[0]
            journaled = store.events_for(f"{domain}:{fact.key}")
            events = [{"type": r.type, "data": r.data} for r in journaled]
            assert fact in [facts_of_event(e) for e in events if e["type"] == fact.event_type]
    finally:
        store.close()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_for_any_seed_every_document_reads_back_as_the_facts_expected(seed: int) -> None:
    partner = EdiPartner(X12Writer(), [], seed=seed)
    ledger = MemoryControlLedger()
    for kind in DOCUMENT_KINDS * 2:
        (sent,) = partner.drop(kind)
        receipt = receive_x12(sent.body, HUB, ledger, MemoryControlNumbers(), AT)
        assert receipt.problems == []
        got = [facts_of_event(e) for e in receipt.events]
        assert got == list(sent.documents[0].expected)


def test_a_hub_that_cannot_be_reached_is_recorded_not_raised(tmp_path: Path) -> None:
    with edi_partner(post_to="http://127.0.0.1:9/v1/webhooks/acme_retail", seed=1) as partner:
        (sent,) = partner.drop("invoice")
    assert sent.outcomes[0].startswith("error: ConnectError")
