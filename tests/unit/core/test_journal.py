"""The journal's front door: validated in, refused with reasons, nothing half-accepted."""

from __future__ import annotations

from pathlib import Path

from logisync.core.journal import Journal
from logisync.store.sqlite import SqliteStore


def test_submit_stores_the_valid_events_and_refuses_each_invalid_one_with_its_reason(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    good = {
        "type": "product.changed",
        "source": "odoo",
        "id": "1",
        "subject": "product:P1",
        "time": "2026-03-01T10:00:00Z",
        "data": {"sku": "P1", "name": "Chair"},
    }
    naive = {**good, "id": "2", "time": "2026-03-01T10:00:00"}
    bad_gtin = {**good, "id": "3", "data": {"sku": "P1", "gtin": "4006381333932"}}
    results = Journal(store).submit([good, naive, bad_gtin, good])
    assert [r.result is not None for r in results] == [True, False, False, True]
    assert results[3].result.duplicate  # type: ignore[union-attr]
    assert str(results[1].error).startswith("invalid event: /time:")
    assert results[2].error.problems[0].location == "/data/gtin"  # type: ignore[union-attr]
    assert store.counts().journal == 1


def test_submit_with_nothing_valid_stores_nothing(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    results = Journal(store).submit([{"type": "nope"}])
    assert results[0].result is None and results[0].error is not None
    assert store.counts().journal == 0
