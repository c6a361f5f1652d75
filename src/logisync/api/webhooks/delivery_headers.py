"""Reading a delivery's headers so that every way they can be wrong gets its own sentence.

Headers arrive as any mapping (Starlette's case-insensitive ``Headers``, a plain ``dict`` in
tests); names are compared without case. A header the verifier relies on that appears twice
with different values is refused rather than guessed at. Values must be what HTTP can carry
(Latin-1 without control characters), so that signed text encodes the way the sender's did.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from logisync.api.webhooks.verdict import RefusalKind, WebhookRefused

_UNIX_SECONDS = re.compile(r"^[0-9]{1,11}$")
_NOT_HTTP_TEXT = re.compile(r"[^\t\x20-\x7e\x80-\xff]")


class DeliveryHeaders:
    """The headers of one delivery to ``system``, looked up by lower-cased name."""

    def __init__(self, system: str, headers: Mapping[str, str]) -> None:
        self.system = system
        self._values: dict[str, list[object]] = {}
        for name, value in headers.items():
            self._values.setdefault(str(name).lower(), []).append(value)

    def as_lower_cased(self) -> dict[str, str]:
        """Every header once, names lower-cased; repeated headers keep their first value."""
        return {name: str(values[0]) for name, values in self._values.items()}

    def optional(self, name: str) -> str | None:
        """The header's value without surrounding blanks, or ``None`` when absent or empty."""
        given = [value for value in self._values.get(name.lower(), ()) if value != ""]
        if not given:
            return None
        value = given[0]
        if any(other != value for other in given[1:]):
            raise self.refused("malformed_header", f"the header {name} is given twice, differently")
        if not isinstance(value, str) or _NOT_HTTP_TEXT.search(value):
            raise self.refused(
                "malformed_header", f"the header {name} holds characters HTTP cannot carry"
            )
        return value.strip() or None

    def required(self, name: str, *, kind: RefusalKind = "missing_header") -> str:
        """The header's value; when it is missing, refuse with ``kind``."""
        value = self.optional(name)
        if value is None:
            raise self.refused(kind, f"the header {name} is missing")
        return value

    def unix_time(self, name: str) -> datetime:
        """A required header holding whole seconds since 1970 (how signers stamp a message)."""
        text = self.required(name)
        if not _UNIX_SECONDS.match(text):
            raise self.refused(
                "malformed_header", f"the header {name} must be whole seconds since 1970 (Unix)"
            )
        return datetime.fromtimestamp(int(text), UTC)

    def iso_time(self, name: str) -> datetime:
        """A required header holding an ISO 8601 instant with its offset (``...Z``)."""
        text = self.required(name)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise self.refused(
                "malformed_header",
                f"the header {name} must be an ISO 8601 time with an offset, "
                "such as 2026-01-31T12:00:00Z",
            )
        return moment

    def refused(self, kind: RefusalKind, reason: str) -> WebhookRefused:
        return WebhookRefused(self.system, kind, reason)


def check_within_tolerance(
    headers: DeliveryHeaders,
    name: str,
    stamped_at: datetime,
    now: datetime,
    *,
    too_old_after: timedelta,
    too_new_after: timedelta,
) -> None:
    """Refuse a stamp older than ``too_old_after`` or further ahead of ``now`` than
    ``too_new_after``: the signed time is what bounds a replay of a captured request."""
    age = now - stamped_at
    if age > too_old_after:
        raise headers.refused(
            "timestamp_out_of_tolerance",
            f"the {name} time is {_seconds(age)} s old, beyond the "
            f"{_seconds(too_old_after)} s tolerance",
        )
    if -age > too_new_after:
        raise headers.refused(
            "timestamp_out_of_tolerance",
            f"the {name} time is {_seconds(-age)} s in the future, beyond the "
            f"{_seconds(too_new_after)} s tolerance (is one of the clocks wrong?)",
        )


def _seconds(span: timedelta) -> int:
    return int(span.total_seconds())


def require_aware(now: datetime) -> None:
    """``now`` comes from the hub's clock; a naive one is a wiring mistake, not a refusal."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC), as the hub's clocks give it")
