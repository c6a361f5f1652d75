"""Failed sign-ins counted per user name, key and client address, in this process.

A guesser gets ``limit`` failures per ``window`` for each name and each address; after that
every attempt with that name or from that address is refused at once (429 with Retry-After,
before any password is hashed) until the window that started with the first failure ends.
Every failure up to the limit is audited as before; a lock-out is audited once, when its first
attempt is refused, and once more when it ends, with how many attempts it refused, so that a
password sprayer cannot fill the audit log one row per guess.

Kept in memory on purpose, as the per-key rate limits are: counting a failure must not cost a
store write, and with several API processes each holds its own count (the limit is per
process). Windows are forgotten once over, so memory follows the last window's attackers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class _Window:
    started: datetime
    failures: int = 0
    refused: int = 0  # attempts refused during the lock-out


@dataclass(frozen=True)
class Lockout:
    retry_after: int  # seconds until the lock-out ends
    first: bool  # the lock-out's first refusal: audit it


@dataclass
class FailedAttempts:
    limit: int = 5
    window: timedelta = timedelta(minutes=1)
    _windows: dict[str, _Window] = field(default_factory=dict)

    def check(self, keys: Sequence[str], now: datetime) -> Lockout | None:
        """The lock-out one of ``keys`` is under (the attempt is then counted as refused), or
        None when the attempt may go on."""
        locked = [
            window
            for key in keys
            if (window := self._current(key, now)) is not None and window.failures >= self.limit
        ]
        if not locked:
            return None
        for window in locked:
            window.refused += 1
        ends = max(window.started + self.window for window in locked)
        wait = max(1, math.ceil((ends - now).total_seconds()))
        return Lockout(wait, first=any(window.refused == 1 for window in locked))

    def failed(self, keys: Sequence[str], now: datetime) -> None:
        for key in keys:
            window = self._current(key, now)
            if window is None:
                window = self._windows[key] = _Window(now)
            window.failures += 1

    def succeeded(self, key: str) -> None:
        """A right password for this name: its earlier failures are forgotten."""
        self._windows.pop(key, None)

    def ended(self, now: datetime) -> list[tuple[str, int]]:
        """Forget every window that is over; return (key, attempts refused) for each one that
        was a lock-out, to be audited once."""
        over = [key for key, window in self._windows.items() if now >= window.started + self.window]
        found = []
        for key in over:
            window = self._windows.pop(key)
            if window.refused:
                found.append((key, window.refused))
        return found

    def _current(self, key: str, now: datetime) -> _Window | None:
        window = self._windows.get(key)
        if window is None or now >= window.started + self.window:
            return None
        return window
