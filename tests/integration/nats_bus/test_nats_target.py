"""The ``nats`` target against a real JetStream server: what is published, where, how often,
and what each failure means for the delivery."""

from __future__ import annotations

import time
from typing import Any

import orjson
import pytest

from logisync.config import SystemConfig
from logisync.connectors.nats.target import NatsTarget, nats_target
from logisync.core.delivery.connector import DeliveryItem
from logisync.core.ports import DeliveryRecord
from logisync.testing.nats import NatsServer

from .conftest import on_server

PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def target(server: NatsServer, **settings: Any) -> NatsTarget:
    system = SystemConfig.model_validate({"kind": "nats", "servers": [server.url], **settings})
    return nats_target("bus", system)


def event_item(
    n: int, entity: str = "shipment:S1", data: dict[str, Any] | None = None
) -> DeliveryItem:
    record = DeliveryRecord(
        n, "bus", "fan-out", "event", 1, entity, n, n, f"e{n}", "pending", 0, "t", "t", 0
    )
    payload = {
        "id": f"e{n}",
        "source": "ups",
        "type": "shipment.milestone_recorded",
        "subject": entity,
        "time": "2026-11-23T10:00:00Z",
        "data": data if data is not None else {"milestone": "in_transit", "n": n},
    }
    return DeliveryItem(record, f"ups:e{n}", payload, PARENT if n == 1 else None)


def state_item(n: int, entity: str, version: int) -> DeliveryItem:
    record = DeliveryRecord(
        n, "bus", "orders", "state", 1, entity, version, n, f"e{n}", "pending", 0, "t", "t", 0
    )
    payload = {"entity": entity, "version": version, "state": {"number": "SO1", "status": "sale"}}
    return DeliveryItem(record, f"{entity}@{version}", payload)


def stored(
    server: NatsServer, stream: str = "LOGISYNC"
) -> list[tuple[str, dict[str, str], dict[str, Any]]]:
    """Every message of ``stream``, in stream order: subject, headers, body."""

    async def read(js: Any) -> list[tuple[str, dict[str, str], dict[str, Any]]]:
        info = await js.stream_info(stream)
        messages = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            message = await js.get_msg(stream, seq)
            messages.append(
                (message.subject, dict(message.headers or {}), orjson.loads(message.data))
            )
        return messages

    result: list[tuple[str, dict[str, str], dict[str, Any]]] = on_server(server, read)
    return result


def test_events_are_published_on_their_type_as_cloudevents_once_acknowledged(
    nats: NatsServer,
) -> None:
    bus = target(nats)
    try:
        results = bus.deliver([event_item(1), event_item(2, "shipment:S2")])
    finally:
        bus.close()
    assert [r.kind for r in results] == ["delivered", "delivered"], results
    assert {r.target_ref for r in results} == {"LOGISYNC:1", "LOGISYNC:2"}
    messages = {body["id"]: (subject, headers, body) for subject, headers, body in stored(nats)}
    subject, headers, body = messages["e1"]
    assert subject == "logisync.shipment.milestone_recorded"
    assert headers["Nats-Msg-Id"] == "ups:e1"
    assert headers["Content-Type"] == "application/cloudevents+json"
    assert headers["traceparent"] == PARENT
    assert body == {
        "specversion": "1.0",
        "id": "e1",
        "source": "ups",
        "type": "shipment.milestone_recorded",
        "subject": "shipment:S1",
        "time": "2026-11-23T10:00:00Z",
        "datacontenttype": "application/json",
        "data": {"milestone": "in_transit", "n": 1},
    }
    assert "traceparent" not in messages["e2"][1]


def test_a_state_is_published_on_the_domains_state_subject_with_its_version(
    nats: NatsServer,
) -> None:
    bus = target(nats, subject_prefix="hub.eu")
    try:
        [result] = bus.deliver([state_item(1, "sales_order:SO1", 4)])
    finally:
        bus.close()
    assert result.kind == "delivered"
    [(subject, headers, body)] = stored(nats)
    assert subject == "hub.eu.sales_order.state"
    assert headers["Nats-Msg-Id"] == "sales_order:SO1@4"
    assert (body["type"], body["subject"], body["entityversion"]) == (
        "sales_order.state",
        "sales_order:SO1",
        4,
    )
    assert body["data"] == {"number": "SO1", "status": "sale"}


def test_an_acknowledgement_lost_after_the_stream_stored_the_message_stores_no_second_copy(
    nats: NatsServer,
) -> None:
    # An acknowledgement timeout too short to be met: the stream stores each message, but the
    # hub hears nothing back in time and must count the delivery as failed.
    impatient = target(nats, ack_timeout_seconds=0.000001)
    try:
        first = impatient.deliver([event_item(1), event_item(2)])
    finally:
        impatient.close()
    assert {r.kind for r in first} == {"transient"}
    assert "no acknowledgement" in (first[0].error or "")
    assert "Nats-Msg-Id" in (first[0].error or "")
    bus = target(nats)
    try:
        again = bus.deliver([event_item(1), event_item(2)])
    finally:
        bus.close()
    assert [r.kind for r in again] == ["delivered", "delivered"]
    assert [body["id"] for _, _, body in stored(nats)] == ["e1", "e2"]
    assert {r.target_ref for r in again} == {"LOGISYNC:1", "LOGISYNC:2"}


def test_a_server_down_is_transient_and_the_same_connector_delivers_once_it_is_back(
    nats: NatsServer,
) -> None:
    bus = target(nats, ack_timeout_seconds=0.5)
    try:
        assert bus.deliver([event_item(1)])[0].kind == "delivered"
        nats.stop()  # SIGKILL
        down = bus.deliver([event_item(2)])
        assert down[0].kind == "transient", down
        nats.start()
        for _ in range(40):  # the client reconnects on its own, within seconds
            back = bus.deliver([event_item(2)])
            if back[0].kind == "delivered":
                break
            time.sleep(0.25)
        assert back[0].kind == "delivered", back
    finally:
        bus.close()
    assert [body["id"] for _, _, body in stored(nats)] == ["e1", "e2"]


def test_no_server_at_all_is_transient_and_names_where_it_looked(nats: NatsServer) -> None:
    nats.stop()
    bus = target(nats, connect_timeout_seconds=0.5)
    try:
        [result] = bus.deliver([event_item(1)])
    finally:
        bus.close()
    assert result.kind == "transient"
    assert f"no connection to NATS at {nats.url}" in (result.error or "")


def test_a_message_over_the_payload_limit_is_permanent_and_holds_back_its_entitys_later_changes(
    tmp_path: Any,
) -> None:
    from logisync.testing.nats import nats_server

    with nats_server(tmp_path / "small", max_payload=4096) as small:
        bus = target(small)
        try:
            results = bus.deliver(
                [
                    event_item(1, "shipment:S1", {"blob": "x" * 8000}),
                    event_item(2, "shipment:S1"),
                    event_item(3, "shipment:S2"),
                ]
            )
        finally:
            bus.close()
        assert [r.kind for r in results] == ["permanent", "transient", "delivered"]
        assert "max_payload" in (results[0].error or "")
        assert "held back behind an earlier change" in (results[1].error or "")
        assert [body["id"] for _, _, body in stored(small)] == ["e3"]


def test_a_full_stream_is_transient(nats: NatsServer) -> None:
    async def small_stream(js: Any) -> None:
        await js.add_stream(name="LOGISYNC", subjects=["logisync.>"], max_msgs=1, discard="new")

    on_server(nats, small_stream)
    bus = target(nats)
    try:
        results = bus.deliver([event_item(1), event_item(2, "shipment:S2")])
    finally:
        bus.close()
    assert sorted(r.kind for r in results) == ["delivered", "transient"]
    [refused] = [r for r in results if r.kind == "transient"]
    assert "JetStream refused" in (refused.error or "")


def test_without_stream_creation_a_missing_stream_is_transient(nats: NatsServer) -> None:
    bus = target(nats, create_stream=False)
    try:
        [result] = bus.deliver([event_item(1)])
    finally:
        bus.close()
    assert result.kind == "transient"
    assert "no JetStream stream stores logisync.shipment.milestone_recorded" in (result.error or "")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"servers": ["http://x:4222"]}, "nats://host:port"),
        ({"servers": ["nats://u:p@x:4222"]}, "no credentials"),
        ({"stream": "a.b"}, "should match pattern"),
        ({"user": "hub"}, "give password"),
        ({"colour": "red"}, "not a setting of NATS systems"),
    ],
)
def test_settings_are_checked_with_a_clear_reason(settings: dict[str, Any], message: str) -> None:
    from logisync.connectors.registry import settings_issues

    system = SystemConfig.model_validate({"kind": "nats", **settings})
    issues = settings_issues("bus", system)
    assert any(message in why for _, why in issues), issues
