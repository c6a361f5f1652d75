"""Deliveries over real HTTP to the programmable test target: outages, timeouts, refusals."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from logisync.connectors.webhook import WebhookTarget
from logisync.core.clock import ManualClock
from logisync.core.delivery.retry import RetryPolicy
from logisync.core.delivery.worker import DeliverySettings, DeliveryWorker
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules
from logisync.model import new_event
from logisync.model.envelope import Event
from logisync.store.sqlite import SqliteStore
from logisync.testing.target_server import Faults, TargetServer

RULES = Rules(
    flows=(Flow("milestones to shop", ("shipment.milestone_recorded",), "shop", "event"),)
)
CODES = ["pre_transit", "picked_up", "in_transit", "out_for_delivery", "delivered"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "hub.db")
    yield store
    store.close()


def scans(shipments: int) -> list[Event]:
    return [
        new_event(
            "shipment.milestone_recorded",
            {
                "shipment_number": f"S{s}",
                "milestone": code,
                "occurred_at": f"2026-03-01T1{step}:00:00Z",
            },
            source="ups",
            id=f"S{s}-{step}",
            time=f"2026-03-01T1{step}:00:00Z",
        )
        for step, code in enumerate(CODES)
        for s in range(shipments)
    ]


def deliverer(
    store: SqliteStore, url: str, clock: ManualClock, timeout: float = 2.0
) -> DeliveryWorker:
    settings = DeliverySettings(retry=RetryPolicy(base_seconds=1, cap_seconds=4, max_attempts=50))
    target = WebhookTarget(url, timeout_seconds=timeout, max_batch=20)
    return DeliveryWorker(
        store, {"shop": target}, clock=clock, rng=random.Random(5), settings=settings
    )


def prepare(store: SqliteStore, clock: ManualClock, shipments: int) -> None:
    Journal(store, clock).append(scans(shipments))
    Processor(store, RULES, clock=clock).run_until_idle()


def test_a_target_down_for_a_while_gets_everything_in_order_once_it_is_back(
    store: SqliteStore,
) -> None:
    clock = ManualClock()
    prepare(store, clock, shipments=8)
    with TargetServer(Faults(down=True)) as target:
        worker = deliverer(store, target.url, clock)
        for _ in range(5):
            worker.run_once("shop")
            clock.advance(5)
        assert target.applied == {}
        target.faults = Faults()
        for _round in range(200):  # bounded: a stuck delivery fails the test, not CI's clock
            if not worker.run_once("shop"):
                if all(d.state == "delivered" for d in store.deliveries()):
                    break
                clock.advance(5)
        assert len(target.applied) == 8 * len(CODES)
        for s in range(8):
            mine = [key for key in target.writes if key.startswith(f"ups:S{s}-")]
            assert mine == [f"ups:S{s}-{step}" for step in range(len(CODES))]
    assert store.dead_letters() == []


def test_a_timeout_after_the_target_applied_leaves_one_effect(store: SqliteStore) -> None:
    clock = ManualClock()
    prepare(store, clock, shipments=1)
    faults = Faults(hang_after_apply_rate=1.0, hang_seconds=1.0)
    with TargetServer(faults) as target:
        worker = deliverer(store, target.url, clock, timeout=0.3)
        worker.run_once("shop")  # applied, but the answer never came in time
        assert next(d.state for d in store.deliveries()) == "pending"
        target.faults = Faults()
        clock.advance(5)
        while worker.run_once("shop"):
            clock.advance(5)
        assert target.writes.count("ups:S0-0") == 2  # sent twice...
        assert len(target.applied) == len(CODES)  # ...one effect per change


def test_a_refused_item_is_dead_lettered_and_the_rest_delivered(store: SqliteStore) -> None:
    clock = ManualClock()
    prepare(store, clock, shipments=2)
    with TargetServer(Faults(refuse_keys=["ups:S1-0"])) as target:
        worker = deliverer(store, target.url, clock)
        while worker.run_once("shop"):
            clock.advance(5)
        [letter] = store.dead_letters("shop")
        assert "refused by the target" in letter.last_error
        assert "ups:S0-4" in target.applied


def test_throttling_is_retried_no_sooner_than_retry_after(store: SqliteStore) -> None:
    clock = ManualClock()
    prepare(store, clock, shipments=1)
    with TargetServer(Faults(throttle_rate=1.0, retry_after_seconds=30)) as target:
        worker = deliverer(store, target.url, clock)
        worker.run_once("shop")
        clock.advance(29)
        assert worker.run_once("shop") == 0
        target.faults = Faults()
        clock.advance(2)
        assert worker.run_once("shop") == 1
