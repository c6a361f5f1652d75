"""The journal's front: validated events in, durable entries out, duplicates answered.

Nothing is reported stored that is not committed: ``append`` returns only after the store's
transaction commits, and a failure raises (``StoreBusy``/``StoreUnavailable``) with nothing of
the batch stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from logisync.core.clock import Clock, SystemClock, utc_text
from logisync.core.ports import AppendResult, JournalRecord, NewJournalEntry, Store
from logisync.core.stamps import version_key
from logisync.errors import InvalidEvent
from logisync.model.envelope import Event, parse_event


def journal_entry(event: Event, received_at: str, raw: bytes | None = None) -> NewJournalEntry:
    data = event.data_json()
    return NewJournalEntry(  # positional: this runs once per event on the append path
        event.id,
        event.source,
        event.type,
        event.subject,
        utc_text(event.time),
        event.sourceversion,
        version_key(event.sourceversion),
        event.correlationid,
        event.causationid,
        event.idempotencykey,
        event.content_hash(data),
        data,
        raw,
        received_at,
        event.traceparent,
        event.tracestate,
    )


def journal_record(event: Event, seq: int, received_at: str) -> JournalRecord:
    """The record the processor would read for ``event`` at ``seq``: for tests, benchmarks
    and simulations that drive ``apply_event`` without a store."""
    entry = journal_entry(event, received_at)
    return JournalRecord(
        seq,
        entry.event_id,
        entry.source,
        entry.type,
        entry.subject,
        entry.time,
        entry.sourceversion,
        entry.version_key,
        entry.correlationid,
        entry.causationid,
        event.data,
        received_at,
        event.traceparent,
        event.tracestate,
    )


@dataclass(frozen=True)
class Submission:
    """Per item of a submitted batch: the append result, or why it was refused."""

    result: AppendResult | None
    error: InvalidEvent | None


class Journal:
    def __init__(self, store: Store, clock: Clock | None = None) -> None:
        self._store = store
        self._clock = clock or SystemClock()

    def append(
        self, events: Sequence[Event], raws: Sequence[bytes | None] | None = None
    ) -> list[AppendResult]:
        """Journal validated events in one transaction, in the given order."""
        received = utc_text(self._clock.now())
        raw_list: Iterable[bytes | None] = raws if raws is not None else [None] * len(events)
        entries = [
            journal_entry(event, received, raw) for event, raw in zip(events, raw_list, strict=True)
        ]
        return self._store.append(entries)

    def submit(self, items: Sequence[dict[str, Any]]) -> list[Submission]:
        """Validate raw CloudEvents and journal the valid ones together; refuse the rest."""
        parsed: list[Event | InvalidEvent] = []
        for item in items:
            try:
                parsed.append(parse_event(item))
            except InvalidEvent as problem:
                parsed.append(problem)
        valid = [event for event in parsed if isinstance(event, Event)]
        results = iter(self.append(valid)) if valid else iter(())
        return [
            Submission(None, item)
            if isinstance(item, InvalidEvent)
            else Submission(next(results), None)
            for item in parsed
        ]
