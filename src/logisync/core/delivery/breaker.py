"""A per-target circuit breaker: stop sending to a failing target, probe, resume.

closed --(failure ratio over the window >= threshold, with enough calls)--> open
open --(after the cool-down)--> half_open: a few probe deliveries are let through
half_open --(probes succeed)--> closed;  --(a probe fails)--> open again

While open, nothing is sent and deliveries wait (they are not failed). The state is a plain
record kept in the store, so every worker process sees the same breaker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

Status = Literal["closed", "open", "half_open"]


@dataclass(frozen=True)
class BreakerSettings:
    failure_ratio: float = 0.5
    minimum_calls: int = 20
    window_seconds: float = 60.0
    cool_down_seconds: float = 30.0
    probes: int = 3

    def __post_init__(self) -> None:
        if not 0 < self.failure_ratio <= 1:
            raise ValueError("failure_ratio must be in (0, 1]")
        if self.minimum_calls < 1 or self.probes < 1:
            raise ValueError("minimum_calls and probes must be at least 1")


@dataclass(frozen=True)
class BreakerState:
    status: Status
    window_started_at: datetime
    successes: int = 0
    failures: int = 0
    opened_at: datetime | None = None
    probes_sent: int = 0
    probes_passed: int = 0


@dataclass(frozen=True)
class CircuitBreaker:
    settings: BreakerSettings = BreakerSettings()

    def initial(self, now: datetime) -> BreakerState:
        return BreakerState("closed", now)

    def allow(self, state: BreakerState, now: datetime, wanted: int) -> tuple[int, BreakerState]:
        """How many of ``wanted`` deliveries may go now (none while open), and the new state."""
        settings = self.settings
        if state.status == "open":
            assert state.opened_at is not None
            if now - state.opened_at < timedelta(seconds=settings.cool_down_seconds):
                return 0, state
            state = replace(state, status="half_open", probes_sent=0, probes_passed=0)
        if state.status == "half_open":
            granted = max(0, min(wanted, settings.probes - state.probes_sent))
            return granted, replace(state, probes_sent=state.probes_sent + granted)
        return wanted, self._roll_window(state, now)

    def record(self, state: BreakerState, now: datetime, ok: int, failed: int) -> BreakerState:
        """Count outcomes (transient failures only: a permanent refusal is the payload's
        fault, not the target's) and move the breaker."""
        settings = self.settings
        if state.status == "half_open":
            if failed:
                return BreakerState("open", now, opened_at=now)
            passed = state.probes_passed + ok
            if passed >= 1 and passed >= state.probes_sent:  # every probe sent came back fine
                return BreakerState("closed", now)
            return replace(state, probes_passed=passed)
        if state.status == "open":
            return state  # late answers of deliveries sent before it opened
        state = self._roll_window(state, now)
        state = replace(state, successes=state.successes + ok, failures=state.failures + failed)
        calls = state.successes + state.failures
        if calls >= settings.minimum_calls and state.failures / calls >= settings.failure_ratio:
            return BreakerState("open", now, opened_at=now)
        return state

    def _roll_window(self, state: BreakerState, now: datetime) -> BreakerState:
        if now - state.window_started_at >= timedelta(seconds=self.settings.window_seconds):
            return BreakerState("closed", now)
        return state
