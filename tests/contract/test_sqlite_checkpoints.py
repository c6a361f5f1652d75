"""WAL checkpoints run in a background thread, not inside writers' commits: a changed WAL is
checkpointed, an unchanged one is left alone, a failed checkpoint is retried and loses
nothing, and a store that is closed or dropped is no longer checkpointed."""

from __future__ import annotations

import gc
import logging
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from logisync.core.journal import Journal
from logisync.store.sqlite import SqliteStore
from logisync.store.sqlite import store as store_module
from logisync.store.sqlite.checkpoints import BACKSTOP_PAGES, Checkpoints, checkpoints

from .store_contract import order_event


@pytest.fixture
def mine(monkeypatch: pytest.MonkeyPatch) -> Checkpoints:
    """A checkpointer of the test's own, whose thread never ticks: the test ticks it."""
    own = Checkpoints(interval_seconds=3600)
    monkeypatch.setattr(store_module, "checkpoints", lambda: own)
    return own


def _append(store: SqliteStore, first: int, count: int) -> None:
    Journal(store).append([order_event(f"SO{n}", f"e{n}") for n in range(first, first + count)])


def _journal_rows_in_database_file_alone(path: Path, copy: Path) -> int:
    """The journal as the main database file holds it, without its WAL: what a checkpoint
    has copied back so far."""
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


def test_an_unchanged_wal_is_left_alone(tmp_path: Path, mine: Checkpoints) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    calls: list[str] = []
    mine.checkpoint = calls.append
    _append(store, 0, 5)
    mine.tick()
    mine.tick()
    assert len(calls) == 1
    _append(store, 5, 5)
    mine.tick()
    assert len(calls) == 2
    store.close()


def test_a_failed_checkpoint_is_logged_retried_and_loses_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, mine: Checkpoints
) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    failing = [sqlite3.OperationalError("database or disk is full")]

    def checkpoint(path: str) -> None:
        if failing:
            raise failing.pop()
        sqlite3.connect(path).execute("PRAGMA wal_checkpoint(PASSIVE)").connection.close()

    mine.checkpoint = checkpoint
    _append(store, 0, 20)
    with caplog.at_level(logging.WARNING):
        mine.tick()
    assert mine.failures == 1 and "disk is full" in caplog.text
    assert store.counts().journal == 20  # the WAL still holds every commit
    mine.tick()  # tried again at the next tick, although the WAL did not change since
    assert mine.runs == 1
    assert _journal_rows_in_database_file_alone(tmp_path / "hub.db", tmp_path / "c.db") == 20
    store.close()


def test_a_closed_or_dropped_store_is_no_longer_checkpointed(tmp_path: Path) -> None:
    closed = SqliteStore(tmp_path / "closed.db")
    dropped = SqliteStore(tmp_path / "dropped.db")
    kept = SqliteStore(tmp_path / "kept.db")
    files = checkpoints()._files
    assert {str(Path(p).name) for p in files} >= {"closed.db", "dropped.db", "kept.db"}
    closed.close()
    del dropped
    gc.collect()
    names = {Path(p).name for p in files}
    assert "closed.db" not in names and "dropped.db" not in names and "kept.db" in names
    kept.close()
    kept.close()  # closing twice releases once
    assert "kept.db" not in {Path(p).name for p in files}


def _largest_wal(path: Path) -> int:
    store = SqliteStore(path)
    assert store._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == BACKSTOP_PAGES
    largest = 0
    for batch in range(40):
        _append(store, batch * 200, 200)
        largest = max(largest, Path(f"{path}-wal").stat().st_size)
        time.sleep(0.01)
    store.close()
    return largest


def test_the_thread_keeps_the_wal_small_and_writers_do_not_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own checkpoint only past BACKSTOP_PAGES: with no thread ticking, the WAL holds
    every commit of the run; with the thread, a few ticks' worth."""
    still = Checkpoints(interval_seconds=3600)
    monkeypatch.setattr(store_module, "checkpoints", lambda: still)
    without = _largest_wal(tmp_path / "still.db")
    ticking = Checkpoints(interval_seconds=0.05)
    monkeypatch.setattr(store_module, "checkpoints", lambda: ticking)
    with_thread = _largest_wal(tmp_path / "ticking.db")
    assert ticking.runs > 0 and still.runs == 0
    assert with_thread < without / 2, (with_thread, without)
