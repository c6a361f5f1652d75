"""Which of two facts about a field is newer.

A *stamp* records where a field's value came from: the system, the source's own version (a
sequence number or change timestamp, in sortable form), the event time and the event id.

Within one system, its ``sourceversion`` decides: a WMS's sequence number is more reliable than
its clock. Across systems, the event time decides. Ties fall to (system, version, event id),
so the order is total and every worker, replay and permutation picks the same winner. For the
two rules to agree, a source's versions must not run against its own clock; that is the one
assumption the property tests make.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

from logisync.core.clock import utc_text
from logisync.model.identifiers import is_ascii_digits


class Stamp(NamedTuple):
    system: str
    version: str | None
    time: str
    event: str

    def newer_than(self, other: Stamp) -> bool:
        return self._newer(other.system, other.version, other.time, other.event)

    def newer_than_json(self, other: dict[str, Any]) -> bool:
        """``newer_than`` against a stamp stored as JSON, without building a ``Stamp``."""
        return self._newer(other["system"], other.get("version"), other["time"], other["event"])

    def _newer(self, system: str, version: str | None, time: str, event: str) -> bool:
        if (
            self.system == system
            and self.version is not None
            and version is not None
            and self.version != version
        ):
            return self.version > version
        return (self.time, self.system, self.version or "", self.event) > (
            time,
            system,
            version or "",
            event,
        )

    def order_key(self) -> tuple[str, str, str, str]:
        """A sort key that agrees with ``newer_than`` under the module's one assumption."""
        return (self.time, self.system, self.version or "", self.event)

    def as_json(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "version": self.version,
            "time": self.time,
            "event": self.event,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Stamp:
        return cls(value["system"], value.get("version"), value["time"], value["event"])


def version_key(sourceversion: str | None) -> str | None:
    """Sortable text for a source's version: numbers by value, timestamps by instant.

    ``"42"`` -> ``"n000...042"``; ``"2026-03-01T10:00:00+02:00"`` -> ``"t2026-03-01T08:00..."``;
    anything else compares as plain text.
    """
    if sourceversion is None:
        return None
    text = sourceversion.strip()
    whole, dot, fraction = text.partition(".")
    if is_ascii_digits(whole) and (not dot or is_ascii_digits(fraction)):
        digits = whole.lstrip("0") or "0"
        # the length first, so that 10 sorts after 9 and any number of digits works
        return f"n{len(digits):04d}{digits}" + (f".{fraction.rstrip('0')}" if dot else "")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return "s" + text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return "t" + utc_text(moment)
