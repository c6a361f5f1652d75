"""Misbehaviour of an EDI partner on command: what a hub's EDI intake meets in production.

- duplicates: an interchange is sent again, same control number, byte for byte;
- gaps: a control number is skipped (exactly one), as when a file is lost on the way;
- reordering: the interchanges due at one tick leave in a shuffled order;
- late files: an interchange is held back ``late_seconds`` before it is dropped;
- bursts: inside a burst window documents come ``factor`` (50) times the normal pace;
- downtime: the partner drops nothing and reads no replies; what came due waits;
- malformed interchanges: a wrong SE count, a truncated file, bad separators.

Whether a given interchange is duplicated, late, malformed or preceded by a gap is drawn from
a hash of the plan's seed and its control number, so it does not depend on when the test
ticks; shuffles and the choice of malformation come from an RNG seeded by the plan.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, model_validator

from logisync.testing.carrier_hub.faults import Burst, Downtime, draw

__all__ = ["FORCED_FAULTS", "Burst", "Downtime", "PartnerFaultPlan", "draw"]

Rate = float
# Faults a single ``drop`` can be told to have, whatever the plan says.
FORCED_FAULTS = ("duplicate", "gap", "late", "malformed")


class PartnerFaultPlan(BaseModel):
    """What to inject; the default injects nothing. Rates are probabilities (0 to 1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    documents_per_minute: float | None = Field(
        None, gt=0, description="the normal pace of ``tick``; None: only explicit drops"
    )
    duplicate_rate: Rate = Field(0.0, ge=0, le=1)
    gap_rate: Rate = Field(0.0, ge=0, le=1)
    reorder_rate: Rate = Field(0.0, ge=0, le=1, description="per tick: shuffle what it drops")
    late_rate: Rate = Field(0.0, ge=0, le=1)
    late_seconds: float = Field(3600.0, gt=0)
    malformed_rate: Rate = Field(0.0, ge=0, le=1)
    malformations: tuple[str, ...] = Field(
        (), description="the ways to break a file to draw from; empty: all the standard's"
    )
    bursts: tuple[Burst, ...] = ()
    downtime: tuple[Downtime, ...] = ()
    seed: int = 0

    @model_validator(mode="after")
    def _bursts_need_a_pace(self) -> PartnerFaultPlan:
        if self.bursts and self.documents_per_minute is None:
            raise ValueError("bursts multiply the normal pace: set documents_per_minute too")
        return self

    def down_at(self, moment: datetime) -> Downtime | None:
        return next((window for window in self.downtime if window.covers(moment)), None)

    def documents_between(self, start: datetime, end: datetime) -> float:
        """How many documents come due in ``[start, end)`` at the plan's pace and bursts."""
        if self.documents_per_minute is None or end <= start:
            return 0.0
        per_second = self.documents_per_minute / 60
        due = per_second * (end - start).total_seconds()
        for burst in self.bursts:
            overlap = min(end, burst.start + timedelta(seconds=burst.seconds)) - max(
                start, burst.start
            )
            due += per_second * (burst.factor - 1) * max(0.0, overlap.total_seconds())
        return due

    def with_downtime(self, start: datetime, seconds: float) -> PartnerFaultPlan:
        window = Downtime(start=start, end=start + timedelta(seconds=seconds))
        return self._with(downtime=(*self.downtime, window))

    def with_burst(
        self, start: datetime, seconds: float = 60, factor: float = 50
    ) -> PartnerFaultPlan:
        burst = Burst(start=start, seconds=seconds, factor=factor)
        return self._with(bursts=(*self.bursts, burst))

    def _with(self, **changes: object) -> PartnerFaultPlan:
        """A copy with ``changes``, validated like a new plan (``model_copy`` is not)."""
        return PartnerFaultPlan.model_validate({**dict(self), **changes})

    def has(self, fault: str, control: int) -> bool:
        """Whether the interchange numbered ``control`` is drawn to have ``fault``."""
        rate = {
            "duplicate": self.duplicate_rate,
            "gap": self.gap_rate,
            "late": self.late_rate,
            "malformed": self.malformed_rate,
        }[fault]
        return bool(rate) and draw(self.seed, str(control), fault) < rate
