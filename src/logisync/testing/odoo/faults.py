"""Failures a hosted Odoo shows its clients, injected on purpose.

A connector's retries and idempotence are only as good as the failures they were tested
against. These are the transient ones integrations meet in production (ODOO.md §2): a proxy
answering 502/503/504 in HTML, slow answers, an answer lost after the transaction committed
(the client times out although the record exists), a hosting proxy's rate limit (429 with
Retry-After: Odoo itself has none), maintenance (503 with Retry-After), and PostgreSQL's
serialization failure after Odoo's own retries.

``FaultPlan`` says what to inject; ``FaultInjector`` decides, request by request, with a
seeded RNG so that a test run is repeatable. The plan can be replaced at any time (from the
test's thread, or through the server's admin endpoint) while the server thread draws from it.
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from logisync.core.clock import Clock, SystemClock

__all__ = ["FaultInjector", "FaultPlan", "MaintenanceWindow", "Refusal"]

Rate = float


class MaintenanceWindow(BaseModel):
    """During ``[start, end)`` every RPC is refused with 503 and a Retry-After up to ``end``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _ends_after_start(self) -> MaintenanceWindow:
        if self.end <= self.start:
            raise ValueError("a maintenance window must end after it starts")
        return self

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


class FaultPlan(BaseModel):
    """What to inject; the default injects nothing.

    Rates are probabilities per request (0 to 1). ``error_rate``, ``rate_limit`` and
    ``maintenance`` refuse a request before the database sees it; ``serialization_failure_rate``
    fails an ORM call without calling the database; ``timeout_after_commit_rate`` lets an ORM
    call commit, then withholds its answer for ``hang_seconds`` (or until the client hangs up).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    error_rate: Rate = Field(0.0, ge=0, le=1)
    error_statuses: tuple[Literal[502, 503, 504], ...] = Field((502, 503, 504), min_length=1)
    latency_seconds: float = Field(0.0, ge=0)
    timeout_after_commit_rate: Rate = Field(0.0, ge=0, le=1)
    hang_seconds: float = Field(30.0, gt=0)
    rate_limit: float | None = Field(None, gt=0, description="requests per second")
    maintenance: tuple[MaintenanceWindow, ...] = ()
    serialization_failure_rate: Rate = Field(0.0, ge=0, le=1)
    seed: int | None = None

    def maintenance_for(self, seconds: float, *, now: datetime | None = None) -> FaultPlan:
        """This plan plus a maintenance window from ``now`` (default: the current time)."""
        start = now or datetime.now(UTC)
        window = MaintenanceWindow(start=start, end=start + timedelta(seconds=seconds))
        return self.model_copy(update={"maintenance": (*self.maintenance, window)})


@dataclass(frozen=True)
class Refusal:
    """An answer the hosting proxy gives instead of Odoo's: the status and when to retry."""

    status: int
    retry_after: int | None = None


class FaultInjector:
    """Draws the plan's faults for each request; safe to use from several threads.

    Replacing the plan re-seeds the RNG and refills the rate limiter, so that a test that sets
    a plan with a seed sees the same sequence of faults on every run.
    """

    def __init__(self, plan: FaultPlan | None = None, *, clock: Clock | None = None) -> None:
        self._lock = threading.Lock()
        self._clock = (clock or SystemClock()).now
        self._plan = FaultPlan()
        self._rng = random.Random()
        self._tokens = 0.0
        self._refilled_at = self._clock()
        self.plan = plan or FaultPlan()

    @property
    def plan(self) -> FaultPlan:
        return self._plan

    @plan.setter
    def plan(self, plan: FaultPlan) -> None:
        with self._lock:
            self._plan = plan
            self._rng = random.Random(plan.seed)
            self._tokens = max(1.0, plan.rate_limit or 1.0)
            self._refilled_at = self._clock()

    def now(self) -> datetime:
        return self._clock()

    def refusal(self) -> Refusal | None:
        """Maintenance, then the rate limit, then a proxy error: the first that applies."""
        with self._lock:
            plan, now = self._plan, self._clock()
            for window in plan.maintenance:
                if window.covers(now):
                    return Refusal(503, _whole_seconds((window.end - now).total_seconds()))
            if plan.rate_limit is not None and (wait := self._take_token(plan.rate_limit, now)):
                return Refusal(429, _whole_seconds(wait))
            if plan.error_rate and self._rng.random() < plan.error_rate:
                return Refusal(self._rng.choice(plan.error_statuses))
            return None

    def latency(self) -> float:
        return self._plan.latency_seconds

    def serialization_failure(self) -> bool:
        with self._lock:
            rate = self._plan.serialization_failure_rate
            return bool(rate) and self._rng.random() < rate

    def withheld_for(self) -> float | None:
        """How long to withhold a committed answer, or None to answer at once."""
        with self._lock:
            rate = self._plan.timeout_after_commit_rate
            if rate and self._rng.random() < rate:
                return self._plan.hang_seconds
            return None

    def _take_token(self, rate: float, now: datetime) -> float:
        """A token bucket holding one second of requests: 0.0 if a token was taken, else the
        seconds until the next one."""
        capacity = max(1.0, rate)
        elapsed = max(0.0, (now - self._refilled_at).total_seconds())
        self._tokens = min(capacity, self._tokens + elapsed * rate)
        self._refilled_at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / rate


def _whole_seconds(seconds: float) -> int:
    """Retry-After takes whole seconds; never 0, which clients read as 'retry now'."""
    return max(1, math.ceil(seconds))
