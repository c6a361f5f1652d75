"""Idle worker loops wait for news of work from the store, not for their poll interval.

Each loop here is given an idle interval of an hour: the work another process (another store
on the same database) adds is still done at once, because the loop waits in
``Store.wait_for_work`` (PostgreSQL: NOTIFY; SQLite: its change counter), and a stop still
ends the loop promptly, because that wait goes in short slices.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from logisync.cli_deliveries import run_deliveries
from logisync.cli_process import run_processor
from logisync.core.delivery.connector import NullTarget
from logisync.core.delivery.worker import DeliveryWorker
from logisync.core.journal import Journal
from logisync.core.ports import Store
from logisync.core.processor import Processor, ProcessorSettings
from logisync.core.rules import Rules
from logisync.store import open_store

from .delivery_contract import queue
from .store_contract import order_event

AN_HOUR = 3600.0


@pytest.fixture(params=["sqlite", "postgres"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """Opens stores on one database, as separate processes would have them."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'hub.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    opened: list[Store] = []

    def open_one() -> Store:
        opened.append(open_store(url))
        return opened[-1]

    yield open_one
    for store in opened:
        store.close()


def _running(loop: Callable[[threading.Event], None]) -> tuple[threading.Event, threading.Thread]:
    stopping = threading.Event()
    thread = threading.Thread(target=loop, args=(stopping,), daemon=True)
    thread.start()
    return stopping, thread


def _until(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while not done():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def _stop(stopping: threading.Event, thread: threading.Thread) -> None:
    stopping.set()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the idle loop did not end on the stop"


def test_an_idle_processor_wakes_on_an_append_from_another_process(
    stores: Callable[[], Store],
) -> None:
    mine, theirs = stores(), stores()
    mine.wait_for_work(0)  # listening (PostgreSQL), the change counter read (SQLite)
    processor = Processor(mine, Rules(), settings=ProcessorSettings(idle_sleep_seconds=AN_HOUR))
    stopping, thread = _running(lambda stopping: run_processor(processor, stopping))
    Journal(theirs).append([order_event("SO1", "1")])
    _until(lambda: theirs.get_projection("sales_order:SO1") is not None, "not processed")
    _stop(stopping, thread)


def test_an_idle_delivery_loop_wakes_on_deliveries_from_another_process(
    stores: Callable[[], Store],
) -> None:
    mine, theirs = stores(), stores()
    mine.wait_for_work(0)
    worker = DeliveryWorker(mine, {"odoo": NullTarget()})
    stopping, thread = _running(
        lambda stopping: run_deliveries(worker, ["odoo"], stopping, idle_seconds=AN_HOUR)
    )
    queue(theirs, ("SO1", "state", 1))
    _until(lambda: [d.state for d in theirs.deliveries("odoo")] == ["delivered"], "not sent")
    _stop(stopping, thread)
