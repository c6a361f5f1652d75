"""A per-target token bucket whose state lives in the store, shared by every worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class BucketState:
    tokens: float
    updated_at: datetime


@dataclass(frozen=True)
class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up.

    ``take`` is meant to run inside the store transaction that reads and writes the bucket
    row, so that two workers can never spend the same token.
    """

    rate: float
    burst: float

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.burst < 1:
            raise ValueError("a token bucket needs rate > 0 and burst >= 1")

    def full(self, now: datetime) -> BucketState:
        return BucketState(self.burst, now)

    def refill(self, state: BucketState, now: datetime) -> BucketState:
        elapsed = max(0.0, (now - state.updated_at).total_seconds())
        return BucketState(min(self.burst, state.tokens + elapsed * self.rate), now)

    def take(
        self, state: BucketState, now: datetime, wanted: int
    ) -> tuple[int, float, BucketState]:
        """Take up to ``wanted`` tokens: (granted, seconds until the next token, new state)."""
        current = self.refill(state, now)
        granted = min(wanted, int(current.tokens))
        left = current.tokens - granted
        wait = 0.0 if left >= 1 else (1 - left) / self.rate
        return granted, wait, BucketState(left, now)
