"""A target's gate: its rate limit and circuit breaker, shared by every worker through the store.

Each ``admit`` and ``report`` is one store transaction (``Store.update_target_state``), so two
workers on two machines cannot both spend the last token or both send the only probe.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from logisync.core.delivery.breaker import CircuitBreaker
from logisync.core.delivery.rate_limit import TokenBucket
from logisync.core.delivery.state_codec import (
    breaker_from_json,
    breaker_to_json,
    bucket_from_json,
    bucket_to_json,
)
from logisync.core.ports import Store


class TargetGate:
    def __init__(
        self,
        store: Store,
        target: str,
        bucket: TokenBucket | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self._store = store
        self.target = target
        self._bucket = bucket
        self._breaker = breaker

    def admit(self, wanted: int, now: datetime) -> int:
        """How many deliveries may be sent now: within the rate, and none while the breaker is
        open (those deliveries simply wait; they are not failed)."""
        return self._store.update_target_state(self.target, self._admitting(wanted, now))

    def report(self, ok: int, failed: int, now: datetime) -> str | None:
        """Count a batch's outcomes (transient failures only); return the breaker's status."""
        if self._breaker is None:
            return None
        change = self._reporting(ok, failed, now)
        return self._store.update_target_state(self.target, lambda saved: change(saved or {}))

    def report_and_admit(self, ok: int, failed: int, wanted: int, now: datetime) -> int:
        """``report`` a batch and ``admit`` the next one in one store transaction: the same
        two changes in the same order, one transaction less per batch for a busy target."""
        report = self._reporting(ok, failed, now) if self._breaker is not None else None
        admit = self._admitting(wanted, now)

        def change(current: dict[str, Any] | None) -> tuple[dict[str, Any], int]:
            if report is not None:
                current, _status = report(current or {})
            return admit(current)

        return self._store.update_target_state(self.target, change)

    def _admitting(
        self, wanted: int, now: datetime
    ) -> Callable[[dict[str, Any] | None], tuple[dict[str, Any], int]]:
        def change(current: dict[str, Any] | None) -> tuple[dict[str, Any], int]:
            saved = current or {}
            granted = wanted
            bucket_state = None
            if self._bucket is not None:
                raw = saved.get("bucket")
                bucket_state = self._bucket.refill(
                    bucket_from_json(raw) if raw else self._bucket.full(now), now
                )
                granted = min(granted, int(bucket_state.tokens))
            breaker_state = None
            if self._breaker is not None:
                raw = saved.get("breaker")
                breaker_state = breaker_from_json(raw) if raw else self._breaker.initial(now)
                granted, breaker_state = self._breaker.allow(breaker_state, now, granted)
            if self._bucket is not None and bucket_state is not None:
                granted, _wait, bucket_state = self._bucket.take(bucket_state, now, granted)
            return {
                "bucket": bucket_to_json(bucket_state) if bucket_state else saved.get("bucket"),
                "breaker": breaker_to_json(breaker_state)
                if breaker_state
                else saved.get("breaker"),
            }, granted

        return change

    def _reporting(
        self, ok: int, failed: int, now: datetime
    ) -> Callable[[dict[str, Any]], tuple[dict[str, Any], str]]:
        breaker = self._breaker
        assert breaker is not None

        def change(saved: dict[str, Any]) -> tuple[dict[str, Any], str]:
            raw = saved.get("breaker")
            state = breaker_from_json(raw) if raw else breaker.initial(now)
            state = breaker.record(state, now, ok, failed)
            return {"bucket": saved.get("bucket"), "breaker": breaker_to_json(state)}, state.status

        return change
