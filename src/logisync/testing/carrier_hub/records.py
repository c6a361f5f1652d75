"""What the hub sent and served, kept so tests can check the end state of a receiver.

Every push (genuine, duplicate, malformed, unknown-code, retry) and every tracking answer is
one ``SentMessage`` with its exact body text: a duplicate is recognisable as a byte-for-byte
copy, and a test can replay or diff what a hub received.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from logisync.testing.carrier_hub.carriers import Carrier

__all__ = ["Records", "SentMessage"]

Channel = Literal["push", "poll"]
Tag = Literal["duplicate", "malformed", "unknown_code", "late", "reordered", "retry", "burst"]


@dataclass(frozen=True)
class SentMessage:
    """One push or one tracking answer; ``status`` is the HTTP status (None: not delivered)."""

    channel: Channel
    carrier: Carrier
    target: str
    body: str
    at: str
    status: int | None
    scan_ids: tuple[str, ...] = ()
    tracking_numbers: tuple[str, ...] = ()
    tags: tuple[Tag, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["delivered"] = self.delivered
        return data


class Records:
    """An append-only log, safe from the server thread and the test's thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[SentMessage] = []

    def add(self, message: SentMessage) -> None:
        with self._lock:
            self._messages.append(message)

    def all(self) -> list[SentMessage]:
        with self._lock:
            return list(self._messages)

    def pushes(self, carrier: Carrier | None = None) -> list[SentMessage]:
        return [m for m in self.all() if m.channel == "push" and carrier in (None, m.carrier)]

    def polls(self, carrier: Carrier | None = None) -> list[SentMessage]:
        return [m for m in self.all() if m.channel == "poll" and carrier in (None, m.carrier)]

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()
