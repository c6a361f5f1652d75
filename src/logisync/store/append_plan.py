"""Which entries of an append batch are new and which repeat an event: one rule, both stores.

A repeat is an entry whose idempotency key, else whose ``(source, id)``, is already stored
(``known``) or taken by an earlier entry of the same batch; it answers as its original did.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from logisync.core.ports import AppendResult, NewJournalEntry

Known = dict[tuple[str, ...], tuple[str, int, str]]
"""``("k", key)`` or ``("s", source, id)`` -> the stored original's (id, seq, content hash)."""

Row = tuple[Any, ...]

Plan = list[AppendResult | tuple[int, bool]]
"""Per entry: the stored original it repeats, or ``(index in fresh, repeat in this batch)``."""


def known_originals(by_key_rows: Iterable[Row], by_id_rows: Iterable[Row]) -> Known:
    """``Known`` from the stores' two dedup reads: ``find_duplicates`` rows (key, id, seq,
    hash, source) and ``find_source_ids`` rows (source, id, seq, hash, key)."""
    known: Known = {
        ("k", key): (event_id, seq, digest) for key, event_id, seq, digest, _ in by_key_rows
    }
    for source, event_id, seq, digest, _key in by_id_rows:
        known[("s", source, event_id)] = (event_id, seq, digest)
    return known


def plan_append(
    entries: Sequence[NewJournalEntry], known: Known
) -> tuple[Plan, list[NewJournalEntry]]:
    """What each entry becomes, and the entries to insert (``fresh``), in batch order."""
    plan: Plan = []
    fresh: list[NewJournalEntry] = []
    in_batch: dict[tuple[str, ...], int] = {}
    for entry in entries:
        by_key = ("k", entry.idempotency_key or "")
        by_id = ("s", entry.source, entry.event_id)
        original = (known.get(by_key) if entry.idempotency_key else None) or known.get(by_id)
        if original is not None:
            event_id, seq, content_hash = original
            plan.append(AppendResult(event_id, seq, True, content_hash == entry.content_hash))
            continue
        index = in_batch.get(by_key) if entry.idempotency_key else None
        index = index if index is not None else in_batch.get(by_id)
        if index is not None:
            plan.append((index, True))  # a repeat within this batch
            continue
        if entry.idempotency_key:
            in_batch[by_key] = len(fresh)
        in_batch[by_id] = len(fresh)
        plan.append((len(fresh), False))
        fresh.append(entry)
    return plan, fresh


def append_results(
    entries: Sequence[NewJournalEntry],
    plan: Plan,
    fresh: Sequence[NewJournalEntry],
    seqs: Sequence[int],
) -> list[AppendResult]:
    """The answer per entry once ``fresh`` is stored at ``seqs``."""
    results = []
    for entry, step in zip(entries, plan, strict=True):
        if isinstance(step, AppendResult):
            results.append(step)
            continue
        index, repeat = step
        first = fresh[index]
        same = first.content_hash == entry.content_hash
        results.append(AppendResult(first.event_id, seqs[index], repeat, same))
    return results
