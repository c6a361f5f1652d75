"""Intake with the journal writer in a process of its own (``logisync serve`` on SQLite).

The answers must be the ones the writer thread gives: 202 only once stored, repeats answered
as the first, 503 + Retry-After when the store cannot commit. And the child is a new way to
fail: killed mid-commit, it must cost no event and no duplicate, and the next request must
find a new child.
"""

from __future__ import annotations

import asyncio
import io
import os
import pickle
import signal
import sqlite3
import struct
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from logisync.core.journal import journal_entry
from logisync.core.ports import AppendResult, NewJournalEntry
from logisync.errors import CommitUnconfirmed, StoreError, StoreUnavailable
from logisync.model import parse_event
from logisync.store.journal_writer import JournalWriterProcess, serve
from logisync.store.sqlite import SqliteStore

from .conftest import BATCH, STRUCTURED, RunningHub, order


def _writer(running: RunningHub) -> JournalWriterProcess:
    appender = running.hub.committer._appender
    assert isinstance(appender, JournalWriterProcess)
    return appender


def _journal_ids(running: RunningHub) -> list[str]:
    conn = sqlite3.connect(running.path)
    try:
        return [row[0] for row in conn.execute("SELECT event_id FROM journal ORDER BY seq")]
    finally:
        conn.close()


def test_events_are_committed_by_the_child_and_repeats_answered_as_the_first(
    start_hub: Callable[..., RunningHub],
) -> None:
    running = start_hub(writer_process=True)
    token, _ = running.key()
    child = _writer(running).pid
    assert child is not None and child != os.getpid()
    with running.client(token) as client:
        first = client.post(
            "/v1/events", content=orjson.dumps(order("SO1", "1")), headers=STRUCTURED
        )
        again = client.post(
            "/v1/events", content=orjson.dumps(order("SO1", "1")), headers=STRUCTURED
        )
        batch = client.post(
            "/v1/events/batch",
            content=orjson.dumps(
                [order(f"SO{i}", f"b{i}") for i in range(20)] + [order("SO1", "1")]
            ),
            headers=BATCH,
        )
    assert first.status_code == 202 and first.json()["seq"] == 1
    assert again.status_code == 202 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    outcome = batch.json()
    assert (outcome["accepted"], outcome["duplicates"]) == (20, 1)
    assert _journal_ids(running) == ["1"] + [f"b{i}" for i in range(20)]
    assert _writer(running).pid == child  # one child served them all


def test_a_locked_store_answers_503_through_the_child_and_the_retry_succeeds(
    start_hub: Callable[..., RunningHub],
) -> None:
    running = start_hub(busy_timeout_ms=100, writer_process=True)
    token, _ = running.key()
    blocker = sqlite3.connect(running.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with running.client(token) as client:
            refused = client.post(
                "/v1/events", content=orjson.dumps(order("SO1", "1")), headers=STRUCTURED
            )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert "busy" in refused.json()["detail"] and "nothing was stored" in refused.json()["detail"]
    assert _journal_ids(running) == []
    with running.client(token) as client:
        retry = client.post(
            "/v1/events", content=orjson.dumps(order("SO1", "1")), headers=STRUCTURED
        )
    assert retry.status_code == 202
    assert _journal_ids(running) == ["1"]


def test_a_killed_child_loses_and_doubles_nothing_and_is_started_again(
    start_hub: Callable[..., RunningHub],
) -> None:
    """SIGKILL the child while 8 senders post, in the middle of a commit (it waits for a lock
    the test holds); every sender retries what was not answered 202 (503 says the commit was
    not confirmed). The journal then holds each event once, and a new child took over."""
    running = start_hub(writer_process=True)
    token, _ = running.key(rate_limit=1e6)
    first_child = _writer(running).pid
    assert first_child is not None
    sent = [f"e{sender}-{n}" for sender in range(8) for n in range(150)]
    unconfirmed: list[str] = []
    failures: list[BaseException] = []

    def send(sender: int) -> None:
        try:
            with running.client(token) as client:
                for n in range(150):
                    event_id = f"e{sender}-{n}"
                    body = orjson.dumps(order(f"SO{event_id}", event_id))
                    while True:  # a sender that keeps trying until it hears 202
                        answer = client.post("/v1/events", content=body, headers=STRUCTURED)
                        if answer.status_code == 202:
                            assert answer.json()["id"] == event_id  # its own answer
                            break
                        assert answer.status_code == 503, answer.text
                        unconfirmed.append(answer.json()["detail"])
        except BaseException as error:  # the test fails on it below, not in the thread
            failures.append(error)

    senders = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for thread in senders:
        thread.start()
    deadline = time.monotonic() + 30
    while len(_journal_ids(running)) < 200 and time.monotonic() < deadline:
        time.sleep(0.005)
    blocker = sqlite3.connect(running.path, isolation_level=None, timeout=10)
    blocker.execute("BEGIN IMMEDIATE")  # the child's next commit waits for this lock...
    time.sleep(0.2)
    os.kill(first_child, signal.SIGKILL)  # ...and dies waiting
    blocker.execute("ROLLBACK")
    blocker.close()
    for thread in senders:
        thread.join(60)
    assert not failures, failures
    assert sorted(_journal_ids(running)) == sorted(sent)  # nothing lost, nothing twice
    assert unconfirmed, "the senders of the commit the child died in heard 503"
    assert all("may or may not be stored" in detail for detail in unconfirmed)
    writer = _writer(running)
    assert writer.starts == 2 and writer.pid not in (None, first_child)


def test_a_child_that_dies_after_its_commit_before_answering_costs_no_duplicate(
    start_hub: Callable[..., RunningHub],
) -> None:
    """The commit is durable but unconfirmed: the sender hears 503, sends again, and hears
    the first answer back (same seq, ``Idempotent-Replayed``); the journal holds it once."""
    faulty = [sys.executable, "-m", "logisync.testing.journal_writer_faults", "2"]
    running = start_hub(writer_process=faulty)
    token, _ = running.key()
    with running.client(token) as client:
        first = client.post(
            "/v1/events", content=orjson.dumps(order("SO1", "1")), headers=STRUCTURED
        )
        body = orjson.dumps(order("SO2", "2"))
        lost_answer = client.post("/v1/events", content=body, headers=STRUCTURED)
        retry = client.post("/v1/events", content=body, headers=STRUCTURED)
    assert first.status_code == 202
    assert lost_answer.status_code == 503 and lost_answer.headers["retry-after"] == "1"
    assert "may or may not be stored" in lost_answer.json()["detail"]
    assert retry.status_code == 202 and retry.headers["idempotent-replayed"] == "true"
    assert retry.json()["seq"] == 2
    assert _journal_ids(running) == ["1", "2"]
    assert _writer(running).starts == 2


def test_stop_lets_the_child_finish_and_exit_on_its_own(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    SqliteStore.from_url(url).close()  # migrated, as the API does before starting the child

    async def run() -> tuple[list[AppendResult], int | None, int | None]:
        writer = JournalWriterProcess(url)
        await writer.start()
        child = writer._child
        assert child is not None
        results = await writer.append([_entry("1"), _entry("2")])
        await writer.stop()
        return results, child.returncode, writer.pid

    results, code, pid = asyncio.run(run())
    assert [(r.event_id, r.seq, r.duplicate) for r in results] == [("1", 1, False), ("2", 2, False)]
    assert code == 0 and pid is None  # it ended at the end of its input, not killed


def test_a_child_that_cannot_open_the_store_fails_the_start_with_the_reason(
    tmp_path: Path,
) -> None:
    garbage = tmp_path / "hub.db"
    garbage.write_bytes(b"this is not an SQLite database" * 100)
    writer = JournalWriterProcess(f"sqlite:///{garbage}")
    with pytest.raises(StoreError, match="not a database"):
        asyncio.run(writer.start())
    assert writer.pid is None


def test_the_child_answers_a_full_disk_and_a_bug_instead_of_dying(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # no page more: the disk is full
    big = [_entry(f"big{i}", size=4000) for i in range(50)]
    frames = _frame(big) + _frame(5)  # 5: not a list of entries, a bug of the API's
    out = io.BytesIO()
    serve(store.append, io.BytesIO(frames), out)
    answers = _answers(out.getvalue())
    assert answers[0][:2] == ("error", "unavailable") and "full" in answers[0][2]
    assert answers[1][0] == "failed"
    assert store._conn.execute("SELECT count(*) FROM journal").fetchone()[0] == 0
    store.close()


def test_a_cancelled_commit_kills_its_child_so_no_answer_goes_to_the_next_commit(
    tmp_path: Path,
) -> None:
    """A commit cancelled while the child waits for a lock: the child's late answer must never
    be read as the next commit's. The child is killed, and the next commit gets a new one."""
    path = tmp_path / "hub.db"
    SqliteStore(path).close()
    blocker = sqlite3.connect(path, isolation_level=None, timeout=10)

    async def run() -> tuple[list[AppendResult], int]:
        writer = JournalWriterProcess(f"sqlite:///{path}")
        await writer.start()
        blocker.execute("BEGIN IMMEDIATE")  # the child's commit waits for this lock
        stuck = asyncio.create_task(writer.append([_entry("stuck")]))
        await asyncio.sleep(0.3)
        stuck.cancel()
        with pytest.raises(asyncio.CancelledError):
            await stuck
        blocker.execute("ROLLBACK")
        results = await writer.append([_entry("next1"), _entry("next2")])
        await writer.stop()
        return results, writer.starts

    results, starts = asyncio.run(run())
    blocker.close()
    assert [r.event_id for r in results] == ["next1", "next2"]
    assert starts == 2
    conn = sqlite3.connect(path)
    stored = [row[0] for row in conn.execute("SELECT event_id FROM journal ORDER BY seq")]
    conn.close()
    assert stored == ["next1", "next2"]  # killed waiting for the lock: the stuck one never was


def test_a_child_that_hangs_is_killed_at_the_commit_timeout_and_replaced(
    tmp_path: Path,
) -> None:
    writer = _faulty_writer(tmp_path, "hangs", commit_seconds=0.5)

    async def run() -> tuple[str, int | None, list[AppendResult]]:
        await writer.start()
        hung = writer._child
        assert hung is not None
        with pytest.raises(CommitUnconfirmed) as refused:
            await writer.append([_entry("1")])
        writer.argv = [sys.executable, "-m", "logisync.store.journal_writer"]
        results = await writer.append([_entry("2")])  # a new child, its own answer
        await writer.stop()
        return str(refused.value), hung.returncode, results

    message, code, results = asyncio.run(run())
    assert "did not answer within 0.5 s" in message and "may or may not be stored" in message
    assert code == -signal.SIGKILL
    assert [r.event_id for r in results] == ["2"] and writer.starts == 2


def test_a_child_that_prints_before_its_protocol_fails_the_start_clearly(
    tmp_path: Path,
) -> None:
    writer = _faulty_writer(tmp_path, "prints-first")
    with pytest.raises(StoreUnavailable, match="on its stdout before its protocol"):
        asyncio.run(writer.start())
    assert writer.pid is None


def test_after_a_failed_start_commits_fail_at_once_until_the_retry_delay(
    tmp_path: Path,
) -> None:
    """A store that cannot be opened must not cost every request a process start."""
    garbage = tmp_path / "hub.db"
    garbage.write_bytes(b"this is not an SQLite database" * 100)
    writer = JournalWriterProcess(f"sqlite:///{garbage}", retry_start_seconds=3600)
    with pytest.raises(StoreUnavailable, match="could not start"):
        asyncio.run(writer.start())
    problem = writer.problem()
    assert problem is not None and "not a database" in problem
    with pytest.raises(StoreUnavailable, match="a new start is tried 3600 s after the last"):
        asyncio.run(writer.append([_entry("1")]))
    assert writer.starts == 1  # no second child was spawned
    writer.retry_start_seconds = 0  # the delay is over: the next commit tries a start again
    with pytest.raises(StoreUnavailable, match="not a database"):
        asyncio.run(writer.append([_entry("1")]))
    assert writer.starts == 2
    assert writer.problem() is not None  # still failing: reported until a start succeeds


def test_a_child_that_dies_while_opening_the_store_is_a_start_failure(tmp_path: Path) -> None:
    """It said who it is, then died before "ready": 503 with its exit code, not a crash."""
    writer = _faulty_writer(tmp_path, "dies-opening")
    with pytest.raises(StoreUnavailable, match="could not start: it exited with code 7"):
        asyncio.run(writer.start())
    assert writer.pid is None and writer.problem() is not None


def test_readyz_and_intake_answer_503_while_the_child_cannot_be_started_again(
    start_hub: Callable[..., RunningHub],
) -> None:
    running = start_hub(writer_process=True)
    token, _ = running.key()
    writer = _writer(running)
    child = writer.pid
    assert child is not None
    writer.argv = [sys.executable, "-c", "import sys; sys.exit(3)"]  # the next start fails
    os.kill(child, signal.SIGKILL)
    with running.client(token) as client:
        deadline = time.monotonic() + 10
        while writer._child is not None and writer._child.returncode is None:
            assert time.monotonic() < deadline, "the killed child was never reaped"
            time.sleep(0.01)
        refused = client.post(
            "/v1/events", content=orjson.dumps(order("SO1", "1")), headers=STRUCTURED
        )
        ready = client.get("/readyz")
    assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
    assert "could not start" in refused.json()["detail"]
    assert "exited with code 3" in refused.json()["detail"]
    assert ready.status_code == 503 and "could not start" in ready.json()["detail"]
    assert _journal_ids(running) == []
    writer.argv = [sys.executable, "-m", "logisync.store.journal_writer"]
    writer.retry_start_seconds = 0  # the cause is gone: the probe itself starts a child
    with running.client(token) as client:
        assert client.get("/readyz").json() == {"status": "ready"}
        assert writer.pid is not None
        accepted = client.post(
            "/v1/events", content=orjson.dumps(order("SO1", "1")), headers=STRUCTURED
        )
    assert accepted.status_code == 202 and _journal_ids(running) == ["1"]


def _faulty_writer(tmp_path: Path, fault: str, **options: float) -> JournalWriterProcess:
    """A writer on a migrated store whose child is ``logisync.testing.journal_writer_faults``."""
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    SqliteStore.from_url(url).close()  # migrated, as the API does before starting the child
    argv = [sys.executable, "-m", "logisync.testing.journal_writer_faults", fault]
    return JournalWriterProcess(url, argv, **options)


def _entry(event_id: str, size: int = 10) -> NewJournalEntry:
    event = order(f"SO{event_id}", event_id)
    received = orjson.dumps({**event, "padding": "x" * size})  # the raw body is kept as sent
    return journal_entry(parse_event(event), "2026-03-01T00:00:00Z", received)


def _frame(payload: object) -> bytes:
    data = pickle.dumps(payload)
    return struct.pack(">I", len(data)) + data


def _answers(data: bytes) -> list[tuple[object, ...]]:
    answers, at = [], 0
    while at < len(data):
        (length,) = struct.unpack_from(">I", data, at)
        answers.append(pickle.loads(data[at + 4 : at + 4 + length]))
        at += 4 + length
    return answers
