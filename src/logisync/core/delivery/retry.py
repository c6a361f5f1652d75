"""When to try a failed delivery again, and when to give up and dead-letter it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, bounded by attempts and by age.

    Full jitter (a uniform pick between 0 and the exponential cap) spreads the retries of many
    deliveries that failed together, so a target coming back from an outage is not hit by a
    synchronised wave. A target's own Retry-After is a floor: we never come back sooner.
    """

    base_seconds: float = 1.0
    cap_seconds: float = 300.0
    max_attempts: int = 12
    max_age_seconds: float = 86_400.0

    def __post_init__(self) -> None:
        if self.base_seconds <= 0 or self.cap_seconds < self.base_seconds:
            raise ValueError("retry needs 0 < base_seconds <= cap_seconds")
        if self.max_attempts < 1 or self.max_age_seconds <= 0:
            raise ValueError("retry needs max_attempts >= 1 and max_age_seconds > 0")

    def next_attempt(
        self,
        attempts: int,
        first_attempt_at: datetime,
        now: datetime,
        rng: random.Random,
        retry_after_seconds: float | None = None,
    ) -> datetime | None:
        """The time of the next try after ``attempts`` failed tries, or ``None`` to give up.

        Giving up happens when the attempts are used up, or when the next try would fall
        after the delivery's maximum age (then it goes to the dead-letter queue now, not later).
        """
        if attempts >= self.max_attempts:
            return None
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** (attempts - 1))
        delay = rng.uniform(0, ceiling)
        if retry_after_seconds is not None:
            delay = max(delay, retry_after_seconds)
        due = now + timedelta(seconds=delay)
        if due - first_attempt_at > timedelta(seconds=self.max_age_seconds):
            return None
        return due
