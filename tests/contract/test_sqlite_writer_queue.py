"""Writers of one process to one SQLite file take turns in a queue: what happens when a turn
does not come, and after a fork while someone held it."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from logisync.core.journal import Journal
from logisync.core.ports import EntityResult, ProcessedEvent, Projection
from logisync.errors import StoreBusy
from logisync.store.sqlite import SqliteStore
from logisync.store.sqlite.writer_queue import writer_queue

from .store_contract import order_event


def _hold_a_write_transaction(store: SqliteStore) -> tuple[threading.Event, threading.Event]:
    """Another thread of this process opens a write transaction and keeps it until released."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store._write():
            holding.set()
            release.wait(30)

    threading.Thread(target=hold, daemon=True).start()
    assert holding.wait(30)
    return holding, release


def test_handles_of_one_file_share_one_queue_and_memory_databases_do_not(tmp_path: Path) -> None:
    first, second = SqliteStore(tmp_path / "hub.db"), SqliteStore(tmp_path / "./hub.db")
    assert first._writers is second._writers
    assert SqliteStore(tmp_path / "other.db")._writers is not first._writers
    assert writer_queue(":memory:") is not writer_queue(":memory:")


def test_a_turn_that_does_not_come_within_the_busy_timeout_is_busy_not_half_done(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hub.db"
    holder = SqliteStore(path)
    waiter = SqliteStore(path, busy_timeout_ms=50)
    _holding, release = _hold_a_write_transaction(holder)
    try:
        with pytest.raises(StoreBusy, match="another writer in this process"):
            Journal(waiter).append([order_event("SO1", "1")])
    finally:
        release.set()
    assert waiter.counts().journal == 0
    assert Journal(waiter).append([order_event("SO1", "1")])[0].duplicate is False


def test_a_waiting_writer_goes_in_as_soon_as_the_holder_commits(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    holder, waiter = SqliteStore(path), SqliteStore(path)
    _holding, release = _hold_a_write_transaction(holder)
    appended = threading.Event()

    def append() -> None:
        Journal(waiter).append([order_event("SO1", "1")])
        appended.set()

    threading.Thread(target=append, daemon=True).start()
    assert not appended.wait(0.05)  # it waits its turn ...
    release.set()
    assert appended.wait(30)  # ... and gets it
    assert waiter.counts().journal == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_child_forked_while_a_thread_held_the_queue_can_write(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    holder = SqliteStore(path)
    _holding, release = _hold_a_write_transaction(holder)
    pid = os.fork()
    if pid == 0:  # the child: the holding thread does not exist here
        code = 1
        try:
            child = SqliteStore(path, migrate_now=False)
            code = 0 if child._writers.threads.acquire(timeout=5) else 2
            if code == 0:
                code = _wait_for_the_lock_file(f"{path}-writers", 10)
        finally:
            os._exit(code)
    release.set()  # the parent ends its turn: the child's copy of the lock file was closed at
    _, status = os.waitpid(pid, 0)  # the fork, so the file lock is free for the child now
    assert os.waitstatus_to_exitcode(status) == 0


def _wait_for_the_lock_file(lock_path: str, seconds: float) -> int:
    fd = os.open(lock_path, os.O_RDWR)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return 0
        except BlockingIOError:
            time.sleep(0.01)
    return 3


def test_a_writer_of_another_process_is_waited_for_then_busy_and_nothing_half_done(
    tmp_path: Path,
) -> None:
    """Writers of other processes queue on ``<database>-writers``: one that keeps its turn
    past the busy timeout makes this write busy (503 at the API), with nothing written."""
    path = tmp_path / "hub.db"
    store = SqliteStore(path, busy_timeout_ms=200)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys\n"
            f"fd = os.open({str(path) + '-writers'!r}, os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(StoreBusy, match="a writer in another process held it"):
            Journal(store).append([order_event("SO1", "1")])
        assert store.counts().journal == 0
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(30)
    assert Journal(store).append([order_event("SO1", "1")])[0].duplicate is False
    assert store.counts().journal == 1


def test_a_processor_with_nothing_to_claim_does_not_wait_for_a_turn(tmp_path: Path) -> None:
    """An idle processor is woken by every commit to the file; finding nothing (no journal
    rows to index, every waiting entity leased or parked) must not cost the busy writers a
    turn at the lock. With work waiting, the claim does need its turn."""
    path = tmp_path / "hub.db"
    holder = SqliteStore(path)
    impatient = SqliteStore(path, busy_timeout_ms=50)  # finds out at once whether it waits
    processor = SqliteStore(path)  # waits for a holder that is still letting go
    now = datetime.now(UTC)

    def while_held(check: Callable[[], None]) -> None:
        _holding, release = _hold_a_write_transaction(holder)
        try:
            check()
        finally:
            release.set()

    while_held(lambda: _claims_nothing(impatient, now))  # an empty store
    Journal(holder).append([order_event("SO1", "1"), order_event("SO1", "2")])
    while_held(lambda: _waits_for_the_turn(impatient, now))  # journal rows to index
    claim = processor.claim_entities("p", 10, 30, now)
    assert claim is not None and claim.entity_keys == ("sales_order:SO1",)
    while_held(lambda: _claims_nothing(impatient, now))  # its one entity is leased
    while_held(lambda: _waits_for_the_turn(impatient, now + timedelta(seconds=31)))  # expired
    [work] = processor.load_work(claim, 100)
    parked = EntityResult(
        "sales_order:SO1",
        Projection("sales_order:SO1", 1, {}, {}, {}, "t"),
        processed=[ProcessedEvent(work.events[0].seq, "sales_order:SO1", "applied", 1, {})],
        changed=True,
        parked="event 2 could not be processed: KeyError",
    )
    processor.commit_processing(claim, [parked], now)
    while_held(lambda: _claims_nothing(impatient, now + timedelta(seconds=31)))  # parked


def _claims_nothing(store: SqliteStore, now: datetime) -> None:
    assert store.claim_entities("p2", 10, 30, now) is None  # no StoreBusy: no turn taken


def _waits_for_the_turn(store: SqliteStore, now: datetime) -> None:
    with pytest.raises(StoreBusy):
        store.claim_entities("p2", 10, 30, now)
