"""The X12 target: deliveries become one interchange per batch in the partner's outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import TypeAdapter

from logisync.config import SystemConfig, load_config
from logisync.connectors.edi.receipt import MemoryControlLedger, MemoryControlNumbers
from logisync.connectors.registry import settings_issues, target_connector
from logisync.connectors.x12 import X12Partner, X12Target, partner_of, receive_x12
from logisync.connectors.x12.writer import EnvelopeHeader, OutboundGroup, write_interchange
from logisync.core.delivery.connector import DeliveryItem
from logisync.core.records import DeliveryRecord
from logisync.errors import InvalidConfig
from logisync.model.values import AwareDatetime
from logisync.store.sqlite import SqliteStore

from .golden import ACME_SEES_US, AT, GOLDEN


def state_of(code: str, index: int = 0) -> dict[str, Any]:
    facts = orjson.loads((GOLDEN / "in" / f"{code}.events.json").read_bytes())
    return dict(facts[index]["data"])


def item(entity: str, state: dict[str, Any], seq: int = 1) -> DeliveryItem:
    record = DeliveryRecord(
        id=seq,
        target="acme",
        flow="to acme",
        mode="state",
        priority=1,
        entity_key=entity,
        entity_version=1,
        event_seq=seq,
        event_id=f"e{seq}",
        state="claimed",
        attempts=0,
        due_at="",
        created_at="",
        coalesced=0,
    )
    return DeliveryItem(record, f"{entity}@1", {"entity": entity, "version": 1, "state": state})


def target(outbox: Path, **settings: Any) -> X12Target:
    partner = X12Partner(
        name="acme", sender_id="LOGISYNC", receiver_id="ACMEEDI", outbox=outbox, **settings
    )
    return X12Target(partner, MemoryControlNumbers(), shipments=partner.shipments, clock=lambda: AT)


def read_back(path: Path) -> list[dict[str, Any]]:
    receipt = receive_x12(path.read_bytes(), ACME_SEES_US, MemoryControlLedger())
    assert receipt.problems == []
    return receipt.events


def test_a_batch_is_one_interchange_with_a_group_per_message_and_no_temporary_file(
    tmp_path: Path,
) -> None:
    order = {**state_of("940"), "status": "released"}
    results = target(tmp_path).deliver(
        [
            item("shipment:SHP-77", state_of("856")),
            item("invoice:INV-9001", state_of("810"), 2),
            item("sales_order:SO-55", order, 3),
        ]
    )
    assert [(r.kind, r.target_ref) for r in results] == [("delivered", "acme-000000001.x12")] * 3
    assert [p.name for p in tmp_path.iterdir()] == ["acme-000000001.x12"]
    events = read_back(tmp_path / "acme-000000001.x12")
    assert [e["type"] for e in events] == [
        "shipment.dispatched",
        "invoice.created",
        "sales_order.changed",
        "sales_order.released",
    ]
    assert events[0]["data"]["packages"] == state_of("856")["packages"]


def test_a_partner_of_a_depositor_gets_945s_for_shipments(tmp_path: Path) -> None:
    target(tmp_path, shipments="945").deliver([item("shipment:SHP-77", state_of("945"))])
    [event] = read_back(tmp_path / "acme-000000001.x12")
    assert event["data"] == state_of("945")


def test_an_item_that_cannot_be_written_fails_alone_and_permanently(tmp_path: Path) -> None:
    bad = {**state_of("856"), "tracking_number": "1Z~99"}
    draft = {"number": "SO-9", "status": "placed"}
    results = target(tmp_path).deliver(
        [
            item("shipment:SHP-77", bad),
            item("sales_order:SO-9", draft, 2),
            item("invoice:INV-9001", state_of("810"), 3),
        ]
    )
    assert [r.kind for r in results] == ["permanent", "permanent", "delivered"]
    assert "'1Z~99' contains '~', a separator of this interchange" in str(results[0].error)
    assert "only a released order is sent to the warehouse" in str(results[1].error)
    assert [e["type"] for e in read_back(tmp_path / "acme-000000001.x12")] == ["invoice.created"]


def test_a_stored_time_with_no_date_in_the_partners_zone_fails_its_item_alone(
    tmp_path: Path,
) -> None:
    """The model keeps 0001-01-01T00:00Z (a valid UTC time), but Chicago is behind UTC: the
    writer's OverflowError escaped ``deliver`` and failed the whole batch, again and again."""
    assert TypeAdapter(AwareDatetime).validate_python("0001-01-01T00:00:00Z")
    edge = {**state_of("856"), "dispatched_at": "0001-01-01T00:00:00Z"}
    milestone = {
        "type": "shipment.milestone_recorded",
        "subject": "shipment:SHP-77",
        "data": {
            "milestone": "delivered",
            "occurred_at": "0001-01-01T00:00:00Z",
            "location": {"city": "Austin", "timezone": "America/Chicago"},
        },
    }
    results = target(tmp_path, timezone="America/Chicago").deliver(
        [
            item("shipment:SHP-77", edge),
            DeliveryItem(item("shipment:SHP-77", {}, 2).delivery, "e2", milestone),
            item("invoice:INV-9001", state_of("810"), 3),
        ]
    )
    assert [r.kind for r in results] == ["permanent", "permanent", "delivered"]
    reason = "time 0001-01-01T00:00:00+00:00 falls outside the years 1 to 9999 in America/Chicago"
    assert [r.error for r in results[:2]] == [reason, reason]


def test_an_outbox_that_cannot_be_written_is_a_transient_failure(tmp_path: Path) -> None:
    blocked = tmp_path / "outbox"
    blocked.write_text("a file where the folder should be")
    [result] = target(blocked).deliver([item("invoice:INV-9001", state_of("810"))])
    assert result.kind == "transient" and f"cannot write to {blocked}" in str(result.error)


def system(**settings: Any) -> SystemConfig:
    return SystemConfig.model_validate({"kind": "x12", **settings})


def test_the_registry_numbers_interchanges_in_the_store_across_restarts(tmp_path: Path) -> None:
    config = system(
        version="00501", sender_id="LOGISYNC", receiver_id="ACMEEDI", outbox=str(tmp_path / "out")
    )
    for _ in range(2):
        store = SqliteStore(tmp_path / "hub.db")
        connector = target_connector(config, "acme", store=store)
        assert isinstance(connector, X12Target)
        connector.deliver([item("invoice:INV-9001", state_of("810"))])
        store.close()
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["acme-000000001.x12", "acme-000000002.x12"]
    second = (tmp_path / "out" / names[1]).read_bytes()
    assert b"*^*00501*000000002*0*P*>~" in second  # ISA13
    assert b"*2*X*005010~" in second and b"ST*810*0002~" in second  # GS06 and ST02
    assert target_connector(config, "acme") is None  # no store: no numbers, deliveries wait


@pytest.mark.parametrize(
    ("settings", "issue"),
    [
        ({"sender_id": "LOGISYNC", "receiver_id": "ACME"}, ((), "needs an outbox folder")),
        ({"sender_id": "LOGISYNC", "outbox": "/x"}, (("receiver_id",), "needs receiver_id")),
        (
            {"sender_id": "LOGISYNC", "receiver_id": "A", "outbox": "/x", "version": "00301"},
            (("version",), "Input should be '00401' or '00501'"),
        ),
        (
            {"sender_id": "WAY-TOO-LONG-FOR-ISA", "receiver_id": "A", "outbox": "/x"},
            (("sender_id",), "String should match pattern"),
        ),
        (
            {"sender_id": "L", "receiver_id": "A", "outbox": "/x", "timezone": "Mars/Olympus"},
            (("timezone",), "'Mars/Olympus' is not an IANA time zone"),
        ),
        (
            {"sender_id": "L", "receiver_id": "A", "outbox": "/x", "sender": "L"},
            (("sender",), "not a setting of X12 systems"),
        ),
    ],
)
def test_check_config_says_what_is_wrong_with_an_x12_system(
    settings: dict[str, Any], issue: tuple[tuple[str], str]
) -> None:
    [(where, message)] = settings_issues("acme", system(**settings))
    assert where == ("systems", "acme", *issue[0]) and issue[1] in message


def test_a_well_configured_x12_system_has_no_issues(tmp_path: Path) -> None:
    config = system(sender_id="LOGISYNC", receiver_id="ACMEEDI", outbox=str(tmp_path))
    assert settings_issues("acme", config) == []


def test_a_milestone_event_becomes_a_214(tmp_path: Path) -> None:
    milestone = state_of("214", 1)
    record = item("shipment:SHP-77", {}).delivery
    event = {"type": "shipment.milestone_recorded", "subject": "shipment:SHP-77", "data": milestone}
    [result] = target(tmp_path).deliver([DeliveryItem(record, "acme:e1", event)])
    assert result.kind == "delivered"
    [read] = read_back(tmp_path / "acme-000000001.x12")
    assert read["data"] == milestone


def test_a_configuration_file_with_an_x12_system_loads_and_its_mistakes_are_located(
    tmp_path: Path,
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        "systems:\n"
        "  acme: {kind: x12, version: 00401, sender_id: LOGISYNC, receiver_id: ACMEEDI,\n"
        f"         outbox: {tmp_path}}}\n"
    )
    acme = load_config(good).systems["acme"]
    assert partner_of("acme", acme).version == "00401"  # unquoted: YAML read it as octal
    bad = tmp_path / "bad.yaml"
    bad.write_text("systems:\n  acme: {kind: x12, sender_id: LOGISYNC, outbox: /x}\n")
    with pytest.raises(InvalidConfig, match="needs receiver_id"):
        load_config(bad)


def test_a_stored_time_before_the_year_1000_is_written_as_ccyymmdd(tmp_path: Path) -> None:
    """glibc's strftime writes year 1 as "1": BSN03 and AT705 became "10101", which no
    partner reads as 0001-01-01 (nor do we: the 214 came back refused)."""
    edge = {**state_of("856"), "dispatched_at": "0001-01-01T00:00:00Z"}
    milestone = {**state_of("214", 1), "occurred_at": "0001-01-01T00:30:00Z"}
    del milestone["location"]["timezone"]  # America/New_York: year 0 there
    event = {"type": "shipment.milestone_recorded", "subject": "shipment:SHP-77", "data": milestone}
    results = target(tmp_path).deliver(
        [
            item("shipment:SHP-77", edge),
            DeliveryItem(item("shipment:SHP-77", {}, 2).delivery, "e2", event),
        ]
    )
    assert [r.kind for r in results] == ["delivered", "delivered"]
    written = (tmp_path / "acme-000000001.x12").read_text()
    assert "BSN*00*SHP-77*00010101*0000~" in written
    assert "*00010101*0030*UT~" in written
    shipment, status = read_back(tmp_path / "acme-000000001.x12")
    assert shipment["data"]["dispatched_at"] == "0001-01-01T00:00:00Z"
    assert status["data"] == milestone


def test_the_group_date_of_an_interchange_prepared_before_the_year_1000_has_four_digits() -> None:
    header = EnvelopeHeader(sender_id="LOGISYNC", receiver_id="ACMEEDI")
    written = write_interchange(
        header, 1, [OutboundGroup("SH", 1)], datetime(999, 3, 1, 12, 0, tzinfo=UTC)
    )
    assert b"*990301*1200*" in written  # ISA09: YYMMDD
    assert b"GS*SH*LOGISYNC*ACMEEDI*09990301*1200*1*X*004010~" in written
