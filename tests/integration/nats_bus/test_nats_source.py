"""The ``nats`` source against a real JetStream server and a real SQLite store: what is
journaled, what is acknowledged, and what a refusal, a full disk or a dead server leaves."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from logisync.config import SystemConfig
from logisync.connectors.nats import source as source_module
from logisync.connectors.nats.source import NatsSource, nats_source
from logisync.store.sqlite import SqliteStore
from logisync.testing.nats import NatsServer

from .conftest import on_server

STREAM = "PARTNER"


def placed(number: str, **extra: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"edi-{number}",
        "source": "b2b",
        "type": "sales_order.placed",
        "time": "2026-11-23T09:00:00Z",
        "data": {"number": number, "channel": "edi", "customer_ref": "C7"},
        **extra,
    }


def publish(server: NatsServer, messages: list[tuple[bytes, dict[str, str] | None]]) -> None:
    async def send(js: Any) -> None:
        try:
            await js.stream_info(STREAM)
        except Exception:
            await js.add_stream(name=STREAM, subjects=["partner.>"])
        for body, headers in messages:
            await js.publish("partner.orders", body, headers=headers)

    on_server(server, send)


def consumer_state(server: NatsServer) -> tuple[int, int]:
    """(messages not yet delivered, messages delivered and not acknowledged)."""

    async def info(js: Any) -> tuple[int, int]:
        consumer = await js.consumer_info(STREAM, "logisync")
        return consumer.num_pending, consumer.num_ack_pending

    result: tuple[int, int] = on_server(server, info)
    return result


def source(server: NatsServer, store: SqliteStore, **consume: Any) -> NatsSource:
    system = SystemConfig.model_validate(
        {
            "kind": "nats",
            "servers": [server.url],
            "connect_timeout_seconds": 0.5,
            "consume": {"stream": STREAM, "wait_seconds": 0.2, **consume},
        }
    )
    found = nats_source("b2b", system, store)
    assert found is not None
    return found


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    return SqliteStore(tmp_path / "hub.db")


def test_events_are_journaled_then_acknowledged(nats: NatsServer, store: SqliteStore) -> None:
    publish(nats, [(orjson.dumps(placed(f"SO{i}")), None) for i in range(5)])
    reader = source(nats, store)
    try:
        report = reader.consume_once()
        empty = reader.consume_once()
    finally:
        reader.close()
    assert (report.fetched, report.journaled, report.refused, report.error) == (5, 5, [], None)
    assert empty.fetched == 0
    assert store.counts().journal == 5
    event = store.get_event("edi-SO3", "b2b")
    assert event is not None and event.type == "sales_order.placed"
    assert consumer_state(nats) == (0, 0)


def test_a_binary_event_gets_its_id_from_the_message_and_its_source_from_the_system(
    nats: NatsServer, store: SqliteStore
) -> None:
    data = orjson.dumps({"number": "SO9", "channel": "edi", "customer_ref": "C7"})
    binary = {"ce-type": "sales_order.placed", "ce-specversion": "1.0", "Nats-Msg-Id": "m-9"}
    anonymous = {"ce-type": "sales_order.placed", "ce-specversion": "1.0"}
    publish(nats, [(data, binary), (data.replace(b"SO9", b"SO10"), anonymous)])
    reader = source(nats, store)
    try:
        report = reader.consume_once()
    finally:
        reader.close()
    assert report.journaled == 2, report
    assert store.get_event("m-9", "b2b") is not None
    assert store.get_event(f"{STREAM}-2", "b2b") is not None  # <stream>-<sequence>


def test_a_resent_event_is_journaled_once(nats: NatsServer, store: SqliteStore) -> None:
    again = orjson.dumps(placed("SO1"))
    publish(nats, [(again, {"Nats-Msg-Id": "a"}), (again, {"Nats-Msg-Id": "b"})])
    reader = source(nats, store)
    try:
        report = reader.consume_once()
    finally:
        reader.close()
    assert (report.journaled, report.already_known) == (1, 1)
    assert consumer_state(nats) == (0, 0)


def test_bad_messages_are_refused_with_their_reason_and_the_good_ones_kept(
    nats: NatsServer, store: SqliteStore
) -> None:
    publish(
        nats,
        [
            (b"{not json", None),
            (orjson.dumps(placed("SO1", source="shop")), None),
            (orjson.dumps(placed("SO2", data={"channel": "edi"})), None),
            (orjson.dumps(placed("SO3")), None),
        ],
    )
    reader = source(nats, store)
    try:
        report = reader.consume_once()
        after = reader.consume_once()
    finally:
        reader.close()
    assert (report.fetched, report.journaled, len(report.refused)) == (4, 1, 3)
    assert "not JSON" in report.refused[0]
    assert "may only send its own events" in report.refused[1]
    assert "/data/number: Field required" in report.refused[2]
    assert after.fetched == 0  # refused for good: not delivered again
    audits = [a for a in store.audit_log() if a.action == "intake.refused"]
    assert {a.subject for a in audits} == {f"{STREAM}-1", f"{STREAM}-2", f"{STREAM}-3"}
    assert all(a.actor == "nats:b2b" for a in audits)
    assert consumer_state(nats) == (0, 0)


def test_a_full_disk_acknowledges_nothing_and_the_stream_delivers_again(
    nats: NatsServer, store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source_module, "RETRY_DELAY_SECONDS", 0.2)
    publish(nats, [(orjson.dumps(placed(f"SO{i}")), None) for i in range(50)])
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full
    reader = source(nats, store)
    try:
        full = reader.consume_once()
        assert full.error is not None and "full" in full.error, full
        assert store.counts().journal == 0
        store._conn.execute("PRAGMA max_page_count = 1073741823")
        journaled = 0
        for _ in range(50):
            journaled += reader.consume_once().journaled
            if journaled == 50:
                break
    finally:
        reader.close()
    assert journaled == 50
    assert store.counts().journal == 50
    assert consumer_state(nats) == (0, 0)


def test_a_dead_server_is_a_failed_round_and_consuming_resumes_when_it_is_back(
    nats: NatsServer, store: SqliteStore
) -> None:
    publish(nats, [(orjson.dumps(placed("SO1")), None)])
    reader = source(nats, store)
    try:
        assert reader.consume_once().journaled == 1
        nats.stop()
        down = reader.consume_once()
        assert down.error is not None and "NATS PARTNER" in down.error, down
        nats.start()
        publish(nats, [(orjson.dumps(placed("SO2")), None)])
        journaled = 0
        for _ in range(40):  # the client reconnects on its own, within seconds
            journaled += reader.consume_once().journaled
            if journaled:
                break
            time.sleep(0.25)
    finally:
        reader.close()
    assert journaled == 1
    assert store.counts().journal == 2


def test_a_carrier_scan_naming_only_its_tracking_number_is_kept_under_it(
    nats: NatsServer, store: SqliteStore
) -> None:
    scan = {
        "specversion": "1.0",
        "id": "scan-1",
        "type": "shipment.milestone_recorded",
        "data": {
            "milestone": "in_transit",
            "occurred_at": "2026-11-23T06:12:00Z",
            "carrier": "UPS",
            "tracking_number": "1Z999AA10123456784",
        },
    }
    publish(nats, [(orjson.dumps(scan), None)])
    reader = source(nats, store)
    try:
        report = reader.consume_once()
    finally:
        reader.close()
    assert (report.journaled, report.refused) == (1, []), report
    event = store.get_event("scan-1", "b2b")
    assert event is not None and event.subject == "shipment:1Z999AA10123456784"
