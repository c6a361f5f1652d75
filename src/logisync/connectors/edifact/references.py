"""Our own control references for outbound interchanges, one sequence per partner."""

from __future__ import annotations

from typing import Protocol

from logisync.connectors.edi.receipt import OutboundControlNumbers


class ReferenceCounter(Protocol):
    def next_reference(self, partner: str) -> int:
        """The next interchange control reference for ``partner`` (never one given before)."""
        ...


class MemoryReferenceCounter:
    """In memory, for tests; the hub keeps the counter in its store across restarts."""

    def __init__(self, start: int = 1) -> None:
        self._next: dict[str, int] = {}
        self._start = start

    def next_reference(self, partner: str) -> int:
        number = self._next.get(partner, self._start)
        self._next[partner] = number + 1
        return number


class NumberedReferences:
    """Interchange references from the hub's outbound control numbers (kept in the store)."""

    def __init__(self, numbers: OutboundControlNumbers) -> None:
        self._numbers = numbers

    def next_reference(self, partner: str) -> int:
        return self._numbers.next_control_number(partner, "edifact", "interchange")
