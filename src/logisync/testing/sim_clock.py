"""A simulated clock for the WMS and TMS simulators: it moves only when the test says so."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

__all__ = ["SimClock"]

DEFAULT_START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class SimClock:
    """``now()`` is ``start`` plus every ``advance``; safe to read from the server's thread."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulated clock starts at an aware time (with a UTC offset)")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the simulated clock does not go back")
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now
