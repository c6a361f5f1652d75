"""The fault plan and its injector, on an injected clock: what is refused when, and that a seed
makes the sequence of faults repeatable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from logisync.core.clock import ManualClock
from logisync.testing.odoo.faults import FaultInjector, FaultPlan, MaintenanceWindow, Refusal

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_the_default_plan_injects_nothing() -> None:
    faults = FaultInjector()
    assert [faults.refusal() for _ in range(100)] == [None] * 100
    assert (faults.latency(), faults.serialization_failure(), faults.withheld_for()) == (
        0.0,
        False,
        None,
    )


def test_a_seed_repeats_the_same_faults() -> None:
    plan = FaultPlan(error_rate=0.3, serialization_failure_rate=0.2, seed=42)

    def draws(faults: FaultInjector) -> list[object]:
        return [(faults.refusal(), faults.serialization_failure()) for _ in range(200)]

    first, second = FaultInjector(plan), FaultInjector(plan)
    assert draws(first) == draws(second)
    refused = sum(refusal is not None for refusal, _ in draws(FaultInjector(plan)))
    assert 30 < refused < 90, "about 30% of 200"


def test_replacing_the_plan_reseeds() -> None:
    plan = FaultPlan(error_rate=0.5, seed=7)
    faults = FaultInjector(plan)
    before = [faults.refusal() for _ in range(50)]
    faults.plan = plan
    assert [faults.refusal() for _ in range(50)] == before


def test_proxy_errors_use_the_plans_statuses() -> None:
    faults = FaultInjector(FaultPlan(error_rate=1, error_statuses=(503,), seed=1))
    assert {faults.refusal() for _ in range(20)} == {Refusal(503)}
    mixed = FaultInjector(FaultPlan(error_rate=1, seed=1))
    statuses = {r.status for r in (mixed.refusal() for _ in range(100)) if r is not None}
    assert statuses == {502, 503, 504}


def test_rate_limit_refuses_with_retry_after() -> None:
    clock = ManualClock(T0)
    faults = FaultInjector(FaultPlan(rate_limit=2), clock=clock)
    assert [faults.refusal(), faults.refusal()] == [None, None], "one second of burst"
    assert faults.refusal() == Refusal(429, 1)
    clock.advance(0.5)
    assert faults.refusal() is None
    assert faults.refusal() == Refusal(429, 1)
    slow = FaultInjector(FaultPlan(rate_limit=0.25), clock=clock)
    assert slow.refusal() is None
    assert slow.refusal() == Refusal(429, 4)


@given(gaps=st.lists(st.floats(min_value=0, max_value=2), min_size=1, max_size=60))
def test_rate_limit_never_lets_more_through_than_the_rate(gaps: list[float]) -> None:
    """For any arrival times, passed requests <= burst (one second) + rate x elapsed time."""
    clock, rate = ManualClock(T0), 3.0
    faults = FaultInjector(FaultPlan(rate_limit=rate), clock=clock)
    passed = 0
    for gap in gaps:
        clock.advance(gap)
        passed += faults.refusal() is None
    assert passed <= rate + rate * sum(gaps) + 1e-9


def test_maintenance_window_answers_503_until_its_end() -> None:
    clock = ManualClock(T0)
    window = MaintenanceWindow(start=T0 + timedelta(seconds=10), end=T0 + timedelta(seconds=70))
    faults = FaultInjector(FaultPlan(maintenance=(window,)), clock=clock)
    assert faults.refusal() is None
    clock.advance(10)
    assert faults.refusal() == Refusal(503, 60)
    clock.advance(59.5)
    assert faults.refusal() == Refusal(503, 1)
    clock.advance(0.5)
    assert faults.refusal() is None


def test_maintenance_for_starts_now() -> None:
    plan = FaultPlan().maintenance_for(30, now=T0)
    assert plan.maintenance == (MaintenanceWindow(start=T0, end=T0 + timedelta(seconds=30)),)
    assert len(plan.maintenance_for(5, now=T0).maintenance) == 2


def test_commit_then_withhold_and_serialization_failures() -> None:
    faults = FaultInjector(
        FaultPlan(timeout_after_commit_rate=1, hang_seconds=3, serialization_failure_rate=1)
    )
    assert (faults.withheld_for(), faults.serialization_failure()) == (3, True)


@pytest.mark.parametrize(
    "fields",
    [
        {"error_rate": 1.5},
        {"error_statuses": [500]},
        {"error_statuses": []},
        {"latency_seconds": -1},
        {"rate_limit": 0},
        {"hang_seconds": 0},
        {"maintenance": [{"start": "2026-01-05T10:00:00Z", "end": "2026-01-05T09:00:00Z"}]},
        {"maintenance": [{"start": "2026-01-05T10:00:00", "end": "2026-01-05T11:00:00"}]},
        {"error_rat": 0.1},
    ],
)
def test_invalid_plans_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        FaultPlan.model_validate(fields)


def test_a_plan_travels_as_json() -> None:
    plan = FaultPlan(error_rate=0.1, rate_limit=5, seed=3).maintenance_for(60, now=T0)
    assert FaultPlan.model_validate_json(plan.model_dump_json()) == plan
