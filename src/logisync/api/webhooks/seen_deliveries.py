"""The memory of delivery ids already received, which turns a replay into a known duplicate.

A verifier records a delivery's id only after its signature held: otherwise anyone could send
garbage under a real id and have the genuine delivery taken for a duplicate. Recording and
checking is one atomic step, so two copies arriving at once cannot both be taken as new.

An id needs remembering only while a copy of it could still be accepted: for a signed timestamp
that is until the tolerance has passed (a later copy is refused as stale anyway), plus a margin.
The verifier says how long (``keep_until``); the memory may forget the id after that.

When the hub could not store a delivery it verified, the route calls ``forget`` so that the
provider's retry is accepted rather than answered as a duplicate of something never stored.
The durable implementation (a store table) records the id in the intake's transaction instead.
"""

from __future__ import annotations

import heapq
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

REPLAY_MARGIN = timedelta(seconds=60)
"""Kept beyond the tolerance, so an id is never forgotten a moment before its copy goes stale."""


@dataclass(frozen=True)
class Sighting:
    """Whether this is the first time the id was seen, and when that first time was."""

    is_new: bool
    first_seen_at: datetime


class SeenDeliveries(Protocol):
    def record(
        self, system: str, delivery_id: str, seen_at: datetime, keep_until: datetime
    ) -> Sighting:
        """Atomically: when ``(system, delivery_id)`` is unknown, remember it as first seen at
        ``seen_at`` until ``keep_until`` and return a new sighting; else return the earlier."""
        ...

    def forget(self, system: str, delivery_id: str) -> None:
        """Drop the id, so that the next copy counts as new (its first one was not stored)."""
        ...


@dataclass(frozen=True)
class _Memory:
    first_seen_at: datetime
    keep_until: datetime


class InMemorySeenDeliveries:
    """Seen ids in a dict, expired lazily on each ``record`` from a heap of deadlines.

    For one process and for tests; thread-safe, since sync routes run on a thread pool.
    A restart forgets everything, so a provider retry after a restart is processed again:
    the journal's idempotency on ``(source, id)`` still keeps that from doubling facts.
    """

    def __init__(self) -> None:
        self._memories: dict[tuple[str, str], _Memory] = {}
        self._deadlines: list[tuple[datetime, tuple[str, str]]] = []
        self._lock = threading.Lock()

    def record(
        self, system: str, delivery_id: str, seen_at: datetime, keep_until: datetime
    ) -> Sighting:
        key = (system, delivery_id)
        with self._lock:
            self._expire(seen_at)
            known = self._memories.get(key)
            if known is not None:
                return Sighting(is_new=False, first_seen_at=known.first_seen_at)
            self._memories[key] = _Memory(seen_at, keep_until)
            heapq.heappush(self._deadlines, (keep_until, key))
            return Sighting(is_new=True, first_seen_at=seen_at)

    def forget(self, system: str, delivery_id: str) -> None:
        with self._lock:
            self._memories.pop((system, delivery_id), None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._memories)

    def _expire(self, now: datetime) -> None:
        while self._deadlines and self._deadlines[0][0] <= now:
            deadline, key = heapq.heappop(self._deadlines)
            memory = self._memories.get(key)
            # A forgotten and re-recorded id has a newer deadline of its own in the heap.
            if memory is not None and memory.keep_until == deadline:
                del self._memories[key]
