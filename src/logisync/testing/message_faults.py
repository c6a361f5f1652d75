"""Misbehaviour on command of a simulated WMS or TMS posting its messages to the hub.

- duplicates: a message is posted twice; a stock adjustment's copy gets a NEW message id (the
  same adjustment id), as WMSs that re-emit from their adjustment table do;
- reordering: the messages due at one flush leave shuffled instead of by time;
- late events: a message leaves ``late_seconds`` after it was due;
- bursts: posting is paced at ``messages_per_minute``; inside a burst window ``factor`` times
  faster (a backlog released at once);
- downtime: the system's API answers 503 with Retry-After and it posts nothing;
- malformed messages: a truncated copy goes out before the genuine one.

Which message is late, duplicated or malformed is drawn from a hash of the seed and the message
id, so it does not depend on when the test flushes; shuffles use the simulator's seeded random.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, model_validator

# The same windows and the same hash draw as the carriers': one meaning of "down" and "burst".
from logisync.testing.carrier_hub.faults import Burst, Downtime, draw

__all__ = ["Burst", "Downtime", "MessageFaultPlan", "draw"]

Rate = float


class MessageFaultPlan(BaseModel):
    """What to inject; the default injects nothing. Rates are probabilities (0 to 1).

    ``answers`` are HTTP statuses the API gives, in turn, to the next requests instead of
    serving them (``[503, 429]``: one outage, then one rate limit); ``retry_after`` is the
    Retry-After of those 429/503 answers.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    duplicate_rate: Rate = Field(0.0, ge=0, le=1)
    reorder_rate: Rate = Field(0.0, ge=0, le=1, description="per flush: shuffle its messages")
    late_rate: Rate = Field(0.0, ge=0, le=1)
    late_seconds: float = Field(3600.0, gt=0)
    messages_per_minute: float | None = Field(None, gt=0, description="None: no pacing")
    bursts: tuple[Burst, ...] = ()
    downtime: tuple[Downtime, ...] = ()
    malformed_rate: Rate = Field(0.0, ge=0, le=1)
    answers: tuple[int, ...] = Field((), description="Statuses for the next API requests")
    retry_after: int = Field(2, ge=0)
    seed: int = 0

    @model_validator(mode="after")
    def _checks(self) -> MessageFaultPlan:
        if self.bursts and self.messages_per_minute is None:
            raise ValueError("bursts multiply the normal pace: set messages_per_minute too")
        if any(not 400 <= status <= 599 for status in self.answers):
            raise ValueError("answers are error statuses (400-599)")
        return self

    def down_at(self, moment: datetime) -> Downtime | None:
        return next((window for window in self.downtime if window.covers(moment)), None)

    def pace_at(self, moment: datetime) -> float | None:
        """Messages per minute at ``moment`` (None: unpaced)."""
        if self.messages_per_minute is None:
            return None
        factor = max((b.factor for b in self.bursts if b.covers(moment)), default=1.0)
        return self.messages_per_minute * factor

    def with_downtime(self, start: datetime, seconds: float) -> MessageFaultPlan:
        window = Downtime(start=start, end=start + timedelta(seconds=seconds))
        return self.model_copy(update={"downtime": (*self.downtime, window)})

    def with_burst(
        self, start: datetime, seconds: float = 60, factor: float = 50
    ) -> MessageFaultPlan:
        burst = Burst(start=start, seconds=seconds, factor=factor)
        return self.model_copy(update={"bursts": (*self.bursts, burst)})

    def is_late(self, message_id: str) -> bool:
        return draw(self.seed, message_id, "late") < self.late_rate

    def is_duplicated(self, message_id: str) -> bool:
        return draw(self.seed, message_id, "duplicate") < self.duplicate_rate

    def is_malformed(self, message_id: str) -> bool:
        return draw(self.seed, message_id, "malformed") < self.malformed_rate
