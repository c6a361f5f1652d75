"""The delivery worker against a target that fails on command (issue 4 groundwork)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from logisync.core.clock import ManualClock
from logisync.core.delivery.connector import DeliveryItem, ItemResult, NullTarget
from logisync.core.delivery.retry import RetryPolicy
from logisync.core.delivery.worker import DeliverySettings, DeliveryWorker
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules
from logisync.model import new_event
from logisync.model.envelope import Event
from logisync.store.sqlite import SqliteStore

RULES = Rules(
    flows=(
        Flow("products to odoo", ("product.*",), "odoo", "state"),
        Flow("milestones to shop", ("shipment.milestone_recorded",), "shop", "event"),
    )
)


class ScriptedTarget:
    """Applies writes by idempotency key (an upsert) and fails as the test script says."""

    max_batch = 50

    def __init__(self) -> None:
        self.applied: dict[str, dict[str, object]] = {}
        self.calls: list[list[str]] = []
        self.script: list[Callable[[DeliveryItem], ItemResult | None]] = []

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        self.calls.append([item.idempotency_key for item in items])
        step = self.script.pop(0) if self.script else (lambda item: None)
        results = []
        for item in items:
            scripted = step(item)
            if scripted is None or scripted.kind == "delivered" or scripted.error == "applied":
                self.applied[item.idempotency_key] = item.payload
            results.append(scripted or ItemResult("delivered", target_ref=item.idempotency_key))
        return results


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "hub.db")
    yield store
    store.close()


def product(n: int, sku: str, name: str) -> Event:
    return new_event(
        "product.changed",
        {"sku": sku, "name": name},
        source="erp",
        id=f"p{n}",
        time=f"2026-03-01T10:{n:02d}:00Z",
    )


def scan(n: int, code: str) -> Event:
    return new_event(
        "shipment.milestone_recorded",
        {"shipment_number": "S1", "milestone": code, "occurred_at": f"2026-03-01T1{n}:00:00Z"},
        source="ups",
        id=f"s{n}",
        time=f"2026-03-01T1{n}:00:00Z",
    )


def worker(store: SqliteStore, clock: ManualClock, **targets: object) -> DeliveryWorker:
    settings = DeliverySettings(retry=RetryPolicy(base_seconds=1, cap_seconds=8, max_attempts=4))
    return DeliveryWorker(
        store,
        targets,
        clock=clock,
        rng=random.Random(3),  # type: ignore[arg-type]
        settings=settings,
    )


def feed(store: SqliteStore, clock: ManualClock, *events: Event) -> None:
    Journal(store, clock).append(list(events))
    Processor(store, RULES, clock=clock).run_until_idle()


def test_state_deliveries_send_the_latest_state_once_per_entity(store: SqliteStore) -> None:
    clock = ManualClock()
    feed(
        store, clock, product(1, "A", "Chair"), product(2, "A", "Armchair"), product(3, "B", "Desk")
    )
    target = ScriptedTarget()
    assert worker(store, clock, odoo=target, shop=NullTarget()).run_until_idle() == 2
    states = {p["entity"]: p["state"]["name"] for p in target.applied.values()}  # type: ignore[index]
    assert states == {"product:A": "Armchair", "product:B": "Desk"}
    assert {d.state for d in store.deliveries(target="odoo")} == {"delivered"}


def test_a_transient_failure_is_retried_after_its_backoff(store: SqliteStore) -> None:
    clock = ManualClock()
    feed(store, clock, product(1, "A", "Chair"))
    target = ScriptedTarget()
    target.script.append(lambda item: ItemResult("transient", error="503", retry_after_seconds=5))
    deliverer = worker(store, clock, odoo=target)
    assert deliverer.run_once("odoo") == 1
    assert deliverer.run_once("odoo") == 0  # waiting for Retry-After
    clock.advance(5)
    assert deliverer.run_once("odoo") == 1
    [row] = store.deliveries(target="odoo")
    assert (row.state, row.attempts) == ("delivered", 2)


def test_a_permanent_refusal_goes_to_the_dead_letter_queue(store: SqliteStore) -> None:
    clock = ManualClock()
    feed(store, clock, product(1, "A", "Chair"))
    target = ScriptedTarget()
    target.script.append(lambda item: ItemResult("permanent", error="422: name too long"))
    worker(store, clock, odoo=target).run_once("odoo")
    [letter] = store.dead_letters("odoo")
    assert letter.last_error == "422: name too long"


def test_exhausted_retries_go_to_the_dead_letter_queue(store: SqliteStore) -> None:
    clock = ManualClock()
    feed(store, clock, product(1, "A", "Chair"))
    target = ScriptedTarget()
    target.script.extend([lambda item: ItemResult("transient", error="timeout")] * 10)
    deliverer = worker(store, clock, odoo=target)
    for _ in range(10):
        deliverer.run_once("odoo")
        clock.advance(10)
    [letter] = store.dead_letters("odoo")
    assert letter.last_error.startswith("retries exhausted: timeout")
    assert letter.attempts == 4


def test_a_target_that_raises_fails_the_batch_transiently(store: SqliteStore) -> None:
    clock = ManualClock()
    feed(store, clock, product(1, "A", "Chair"))

    def boom(item: DeliveryItem) -> ItemResult:
        raise ConnectionError("connection reset")

    target = ScriptedTarget()
    target.script.append(boom)
    worker(store, clock, odoo=target).run_once("odoo")
    [row] = store.deliveries(target="odoo")
    assert (row.state, row.attempts) == ("pending", 1)


def test_events_of_one_entity_arrive_in_order_even_across_a_failure(store: SqliteStore) -> None:
    clock = ManualClock()
    feed(store, clock, scan(1, "picked_up"), scan(2, "in_transit"), scan(3, "delivered"))
    target = ScriptedTarget()
    target.script.append(lambda item: ItemResult("transient", error="503"))
    deliverer = worker(store, clock, shop=target)
    for _ in range(8):
        deliverer.run_once("shop")
        clock.advance(10)
    sent = [key for call in target.calls for key in call]
    assert sent == ["ups:s1", "ups:s1", "ups:s2", "ups:s3"]


def test_a_timeout_after_the_target_applied_causes_no_duplicate_effect(store: SqliteStore) -> None:
    clock = ManualClock()
    feed(store, clock, scan(1, "picked_up"))
    target = ScriptedTarget()
    target.script.append(lambda item: ItemResult("transient", error="applied"))  # then timed out
    deliverer = worker(store, clock, shop=target)
    deliverer.run_once("shop")
    clock.advance(10)
    deliverer.run_once("shop")
    assert len(target.calls) == 2
    assert list(target.applied) == ["ups:s1"]  # applied twice by key = one effect


def test_an_open_breaker_holds_deliveries_back_then_a_probe_closes_it(
    store: SqliteStore,
) -> None:
    from logisync.core.delivery import BreakerSettings, CircuitBreaker
    from logisync.core.delivery.gate import TargetGate

    clock = ManualClock()
    feed(store, clock, *(product(i, f"P{i}", "x") for i in range(1, 7)))
    target = ScriptedTarget()
    target.max_batch = 3
    target.script.append(lambda item: ItemResult("transient", error="502"))
    breaker = CircuitBreaker(BreakerSettings(minimum_calls=3, cool_down_seconds=60, probes=1))
    gate = TargetGate(store, "odoo", breaker=breaker)
    deliverer = DeliveryWorker(
        store, {"odoo": target}, clock=clock, rng=random.Random(1), gates={"odoo": gate}
    )
    assert deliverer.run_once("odoo") == 3  # three failures: the breaker opens
    clock.advance(30)
    assert deliverer.run_once("odoo") == 0  # open: nothing sent, nothing failed
    assert {d.state for d in store.deliveries(target="odoo")} == {"pending"}
    clock.advance(31)
    assert deliverer.run_once("odoo") == 1  # half-open: one probe
    assert deliverer.run_until_idle() == 5  # the probe passed: closed again
    assert {d.state for d in store.deliveries(target="odoo")} == {"delivered"}


def test_the_rate_limit_holds_across_two_workers_sharing_the_store(tmp_path: Path) -> None:
    from logisync.core.delivery import TokenBucket
    from logisync.core.delivery.gate import TargetGate

    clock = ManualClock()
    first = SqliteStore(tmp_path / "hub.db")
    second = SqliteStore(tmp_path / "hub.db")  # another process's handle on the same store
    feed(first, clock, *(product(i, f"P{i}", "x") for i in range(1, 60)))
    workers = [
        DeliveryWorker(
            handle,
            {"odoo": NullTarget()},
            clock=clock,
            gates={"odoo": TargetGate(handle, "odoo", bucket=TokenBucket(10, 5))},
        )
        for handle in (first, second)
    ]
    sent = 0
    for _tick in range(20):  # two seconds in steps of 0.1 s
        for deliverer in workers:
            sent += deliverer.run_once("odoo")
        clock.advance(0.1)
    assert sent <= 5 + 10 * 2.0
    assert sent >= 20  # and the budget is used, not wasted


def test_waiting_in_the_queue_does_not_use_up_the_retry_age(store: SqliteStore) -> None:
    clock = ManualClock()
    feed(store, clock, product(1, "A", "Chair"))
    clock.advance(3 * 86_400)  # the target was unreachable (breaker open) for three days
    target = ScriptedTarget()
    target.script.append(lambda item: ItemResult("transient", error="503"))
    deliverer = DeliveryWorker(
        store,
        {"odoo": target},
        clock=clock,
        rng=random.Random(1),
        settings=DeliverySettings(retry=RetryPolicy(max_age_seconds=86_400)),
    )
    deliverer.run_once("odoo")
    assert store.dead_letters("odoo") == []  # its first failure gets retried, not buried
    [row] = store.deliveries(target="odoo")
    assert (row.state, row.attempts) == ("pending", 1)


def test_a_busy_target_costs_one_gate_transaction_per_batch(
    store: SqliteStore, tmp_path: Path
) -> None:
    """Between two batches the breaker's report and the next batch's admission are one store
    transaction, and they leave the gate as the two separate calls would."""
    from logisync.core.delivery import BreakerSettings, CircuitBreaker, TokenBucket
    from logisync.core.delivery.gate import TargetGate

    clock = ManualClock()
    feed(store, clock, *(product(i, f"P{i}", "x") for i in range(1, 10)))
    target = ScriptedTarget()
    target.max_batch = 3
    calls: list[str] = []
    real = store.update_target_state

    def counted(name: str, change: Any) -> Any:
        calls.append(name)
        return real(name, change)

    store.update_target_state = counted  # type: ignore[method-assign]
    breaker = CircuitBreaker(BreakerSettings(minimum_calls=3))
    gate = TargetGate(store, "odoo", bucket=TokenBucket(100, 100), breaker=breaker)
    deliverer = DeliveryWorker(store, {"odoo": target}, clock=clock, gates={"odoo": gate})
    assert deliverer.run_once("odoo", max_batches=3) == 9
    assert len(calls) == 4  # admit, report + admit twice, report (was 6)

    now = clock.now()
    for ok, failed, granted, status in ((2, 1, 4, "closed"), (2, 3, 0, "open")):
        together, apart = (SqliteStore(tmp_path / f"{n}-{failed}.db") for n in ("one", "two"))
        gates = [TargetGate(h, "odoo", TokenBucket(10, 5), breaker) for h in (together, apart)]
        assert gates[0].report_and_admit(ok, failed, 4, now) == granted
        gates[1].report(ok, failed, now)
        assert gates[1].admit(4, now) == granted
        assert gates[0].admit(10, now) == gates[1].admit(10, now)  # the same tokens left
        assert gates[0].report(0, 0, now) == gates[1].report(0, 0, now) == status
