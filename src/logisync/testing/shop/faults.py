"""What a shop does wrong on purpose: the webhook and API behaviour integrations must survive.

Webhooks: the same delivery sent twice (``duplicate_rate``), an order's ``orders/updated``
sent before its ``orders/create`` (``reorder_rate``), an update held back until after the
next one (``late_rate``: the older state arrives last), a body that is not JSON or has a
line without SKU (``malformed_rate``), and a customer's e-mail and phone changed in the shop
although another system owns them (``overwrite_customer_rate``). Bursts are a command
(``ShopSimulator.burst``). The Admin API: 503 with Retry-After (``downtime_calls``), 429
(``rate_limited_calls``), GraphQL throttling (``throttled_calls``) and ``userErrors``
(``user_error_calls``), each for the next N calls.

The plan can be replaced while the shop runs (``PUT /__sim__/faults``); a seed makes the
draws repeatable.
"""

from __future__ import annotations

import random
import threading

from pydantic import BaseModel, ConfigDict, Field

Rate = float


class ShopFaultPlan(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    duplicate_rate: Rate = Field(0.0, ge=0, le=1)
    reorder_rate: Rate = Field(0.0, ge=0, le=1)
    late_rate: Rate = Field(0.0, ge=0, le=1)
    malformed_rate: Rate = Field(0.0, ge=0, le=1)
    overwrite_customer_rate: Rate = Field(0.0, ge=0, le=1)
    downtime_calls: int = Field(0, ge=0, description="the next N API calls get 503")
    rate_limited_calls: int = Field(0, ge=0, description="the next N API calls get 429")
    throttled_calls: int = Field(0, ge=0, description="the next N get a THROTTLED error")
    user_error_calls: int = Field(0, ge=0, description="the next N mutations get userErrors")
    seed: int | None = None


class ShopFaults:
    """Draws the plan's faults; counted faults are used up call by call. Thread-safe."""

    def __init__(self, plan: ShopFaultPlan | None = None) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random()
        self._left: dict[str, int] = {}
        self._plan = ShopFaultPlan()
        self.plan = plan or ShopFaultPlan()

    @property
    def plan(self) -> ShopFaultPlan:
        return self._plan

    @plan.setter
    def plan(self, plan: ShopFaultPlan) -> None:
        with self._lock:
            self._plan = plan
            self._rng = random.Random(plan.seed)
            self._left = {
                "downtime": plan.downtime_calls,
                "rate_limited": plan.rate_limited_calls,
                "throttled": plan.throttled_calls,
                "user_error": plan.user_error_calls,
            }

    def draw(self, rate: Rate) -> bool:
        with self._lock:
            return rate > 0 and self._rng.random() < rate

    def take(self, kind: str) -> bool:
        """Use up one of the next-N faults of ``kind``; False when none is left."""
        with self._lock:
            if self._left.get(kind, 0) <= 0:
                return False
            self._left[kind] -= 1
            return True

    def choice(self, options: list[str]) -> str:
        with self._lock:
            return self._rng.choice(options)
