"""Misbehaviour of carriers on command: what a tracking hub meets in production.

- duplicates: a push is sent twice, byte for byte (carriers deliver at least once);
- reordering: the pushes due at one tick leave in a shuffled order instead of by time;
- late events: a scan shows up (in pushes and polls) ``late_seconds`` after it happened;
- bursts: pushes are paced at ``pushes_per_minute``; inside a burst window the pace is
  ``factor`` times higher (a carrier releasing its backlog);
- downtime: the tracking APIs answer 503 with Retry-After, and pushes wait until it ends;
- malformed messages: a truncated copy of a push goes out before the genuine one, a poll's
  answer is cut short, and pushes of statuses no code table lists (milestone ``unknown``).

Whether a given scan is late, duplicated or joined by a malformed copy is drawn from a hash of
the plan's seed and the scan's id, so it does not depend on when the test ticks; the shuffles
and truncated polls come from an RNG re-seeded whenever the plan is replaced.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

__all__ = ["Burst", "CarrierFaultPlan", "Downtime", "draw"]

Rate = float


class Downtime(BaseModel):
    """During ``[start, end)`` the APIs answer 503 and pushes are held."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _ends_after_start(self) -> Downtime:
        if self.end <= self.start:
            raise ValueError("a downtime window must end after it starts")
        return self

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


class Burst(BaseModel):
    """From ``start`` for ``seconds``, pushes go out ``factor`` times the normal pace."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: AwareDatetime
    seconds: float = Field(60.0, gt=0)
    factor: float = Field(50.0, ge=1)

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment < self.start + timedelta(seconds=self.seconds)


class CarrierFaultPlan(BaseModel):
    """What to inject; the default injects nothing. Rates are probabilities (0 to 1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    duplicate_rate: Rate = Field(0.0, ge=0, le=1)
    reorder_rate: Rate = Field(0.0, ge=0, le=1, description="per tick: shuffle its pushes")
    late_rate: Rate = Field(0.0, ge=0, le=1)
    late_seconds: float = Field(6 * 3600.0, gt=0)
    pushes_per_minute: float | None = Field(None, gt=0, description="None: no pacing")
    bursts: tuple[Burst, ...] = ()
    downtime: tuple[Downtime, ...] = ()
    malformed_rate: Rate = Field(0.0, ge=0, le=1)
    unknown_code_rate: Rate = Field(0.0, ge=0, le=1)
    seed: int = 0

    @model_validator(mode="after")
    def _bursts_need_a_pace(self) -> CarrierFaultPlan:
        if self.bursts and self.pushes_per_minute is None:
            raise ValueError("bursts multiply the normal pace: set pushes_per_minute too")
        return self

    def down_at(self, moment: datetime) -> Downtime | None:
        return next((window for window in self.downtime if window.covers(moment)), None)

    def pace_at(self, moment: datetime) -> float | None:
        """Pushes per minute at ``moment`` (None: unpaced)."""
        if self.pushes_per_minute is None:
            return None
        factor = max((b.factor for b in self.bursts if b.covers(moment)), default=1.0)
        return self.pushes_per_minute * factor

    def with_downtime(self, start: datetime, seconds: float) -> CarrierFaultPlan:
        window = Downtime(start=start, end=start + timedelta(seconds=seconds))
        return self.model_copy(update={"downtime": (*self.downtime, window)})

    def with_burst(
        self, start: datetime, seconds: float = 60, factor: float = 50
    ) -> CarrierFaultPlan:
        burst = Burst(start=start, seconds=seconds, factor=factor)
        return self.model_copy(update={"bursts": (*self.bursts, burst)})

    def is_late(self, scan_id: str) -> bool:
        return draw(self.seed, scan_id, "late") < self.late_rate

    def is_duplicated(self, scan_id: str) -> bool:
        return draw(self.seed, scan_id, "duplicate") < self.duplicate_rate

    def is_malformed(self, scan_id: str) -> bool:
        return draw(self.seed, scan_id, "malformed") < self.malformed_rate

    def adds_unknown_code(self, scan_id: str) -> bool:
        return draw(self.seed, scan_id, "unknown") < self.unknown_code_rate


def draw(seed: int, key: str, salt: str) -> float:
    """A uniform number in [0, 1) fixed by (seed, key, salt)."""
    digest = hashlib.blake2b(f"{seed}|{salt}|{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
