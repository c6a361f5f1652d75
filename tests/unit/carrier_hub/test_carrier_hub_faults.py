"""The fault plan: validated, seeded, and drawn per scan independently of tick timing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from logisync.testing.carrier_hub import Burst, CarrierFaultPlan
from logisync.testing.carrier_hub.faults import draw

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_bursts_need_a_normal_pace() -> None:
    with pytest.raises(ValidationError, match="set pushes_per_minute"):
        CarrierFaultPlan(bursts=(Burst(start=T0),))


def test_a_downtime_must_end_after_it_starts() -> None:
    with pytest.raises(ValidationError, match="must end after it starts"):
        CarrierFaultPlan.model_validate({"downtime": [{"start": T0, "end": T0}]})


def test_rates_are_probabilities() -> None:
    with pytest.raises(ValidationError):
        CarrierFaultPlan(duplicate_rate=1.5)


def test_the_pace_is_multiplied_inside_a_burst_only() -> None:
    plan = CarrierFaultPlan(pushes_per_minute=10).with_burst(T0, seconds=60, factor=50)
    assert plan.pace_at(T0 - timedelta(seconds=1)) == 10
    assert plan.pace_at(T0 + timedelta(seconds=30)) == 500
    assert plan.pace_at(T0 + timedelta(seconds=60)) == 10
    assert CarrierFaultPlan().pace_at(T0) is None


def test_draws_are_fixed_by_seed_and_key_and_spread() -> None:
    assert draw(1, "ups:1Z:001", "late") == draw(1, "ups:1Z:001", "late")
    assert draw(1, "ups:1Z:001", "late") != draw(2, "ups:1Z:001", "late")
    values = [draw(3, str(i), "x") for i in range(2000)]
    assert all(0 <= v < 1 for v in values)
    assert 0.45 < sum(v < 0.5 for v in values) / len(values) < 0.55


def test_a_rate_of_one_always_and_zero_never_applies() -> None:
    always = CarrierFaultPlan(duplicate_rate=1, late_rate=1, malformed_rate=1, unknown_code_rate=1)
    never = CarrierFaultPlan()
    for key in ("a", "b", "c"):
        assert always.is_duplicated(key) and always.is_late(key)
        assert always.is_malformed(key) and always.adds_unknown_code(key)
        assert not (never.is_duplicated(key) or never.is_late(key) or never.is_malformed(key))
