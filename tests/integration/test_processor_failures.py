"""Failures the processor rides out: poison events, a busy store, lost leases."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from logisync.core.clock import ManualClock
from logisync.core.journal import Journal, journal_entry
from logisync.core.processor import Processor, ProcessorSettings
from logisync.core.rules import FieldRule, OwnershipMap, Rules
from logisync.model import new_event
from logisync.model.envelope import Event
from logisync.store.sqlite import SqliteStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "hub.db")
    yield store
    store.close()


def product(n: int, sku: str = "P1", **fields: Any) -> Event:
    return new_event(
        "product.changed",
        {"sku": sku, **fields},
        source="odoo",
        id=f"odoo-{sku}-{n}",
        time=f"2026-03-01T10:{n:02d}:00Z",
    )


def poison(n: int, sku: str = "P1") -> Any:
    """A journaled event the processor cannot handle (a type this release does not know)."""
    return journal_entry(product(n, sku), "2026-03-01T10:00:00.000000Z")._replace(
        type="product.teleported"
    )


def test_a_poison_event_parks_its_entity_and_the_rest_of_the_hub_goes_on(
    store: SqliteStore,
) -> None:
    Journal(store).append([product(1, name="Chair")])
    store.append([poison(2)])
    Journal(store).append([product(3, name="Desk"), product(1, sku="P2", name="Lamp")])
    processor = Processor(store, Rules(), clock=ManualClock())
    assert processor.run_until_idle() == 2
    assert store.get_projection("product:P1").state["name"] == "Chair"  # type: ignore[union-attr]
    assert store.get_projection("product:P2").state["name"] == "Lamp"  # type: ignore[union-attr]
    [parked] = store.parked()
    assert parked.entity_key == "product:P1"
    assert "product.teleported" in parked.reason and "KeyError" in parked.reason
    assert store.unpark("product:P1")
    assert processor.run_until_idle() == 0  # still poison: parked again, order kept
    assert len(store.parked()) == 1


class ExplodingOwnership(OwnershipMap):
    """Ownership that fails on one field, after the fields before it were applied."""

    def rule(self, domain: str, field_name: str) -> FieldRule | None:
        if field_name == "uom":
            raise RuntimeError("ownership service unavailable")
        return super().rule(domain, field_name)


def test_a_poison_event_leaves_no_half_applied_change(store: SqliteStore) -> None:
    Journal(store).append([product(1, name="Chair"), product(2, name="Stool", uom="pcs")])
    processor = Processor(store, Rules(ownership=ExplodingOwnership()), clock=ManualClock())
    processor.run_until_idle()
    projection = store.get_projection("product:P1")
    assert projection is not None
    assert (projection.state["name"], projection.version) == ("Chair", 1)
    assert [h.seq for h in store.history("product:P1")] == [1]
    assert store.parked()[0].first_seq == 2


def test_a_busy_store_delays_processing_without_losing_anything(
    store: SqliteStore, tmp_path: Path
) -> None:
    Journal(store).append([product(i, sku=f"P{i}", name="x") for i in range(1, 6)])
    store._conn.execute("PRAGMA busy_timeout = 20")
    blocker = sqlite3.connect(tmp_path / "hub.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 3 and blocker.in_transaction:
            blocker.execute("ROLLBACK")  # the other writer finishes

    settings = ProcessorSettings(idle_sleep_seconds=0.01, max_backoff_seconds=0.05)
    processor = Processor(store, Rules(), clock=ManualClock(), settings=settings)
    processor.run_forever(lambda: store.counts().pending_entities == 0, sleep=sleep)
    assert pauses[:3] == [0.02, 0.04, 0.05]  # backed off, capped
    assert store.counts().entities == 5


class StallingClock(ManualClock):
    """Jumps past the lease once, as if the worker stalled between claiming and committing."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def now(self):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.calls == 3:  # claim, processing time, then the commit: a long GC pause
            self.advance(60)
        return super().now()


def test_a_lost_lease_is_redone_not_fatal_and_applied_once(
    store: SqliteStore, caplog: pytest.LogCaptureFixture
) -> None:
    Journal(store).append([product(1, name="Chair")])
    processor = Processor(store, Rules(), clock=StallingClock())
    processor.run_forever(lambda: store.counts().pending_entities == 0, sleep=lambda _: None)
    assert any("expired or was taken over" in record.message for record in caplog.records)
    assert [h.seq for h in store.history("product:P1")] == [1]
    assert store.get_projection("product:P1").version == 1  # type: ignore[union-attr]
