"""The worker's housekeeping: per-minute delivery outcomes older than the retention go, in
batches, and the configuration sets the retention."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from logisync.cli_worker import worker_components
from logisync.config import load_config
from logisync.errors import InvalidConfig, StoreBusy
from logisync.orchestration.housekeeping import prune_delivery_minutes, run_housekeeping_loop
from logisync.store.sqlite import SqliteStore

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def _minutes(store: SqliteStore, count: int, last: datetime) -> None:
    rows = [
        ("odoo", (last - timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M"), 1, 0, 0, 0.5)
        for n in range(count)
    ]
    store._conn.executemany(
        "INSERT INTO delivery_minutes (target, minute, delivered, retried, dead, "
        "latency_seconds) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def test_rows_older_than_the_retention_are_deleted_in_batches(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    _minutes(store, 3 * 1440, NOW)  # three days, one row a minute
    deleted = prune_delivery_minutes(store, timedelta(days=1), NOW, batch=500)
    left = store.deliveries_per_minute("2000-01-01")
    store.close()
    assert len(left) == 1441 and deleted == 3 * 1440 - 1441  # the day and its first minute
    assert left[0].minute == "2026-11-22T12:00"


def test_the_retention_is_configured_and_defaults_to_seven_days(tmp_path: Path) -> None:
    config = tmp_path / "hub.yaml"
    config.write_text("store: sqlite:///x.db\n")
    assert load_config(config).retention.delivery_minutes == timedelta(days=7)
    config.write_text("retention: {delivery_minutes: 2d}\n")
    assert load_config(config).retention.delivery_minutes == timedelta(days=2)
    config.write_text("retention: {delivery_minutes: soon}\n")
    with pytest.raises(InvalidConfig, match="delivery_minutes"):
        load_config(config)


def test_the_worker_always_runs_housekeeping(tmp_path: Path) -> None:
    config = tmp_path / "hub.yaml"
    config.write_text("systems: {}\n")
    components = worker_components(load_config(config), f"sqlite:///{tmp_path / 'h.db'}", 1.0)
    assert "housekeeping" in components


def test_the_housekeeping_loop_rides_out_a_busy_store_until_stopped() -> None:
    stopping = threading.Event()
    calls: list[str] = []

    class BusyStore:
        def prune_delivery_minutes(self, before: str, *, limit: int) -> int:
            calls.append(before)
            if len(calls) >= 3:
                stopping.set()
            raise StoreBusy("locked")

    run_housekeeping_loop(BusyStore(), timedelta(days=7), 0.01, stopping)  # type: ignore[arg-type]
    assert len(calls) >= 3
