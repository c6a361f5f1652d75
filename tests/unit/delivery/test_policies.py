"""Delivery policies, each on its own, with an injected clock and random source."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logisync.core.delivery import (
    BreakerSettings,
    BucketState,
    CircuitBreaker,
    RetryPolicy,
    TokenBucket,
)

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


# -- retry -----------------------------------------------------------------------------------


@given(attempts=st.integers(1, 11), seed=st.integers(0, 2**32))
def test_retry_waits_a_full_jitter_pick_below_the_exponential_cap(attempts: int, seed: int) -> None:
    policy = RetryPolicy(base_seconds=1, cap_seconds=60, max_attempts=12, max_age_seconds=10**6)
    due = policy.next_attempt(attempts, T0, T0, random.Random(seed))
    assert due is not None
    assert 0 <= (due - T0).total_seconds() <= min(60, 2 ** (attempts - 1))


def test_retry_jitter_spreads_deliveries_that_failed_together() -> None:
    policy = RetryPolicy(base_seconds=1, cap_seconds=60)
    rng = random.Random(7)
    picks = {policy.next_attempt(6, T0, T0, rng) for _ in range(100)}
    assert len(picks) > 90


def test_retry_honours_the_targets_retry_after() -> None:
    policy = RetryPolicy(base_seconds=1, cap_seconds=2)
    due = policy.next_attempt(1, T0, T0, random.Random(1), retry_after_seconds=120)
    assert due == at(120)


def test_retry_gives_up_after_the_last_attempt_or_past_the_maximum_age() -> None:
    policy = RetryPolicy(base_seconds=1, cap_seconds=10, max_attempts=3, max_age_seconds=100)
    assert policy.next_attempt(3, T0, at(5), random.Random(1)) is None
    assert policy.next_attempt(1, T0, at(99), random.Random(1), retry_after_seconds=5) is None
    assert policy.next_attempt(1, T0, at(50), random.Random(1)) is not None


def test_retry_refuses_nonsense_settings() -> None:
    with pytest.raises(ValueError, match="base_seconds"):
        RetryPolicy(base_seconds=10, cap_seconds=1)


# -- rate limit ------------------------------------------------------------------------------


def test_bucket_grants_its_burst_then_its_rate() -> None:
    bucket = TokenBucket(rate=20, burst=5)
    granted, wait, state = bucket.take(bucket.full(T0), T0, 10)
    assert (granted, wait) == (5, pytest.approx(0.05))
    granted, _, state = bucket.take(state, at(0.1), 100)
    assert granted == 2  # a tenth of a second at 20/s
    granted, _, _ = bucket.take(state, at(100), 100)
    assert granted == 5  # never more than the burst saved up


@given(st.lists(st.tuples(st.floats(0, 0.5), st.integers(1, 50)), min_size=1, max_size=200))
def test_bucket_never_grants_more_than_rate_times_time_plus_burst(
    requests: list[tuple[float, int]],
) -> None:
    bucket = TokenBucket(rate=10, burst=3)
    state: BucketState = bucket.full(T0)
    now, total = T0, 0
    for gap, wanted in requests:
        now += timedelta(seconds=gap)
        granted, _, state = bucket.take(state, now, wanted)
        total += granted
    assert total <= 3 + 10 * (now - T0).total_seconds() + 1e-9


# -- circuit breaker ---------------------------------------------------------------------------


def test_breaker_opens_on_the_failure_ratio_waits_probes_and_closes() -> None:
    breaker = CircuitBreaker(
        BreakerSettings(failure_ratio=0.5, minimum_calls=10, cool_down_seconds=30, probes=2)
    )
    state = breaker.initial(T0)
    state = breaker.record(state, at(1), ok=4, failed=5)
    assert state.status == "closed"  # 9 calls: not enough to judge
    state = breaker.record(state, at(2), ok=0, failed=1)
    assert state.status == "open"
    assert breaker.allow(state, at(20), 10)[0] == 0  # cooling down: deliveries wait
    granted, state = breaker.allow(state, at(33), 10)
    assert (granted, state.status) == (2, "half_open")
    assert breaker.allow(state, at(33), 10)[0] == 0  # probes already out
    state = breaker.record(state, at(34), ok=2, failed=0)
    assert state.status == "closed"
    assert breaker.allow(state, at(35), 10)[0] == 10


def test_a_failed_probe_opens_the_breaker_again() -> None:
    breaker = CircuitBreaker(BreakerSettings(minimum_calls=1, cool_down_seconds=5, probes=1))
    state = breaker.record(breaker.initial(T0), T0, ok=0, failed=1)
    _, state = breaker.allow(state, at(6), 1)
    state = breaker.record(state, at(7), ok=0, failed=1)
    assert (state.status, state.opened_at) == ("open", at(7))


def test_a_probe_that_passes_closes_even_when_fewer_than_all_probes_were_needed() -> None:
    breaker = CircuitBreaker(BreakerSettings(minimum_calls=1, cool_down_seconds=5, probes=3))
    state = breaker.record(breaker.initial(T0), T0, ok=0, failed=1)
    granted, state = breaker.allow(state, at(6), 1)
    assert granted == 1
    assert breaker.record(state, at(7), ok=1, failed=0).status == "closed"


def test_old_failures_leave_the_window() -> None:
    breaker = CircuitBreaker(BreakerSettings(minimum_calls=4, window_seconds=60))
    state = breaker.record(breaker.initial(T0), at(1), ok=0, failed=3)
    state = breaker.record(state, at(70), ok=1, failed=0)  # the window rolled over
    assert (state.status, state.failures, state.successes) == ("closed", 0, 1)
