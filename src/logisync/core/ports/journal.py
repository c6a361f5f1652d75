"""The journal and the crosswalk: facts in, in order, once; and which entity each system's
id names. Part of the storage port (``core.ports.Store``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from logisync.core.records import (
    AppendResult,
    CrosswalkLink,
    JournalRecord,
    NewJournalEntry,
)


class JournalStore(Protocol):
    """Append-only, idempotent journal; reads of journaled events."""

    def append(self, entries: Sequence[NewJournalEntry]) -> list[AppendResult]:
        """Journal a batch in one transaction; duplicates (by idempotency key, or by source and
        id) store nothing and report the original. Returns only after the commit."""
        ...

    def get_event(self, event_id: str, source: str) -> JournalRecord | None:
        """An event by its CloudEvents identity (``id`` is unique per ``source`` only)."""
        ...

    def events_with_id(self, event_id: str) -> list[JournalRecord]:
        """Every source's event with this id, by source (an index search, not a scan)."""
        ...

    def events_for(self, entity_key: str) -> list[JournalRecord]: ...

    def events_for_entities(self, entity_keys: Sequence[str]) -> list[JournalRecord]:
        """The events of all these entities, in journal order (one read, however many keys:
        the processor asks for a batch's worth at once)."""
        ...

    def events_for_correlation(self, correlation_id: str) -> list[JournalRecord]:
        """The events of one business transaction (same ``correlationid``), in journal order,
        including those the processor has not indexed yet."""
        ...

    def events_by_seq(self, seqs: Sequence[int]) -> dict[int, JournalRecord]: ...

    def raw_payload(self, seq: int) -> bytes | None: ...


class CrosswalkStore(Protocol):
    """``(system, external id) <-> entity key``: every system's id of one entity."""

    def link(self, links: Sequence[CrosswalkLink]) -> list[CrosswalkLink]:
        """Link external ids to entities; return the existing links that point elsewhere
        (those are not changed)."""
        ...

    def resolve(self, system: str, external_id: str) -> str | None: ...

    def identifiers(self, entity_key: str) -> list[CrosswalkLink]: ...

    def known_as(self, external_id: str, limit: int = 50) -> list[CrosswalkLink]:
        """Every link of this external id, whatever the system: what an operator searching for
        a number sees first, before knowing which system it came from."""
        ...
