"""The contract between the EDI syntaxes (X12, EDIFACT) and the transports that carry them.

A partner numbers every interchange, group and message. A number seen before means the partner
re-sent something (the events it carries are journaled once anyway, by their ids); a number
skipped means something was lost on the way. Both are reported, never silently ignored, so
the ledger answers each number with what it says about the sequence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from logisync.core.records import ReceivedControlNumber
from logisync.errors import Problem

Level = Literal["interchange", "group", "message"]


@dataclass(frozen=True)
class ControlCheck:
    """What one control number says: ``new`` or ``duplicate`` (already received, with the
    digest of what came under it first), and the numbers skipped since the highest seen."""

    status: Literal["new", "duplicate"]
    missing: tuple[int, ...] = ()
    first_digest: str | None = None


class ControlLedger(Protocol):
    """Remembers the control numbers received from each partner, per standard and level."""

    def check_and_record(
        self, partner: str, standard: str, level: Level, number: int, digest: str
    ) -> ControlCheck:
        """Record ``number`` (unless already recorded) and say what it means for the
        sequence. ``digest`` identifies the content (a SHA-256 of the raw bytes)."""
        ...


class MemoryControlLedger:
    """A ledger in memory, for tests and one-off parsing; the hub keeps its ledger in the
    store so that a restart does not forget what was received."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, str], dict[int, str]] = {}

    def check_and_record(
        self, partner: str, standard: str, level: Level, number: int, digest: str
    ) -> ControlCheck:
        seen = self._seen.setdefault((partner, standard, level), {})
        if number in seen:
            return ControlCheck("duplicate", first_digest=seen[number])
        highest = max(seen, default=None)
        missing = () if highest is None else tuple(range(highest + 1, min(number, highest + 1001)))
        seen[number] = digest
        return ControlCheck("new", missing)


@dataclass
class EdiReceipt:
    """What receiving one interchange yields.

    ``events`` are canonical event drafts (CloudEvents dicts) for the intake to validate and
    journal; ``problems`` say what could not be mapped, located by segment position
    (``/interchange/1/group/1/message/3/segment/12``); ``acknowledgements`` are the files to
    send back (997, CONTRL) as (file name, bytes); ``notices`` are sentences for operators
    (a duplicate interchange, a gap in control numbers) that refuse nothing.
    """

    events: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    acknowledgements: list[tuple[str, bytes]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class OutboundControlNumbers(Protocol):
    """Hands out our own control numbers for what we send a partner, never the same twice
    (until they wrap at the standard's maximum)."""

    def next_control_number(self, partner: str, standard: str, level: Level) -> int: ...


class MemoryControlNumbers:
    """Outbound counters in memory (tests, one-off files); the hub keeps them in the store."""

    def __init__(self, start: int = 1) -> None:
        self._next: dict[tuple[str, str, str], int] = {}
        self._start = start

    def next_control_number(self, partner: str, standard: str, level: Level) -> int:
        key = (partner, standard, level)
        number = self._next.get(key, self._start)
        self._next[key] = number + 1
        return number


class ControlNumberStore(Protocol):
    """The part of the hub's ``Store`` the ledger needs (see ``logisync.core.ports.Store``)."""

    def record_control_number(
        self, partner: str, standard: str, level: str, number: int, digest: str
    ) -> ReceivedControlNumber: ...

    def next_control_number(self, partner: str, standard: str, level: str) -> int: ...


class StoreControlLedger:
    """The ledger and our outbound counters kept in the store, so that a restart forgets
    neither what partners sent nor which numbers we used."""

    def __init__(self, store: ControlNumberStore) -> None:
        self._store = store

    def check_and_record(
        self, partner: str, standard: str, level: Level, number: int, digest: str
    ) -> ControlCheck:
        known = self._store.record_control_number(partner, standard, level, number, digest)
        if known.first_digest is not None:
            return ControlCheck("duplicate", first_digest=known.first_digest)
        highest = known.highest_before
        missing = () if highest is None else tuple(range(highest + 1, min(number, highest + 1001)))
        return ControlCheck("new", missing)

    def next_control_number(self, partner: str, standard: str, level: Level) -> int:
        return self._store.next_control_number(partner, standard, level)
