"""When the store cannot commit, the sender hears 503 + Retry-After and nothing is stored."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import orjson

from .conftest import BATCH, STRUCTURED, RunningHub, order


def _send_both(running: RunningHub, token: str) -> tuple[int, int, dict[str, str]]:
    with running.client(token) as client:
        single = client.post(
            "/v1/events", content=orjson.dumps(order("SO1", "1")), headers=STRUCTURED
        )
        batch = client.post(
            "/v1/events/batch",
            content=orjson.dumps([order(f"SO{i}", f"b{i}") for i in range(50)]),
            headers=BATCH,
        )
    assert single.headers["content-type"] == "application/problem+json"
    return single.status_code, batch.status_code, dict(single.headers)


def _journal_rows(running: RunningHub) -> int:
    conn = sqlite3.connect(running.path)
    try:
        return int(conn.execute("SELECT count(*) FROM journal").fetchone()[0])
    finally:
        conn.close()


def test_a_locked_store_answers_503_and_stores_nothing(
    start_hub: Callable[..., RunningHub],
) -> None:
    running = start_hub(busy_timeout_ms=100)
    token, _ = running.key()
    blocker = sqlite3.connect(running.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        single, batch, headers = _send_both(running, token)
        with running.client() as client:
            ready = client.get("/readyz")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert (single, batch) == (503, 503)
    assert headers["retry-after"] == "1"
    assert ready.status_code == 503 and "retry-after" in ready.headers
    assert _journal_rows(running) == 0
    with running.client(token) as client:  # and once the lock is free, the retry succeeds
        retry = client.post(
            "/v1/events", content=orjson.dumps(order("SO1", "1")), headers=STRUCTURED
        )
        assert client.get("/readyz").status_code == 200
    assert retry.status_code == 202
    assert _journal_rows(running) == 1


def test_a_full_disk_answers_503_and_keeps_nothing_of_the_batch(running: RunningHub) -> None:
    token, _ = running.key()
    writer = running.hub.writer._conn  # type: ignore[attr-defined]
    pages = writer.execute("PRAGMA page_count").fetchone()[0]
    writer.execute(f"PRAGMA max_page_count = {pages}")  # no page more: the disk is full
    try:
        with running.client(token) as client:
            big = [order(f"SO{i}", f"b{i}", correlationid="c" * 200) for i in range(200)]
            response = client.post("/v1/events/batch", content=orjson.dumps(big), headers=BATCH)
    finally:
        writer.execute("PRAGMA max_page_count = 1073741823")
    assert response.status_code == 503, response.text
    assert "full" in response.json()["detail"]
    assert response.headers["retry-after"] == "1"
    assert _journal_rows(running) == 0


def test_a_closed_store_answers_503(running: RunningHub) -> None:
    token, _ = running.key()
    running.hub.writer.close()
    single, batch, headers = _send_both(running, token)
    assert (single, batch) == (503, 503)
    assert "retry-after" in headers
    assert _journal_rows(running) == 0
