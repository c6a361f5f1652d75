"""W3C trace context: received on intake, kept with the event, continued by its deliveries."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from logisync.connectors.webhook import WebhookTarget
from logisync.core.delivery.worker import DeliveryWorker
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules
from logisync.testing.target_server import TargetServer

from .conftest import BATCH, STRUCTURED, RunningHub, order

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
HEADER = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
OWN = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
RULES = Rules(flows=(Flow("orders out", ("sales_order.placed",), "erp", "event"),))


def _deliver(running: RunningHub, target: TargetServer) -> None:
    Processor(running.store, RULES).run_until_idle()
    worker = DeliveryWorker(running.store, {"erp": WebhookTarget(target.url)})
    assert worker.run_until_idle() >= 1


def test_the_traceparent_header_of_an_intake_reaches_the_target_with_a_new_span(
    start_hub: Callable[..., RunningHub],
) -> None:
    running = start_hub()
    token, _ = running.key()
    with running.client(token) as client:
        answer = client.post(
            "/v1/events",
            json=order("SO1", "e1"),
            headers={**STRUCTURED, "traceparent": HEADER, "tracestate": "vendor=abc"},
        )
    assert answer.status_code == 202, answer.text
    stored = running.store.get_event("e1", "shop")
    assert stored is not None and stored.traceparent == HEADER
    assert stored.tracestate == "vendor=abc"
    with TargetServer() as target:
        _deliver(running, target)
    [sent] = [h for h in target.headers if "traceparent" in h]
    version, trace_id, span_id, flags = sent["traceparent"].split("-")
    assert (version, trace_id, flags) == ("00", TRACE_ID, "01")
    assert span_id != HEADER.split("-")[2] and span_id != "0" * 16
    assert sent["tracestate"] == "vendor=abc"


def test_the_events_own_attribute_wins_and_binary_mode_carries_it_too(
    start_hub: Callable[..., RunningHub],
) -> None:
    running = start_hub()
    token, _ = running.key()
    with running.client(token) as client:
        structured = client.post(
            "/v1/events",
            json=order("SO1", "e1", traceparent=OWN),
            headers={**STRUCTURED, "traceparent": HEADER},
        )
        event = order("SO2", "e2")
        binary = client.post(
            "/v1/events",
            json=event["data"],
            headers={
                "content-type": "application/json",
                **{f"ce-{k}": v for k, v in event.items() if k != "data"},
                "ce-traceparent": OWN,
            },
        )
    assert structured.status_code == binary.status_code == 202
    for event_id in ("e1", "e2"):
        stored = running.store.get_event(event_id, "shop")
        assert stored is not None and stored.traceparent == OWN


@pytest.mark.parametrize(
    "bad",
    [
        "not a traceparent",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    ],
)
def test_a_malformed_traceparent_is_ignored_and_logged_not_refused(
    start_hub: Callable[..., RunningHub], caplog: pytest.LogCaptureFixture, bad: str
) -> None:
    running = start_hub()
    token, _ = running.key()
    with (
        caplog.at_level(logging.WARNING, "logisync.api.trace_intake"),
        running.client(token) as client,
    ):
        single = client.post(
            "/v1/events", json=order("SO1", "e1"), headers={**STRUCTURED, "traceparent": bad}
        )
        batch = client.post(
            "/v1/events/batch",
            json=[order("SO2", "e2", traceparent=bad)],
            headers=BATCH,
        )
    assert single.status_code == 202 and batch.json()["accepted"] == 1
    for event_id in ("e1", "e2"):
        stored = running.store.get_event(event_id, "shop")
        assert stored is not None and stored.traceparent is None
    assert "ignored the traceparent of event e1" in caplog.text
    assert "ignored the traceparent of event e2" in caplog.text
    assert bad not in caplog.text


def test_an_event_without_trace_context_is_delivered_without_one(
    start_hub: Callable[..., RunningHub],
) -> None:
    running = start_hub()
    token, _ = running.key()
    with running.client(token) as client:
        assert client.post("/v1/events", json=order("SO1", "e1"), headers=STRUCTURED).is_success
    with TargetServer() as target:
        _deliver(running, target)
    assert target.headers and all("traceparent" not in h for h in target.headers)
