"""Turning one sender message into canonical event drafts, shared by the WMS and TMS mappings.

A message may state several facts (an inventory snapshot, one per location and SKU); each
becomes an event whose id is the message id plus a suffix naming the fact, so the same message
posted again journals nothing new and two facts of one message never share an id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from logisync.errors import InvalidEvent, Problem
from logisync.model import new_event


@dataclass
class EventDrafts:
    """The canonical events made from one message, and the problems of those that failed."""

    source: str
    events: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, type: str, data: dict[str, Any], *, id: str, time: datetime) -> None:
        """Validate one event and keep it, or keep why it is not valid."""
        try:
            event = new_event(type, data, source=self.source, id=id, time=time)
        except InvalidEvent as refused:
            self.problems.extend(
                Problem(p.location, f"{type} {id}: {p.message}") for p in refused.problems
            )
            return
        self.events.append(event.model_dump(mode="json", exclude_none=True))


def quantity(value: Decimal, unit: str = "H87") -> dict[str, str]:
    """A canonical quantity; H87 is the UN/ECE code for a piece."""
    return {"value": str(value), "unit": unit}


__all__ = ["EventDrafts", "quantity"]
