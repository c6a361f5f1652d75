"""/metrics reports what the intake saw and what the store says, in Prometheus' format."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import orjson
from prometheus_client.parser import text_string_to_metric_families

from logisync.core.clock import ManualClock
from logisync.core.delivery import BreakerSettings, CircuitBreaker
from logisync.core.delivery.connector import DeliveryItem, ItemResult
from logisync.core.delivery.gate import TargetGate
from logisync.core.delivery.worker import DeliveryWorker
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules

from .conftest import STRUCTURED, RunningHub, order

RULES = Rules(flows=(Flow("orders to odoo", ("sales_order.*",), "odoo", "state"),))


class FailingTarget:
    max_batch = 10

    def deliver(self, items: list[DeliveryItem]) -> list[ItemResult]:
        return [ItemResult("transient", error="502 from the target") for _ in items]


class SlowAcknowledgingTarget:
    """Acknowledges each delivery; the worker's clock says how long it took."""

    max_batch = 10

    def deliver(self, items: list[DeliveryItem]) -> list[ItemResult]:
        return [ItemResult("delivered", target_ref=f"ref-{i}") for i, _ in enumerate(items)]


def _samples(running: RunningHub) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with running.client() as client:
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_intake_counters_and_store_figures(running: RunningHub) -> None:
    token, _ = running.key()
    with running.client(token) as client:
        for n in range(3):
            body = orjson.dumps(order(f"SO{n}", f"e{n}"))
            assert client.post("/v1/events", content=body, headers=STRUCTURED).status_code == 202
        again = orjson.dumps(order("SO0", "e0"))
        assert client.post("/v1/events", content=again, headers=STRUCTURED).status_code == 202
        bad = orjson.dumps(order("SO9", "e9", time="never"))
        assert client.post("/v1/events", content=bad, headers=STRUCTURED).status_code == 422

    before = _samples(running)
    assert before[("logisync_events_ingested_total", (("source", "shop"),))] == 3
    assert before[("logisync_events_duplicate_total", (("source", "shop"),))] == 1
    assert before[("logisync_requests_rejected_total", (("reason", "invalid-event"),))] == 1
    assert before[("logisync_journal_lag_events", ())] == 3

    Processor(running.store, RULES).run_until_idle()
    processed = _samples(running)
    assert processed[("logisync_journal_lag_events", ())] == 0
    assert processed[("logisync_deliveries_queued", (("target", "odoo"),))] == 3


def test_breaker_state_and_delivery_latency_per_target(running: RunningHub) -> None:
    token, _ = running.key()
    with running.client(token) as client:
        for n in range(3):
            body = orjson.dumps(order(f"SO{n}", f"e{n}"))
            client.post("/v1/events", content=body, headers=STRUCTURED)
    Processor(running.store, RULES).run_until_idle()

    clock = ManualClock(datetime.now(UTC) + timedelta(seconds=2))
    breaker = CircuitBreaker(BreakerSettings(minimum_calls=3, cool_down_seconds=60, probes=1))
    failing = DeliveryWorker(
        running.store,
        {"odoo": FailingTarget()},
        clock=clock,
        rng=random.Random(1),
        gates={"odoo": TargetGate(running.store, "odoo", breaker=breaker)},
    )
    failing.run_once("odoo")
    opened = _samples(running)
    assert opened[("logisync_breaker_state", (("state", "open"), ("target", "odoo")))] == 1
    assert opened[("logisync_breaker_state", (("state", "closed"), ("target", "odoo")))] == 0

    clock.advance(600)  # retries are due, the breaker has cooled down
    DeliveryWorker(running.store, {"odoo": SlowAcknowledgingTarget()}, clock=clock).run_until_idle()
    done = _samples(running)
    bucket = "logisync_delivery_latency_seconds_bucket"
    assert done[("logisync_delivery_latency_seconds_count", (("target", "odoo"),))] == 3
    assert done[(bucket, (("le", "+Inf"), ("target", "odoo")))] == 3
    assert done[(bucket, (("le", "300.0"), ("target", "odoo")))] == 0  # took 600 s and more
    assert done[(bucket, (("le", "900.0"), ("target", "odoo")))] == 3
    assert done[("logisync_delivery_latency_seconds_sum", (("target", "odoo"),))] >= 3 * 600
    assert done[("logisync_deliveries_queued", (("target", "odoo"),))] == 0


def test_active_alerts_per_monitor(running: RunningHub) -> None:
    from logisync.core.ports import Breach

    now = datetime.now(UTC)
    breaches = [Breach("late", "shipment:S1", ""), Breach("late", "shipment:S2", "")]
    running.store.record_alerts(["late", "silent"], [*breaches, Breach("silent", "s:ups", "")], now)
    assert _samples(running)[("logisync_alerts_active", (("monitor", "late"),))] == 2
    running.store.record_alerts(["late"], breaches[:1], now)
    samples = _samples(running)
    assert samples[("logisync_alerts_active", (("monitor", "late"),))] == 1
    assert samples[("logisync_alerts_active", (("monitor", "silent"),))] == 1
