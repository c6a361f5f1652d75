"""WAL checkpoints run in a background thread, not inside writers' commits: a changed WAL is
checkpointed, an unchanged one is left alone, a busy or failed checkpoint is retried and loses
nothing, the WAL stays small under continuous writes, and a store that is closed or dropped is
no longer checkpointed, even when the collector drops it while the checkpointer is busy."""

from __future__ import annotations

import gc
import logging
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from logisync.core.journal import Journal
from logisync.store.sqlite import SqliteStore
from logisync.store.sqlite import checkpoints as checkpoints_module
from logisync.store.sqlite import store as store_module
from logisync.store.sqlite.checkpoints import BACKSTOP_PAGES, Checkpoints, Outcome, checkpoints

from .store_contract import order_event


@pytest.fixture
def mine(monkeypatch: pytest.MonkeyPatch) -> Iterator[Checkpoints]:
    """A checkpointer of the test's own, whose thread never ticks: the test ticks it."""
    own = Checkpoints(interval_seconds=3600)
    monkeypatch.setattr(store_module, "checkpoints", lambda: own)
    yield own
    own.stop()


def _append(store: SqliteStore, first: int, count: int) -> None:
    Journal(store).append([order_event(f"SO{n}", f"e{n}") for n in range(first, first + count)])


def _journal_rows_in_database_file_alone(path: Path, copy: Path) -> int:
    """The journal as the main database file holds it, without its WAL: what checkpoints have
    copied back so far."""
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy)
    try:
        return int(conn.execute("SELECT count(*) FROM journal").fetchone()[0])
    except sqlite3.OperationalError:  # not even the schema is in the file yet
        return 0
    finally:
        conn.close()


def test_a_changed_wal_is_checkpointed_into_the_database_file(
    tmp_path: Path, mine: Checkpoints
) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    _append(store, 0, 50)
    assert _journal_rows_in_database_file_alone(tmp_path / "hub.db", tmp_path / "a.db") == 0
    mine.tick()
    assert _journal_rows_in_database_file_alone(tmp_path / "hub.db", tmp_path / "b.db") == 50
    assert mine.runs == 1
    store.close()


def test_an_unchanged_wal_is_left_alone_and_an_incomplete_checkpoint_is_retried(
    tmp_path: Path, mine: Checkpoints
) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    answers: list[Outcome] = ["done", "pinned", "done"]  # pinned: a reader held old frames
    calls: list[str] = []

    def checkpoint(path: str) -> Outcome:
        calls.append(path)
        return answers[len(calls) - 1]

    mine.checkpoint = checkpoint
    _append(store, 0, 5)
    mine.tick()
    mine.tick()
    assert len(calls) == 1  # nothing new since a complete checkpoint
    _append(store, 5, 5)
    mine.tick()
    mine.monotonic = lambda: time.monotonic() + 1.0  # past the pause after a pinned round
    mine.tick()  # the WAL did not change, but the last checkpoint did not finish
    assert len(calls) == 3
    mine.tick()
    assert len(calls) == 3
    store.close()


def test_a_failed_checkpoint_is_logged_retried_and_loses_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, mine: Checkpoints
) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    failing = [sqlite3.OperationalError("database or disk is full")]

    def checkpoint(path: str) -> Outcome:
        if failing:
            raise failing.pop()
        return checkpoints_module.checkpoint_file(path)

    mine.checkpoint = checkpoint
    _append(store, 0, 20)
    with caplog.at_level(logging.WARNING):
        mine.tick()
    assert mine.failures == 1 and "disk is full" in caplog.text
    assert store.counts().journal == 20  # the WAL still holds every commit
    mine.monotonic = lambda: time.monotonic() + 1.0  # past the pause after a failed round
    mine.tick()  # tried again, although the WAL did not change since
    assert mine.runs == 1
    assert _journal_rows_in_database_file_alone(tmp_path / "hub.db", tmp_path / "c.db") == 20
    store.close()


def test_a_round_that_meets_an_os_error_does_not_end_the_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    broken = [PermissionError(13, "Permission denied")] * 3

    def stamp(path: str) -> tuple[int, int] | None:
        if broken:
            raise broken.pop()
        return (time.monotonic_ns(), 1)  # always changed: the thread keeps checkpointing

    monkeypatch.setattr(checkpoints_module, "_wal_stamp", stamp)
    own = Checkpoints(interval_seconds=0.01)
    monkeypatch.setattr(store_module, "checkpoints", lambda: own)
    store = SqliteStore(tmp_path / "hub.db")
    _append(store, 0, 5)
    with caplog.at_level(logging.WARNING):
        deadline = time.monotonic() + 10
        while own.runs == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert own.failures >= 3 and own.runs > 0, (own.failures, own.runs)
    assert own._thread is not None and own._thread.is_alive()
    own.stop()
    store.close()


def test_a_closed_or_dropped_store_is_no_longer_checkpointed(tmp_path: Path) -> None:
    own = checkpoints()
    closed = SqliteStore(tmp_path / "closed.db")
    dropped = SqliteStore(tmp_path / "dropped.db")
    kept = SqliteStore(tmp_path / "kept.db")

    def names() -> set[str]:
        with own._guard:
            own._drain_releases()
            return {Path(p).name for p in own._files}

    assert names() >= {"closed.db", "dropped.db", "kept.db"}
    closed.close()
    del dropped
    gc.collect()
    assert "closed.db" not in names() and "dropped.db" not in names() and "kept.db" in names()
    kept.close()
    kept.close()  # closing twice releases once
    assert "kept.db" not in names()


def test_a_store_collected_while_the_checkpointer_holds_its_lock_does_not_deadlock(
    tmp_path: Path, mine: Checkpoints
) -> None:
    """The collector may run a store's finalizer on the checkpointer's own thread, inside its
    lock: releasing must not take that lock."""
    store = SqliteStore(tmp_path / "cycle.db")
    store.self_reference = store  # type: ignore[attr-defined]  # only the collector frees it
    del store
    finished = threading.Event()

    def collect_inside_the_lock() -> None:
        with mine._guard:
            gc.collect()
        finished.set()

    worker = threading.Thread(target=collect_inside_the_lock, daemon=True)
    worker.start()
    assert finished.wait(10), "releasing a collected store waited for the checkpointer's lock"
    mine.tick()
    assert not mine._files


def test_releases_made_before_a_fork_count_for_nothing_in_the_child(tmp_path: Path) -> None:
    own = Checkpoints(interval_seconds=3600)
    release = own.open(str(tmp_path / "parent.db"))
    own.forget_after_fork()  # what the child runs
    assert own._files == {} and own._thread is None
    child_release = own.open(str(tmp_path / "child.db"))
    release()  # the parent's store, closed in the child
    own.tick()
    assert [Path(p).name for p in own._files] == ["child.db"]
    child_release()
    own.tick()
    assert own._files == {}


def _largest_wal(path: Path, writes: int) -> int:
    store = SqliteStore(path)
    assert store._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == BACKSTOP_PAGES
    largest = 0
    for batch in range(writes):
        _append(store, batch * 200, 200)
        largest = max(largest, Path(f"{path}-wal").stat().st_size)
    store.close()
    return largest


def test_under_continuous_writes_the_wal_stays_small_and_writers_do_not_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own checkpoint only past BACKSTOP_PAGES: with no thread ticking, the WAL holds
    every commit of the run; with the thread it starts over again and again, although the
    writer never pauses (a PASSIVE checkpoint alone never lets it)."""
    monkeypatch.setattr(checkpoints_module, "RESTART_FRAMES", 64)  # a test-sized WAL
    still = Checkpoints(interval_seconds=3600)
    monkeypatch.setattr(store_module, "checkpoints", lambda: still)
    without = _largest_wal(tmp_path / "still.db", 60)
    ticking = Checkpoints(interval_seconds=0.02)
    monkeypatch.setattr(store_module, "checkpoints", lambda: ticking)
    with_thread = _largest_wal(tmp_path / "ticking.db", 60)
    ticking.stop()
    still.stop()
    assert ticking.runs > 0 and still.runs == 0
    assert with_thread < without / 2, (with_thread, without)


def test_a_reader_holding_old_frames_is_not_waited_for(tmp_path: Path, mine: Checkpoints) -> None:
    """RESTART would hold the write lock while it waits for the reader: with a reader on an
    old snapshot the round stops after the PASSIVE step."""
    store = SqliteStore(tmp_path / "hub.db")
    _append(store, 0, 5)
    reader = sqlite3.connect(tmp_path / "hub.db", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM journal").fetchone()  # a snapshot, held open
    _append(store, 5, 50)
    started = time.monotonic()
    assert checkpoints_module.checkpoint_file(store.path) == "pinned"
    assert time.monotonic() - started < 1.0
    reader.execute("COMMIT")
    reader.close()
    assert checkpoints_module.checkpoint_file(store.path) == "done"
    store.close()


def test_rounds_that_meet_a_reader_come_less_and_less_often(
    tmp_path: Path, mine: Checkpoints
) -> None:
    clock = [100.0]
    mine.monotonic = lambda: clock[0]
    rounds: list[float] = []

    def checkpoint(path: str) -> Outcome:
        rounds.append(clock[0] - 100.0)
        return "pinned"

    mine.checkpoint = checkpoint
    store = SqliteStore(tmp_path / "hub.db")
    for step, at in enumerate((0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 15.0, 22.0, 23.0)):
        clock[0] = 100.0 + at
        _append(store, step * 5, 5)  # the WAL changed before every tick
        mine.tick()
    # after 0: 1 s, then 2, 4, 8, and 8 s again at most
    assert rounds == [0.0, 1.0, 3.0, 7.0, 15.0, 23.0]
    mine.checkpoint = lambda path: "done"
    clock[0] = 131.0
    _append(store, 100, 5)
    mine.tick()
    assert mine._files[str((tmp_path / "hub.db").resolve())].backoff == 0.0
    store.close()
