"""``logisync keys ...`` and ``logisync serve`` as an operator runs them: real processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson
import pytest

from logisync.cli_api import JournalWriter, _writer_process
from logisync.store.sqlite import SqliteStore

EVENT = {
    "specversion": "1.0",
    "id": "e1",
    "source": "shop",
    "type": "sales_order.placed",
    "subject": "sales_order:SO1",
    "time": "2026-03-01T10:00:00Z",
    "data": {"number": "SO1", "channel": "web"},
}


def _logisync(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "logisync", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_keys_are_created_listed_rotated_and_revoked_and_audited(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "hub.db").close()  # `logisync init` made it; keys need a store
    store = ["--store", f"sqlite:///{tmp_path / 'hub.db'}"]
    created = _logisync("keys", "create", "--system", "shop", "--label", "web shop", *store)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    key_id = token.split("_")[1]
    assert "not shown again" in created.stderr

    listed = _logisync("keys", "list", *store)
    assert f"{key_id}\tactive\tshop\tevents:submit" in listed.stdout
    assert token.split("_", 2)[2] not in listed.stdout  # never the secret

    rotated = _logisync("keys", "rotate", key_id, "--overlap", "1h", *store)
    assert rotated.returncode == 0, rotated.stderr
    successor = rotated.stdout.strip().split("_")[1]
    assert f"replaces {key_id}" in rotated.stderr

    revoked = _logisync("keys", "revoke", successor, "--reason", "leaked in a ticket", *store)
    assert revoked.returncode == 0, revoked.stderr
    again = _logisync("keys", "revoke", successor, "--reason", "twice", *store)
    assert again.returncode != 0 and "already revoked" in again.stderr

    states = {
        line.split("\t")[0]: line.split("\t")[1]
        for line in _logisync("keys", "list", *store).stdout.splitlines()
    }
    assert states == {key_id: "active", successor: "revoked"}  # the old one, until its overlap ends
    audit = SqliteStore(tmp_path / "hub.db").audit_log()
    assert [a.action for a in reversed(audit)] == ["key.create", "key.rotate", "key.revoke"]
    assert audit[0].reason == "leaked in a ticket" and audit[0].actor.startswith("cli:")


def test_serve_accepts_an_event_with_a_key_made_by_the_cli(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "hub.db").close()
    store = ["--store", f"sqlite:///{tmp_path / 'hub.db'}"]
    token = _logisync("keys", "create", "--system", "shop", *store).stdout.strip()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "logisync", "serve", *store, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
            time.sleep(0.1)
        response = httpx.post(
            f"{url}/v1/events",
            content=orjson.dumps(EVENT),
            headers={
                "content-type": "application/cloudevents+json",
                "authorization": f"Bearer {token}",
            },
        )
        assert response.status_code == 202, response.text
        assert httpx.get(f"{url}/readyz").json() == {"status": "ready"}
        writers = _children(server.pid)  # on SQLite the journal writer is a process of its own
        assert len(writers) == 1 and "logisync.store.journal_writer" in _command(writers[0])
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode == -15  # uvicorn shut down, then re-raised the SIGTERM it handled
    assert not Path(f"/proc/{writers[0]}").exists()  # stopped with the API, not left behind
    assert SqliteStore(tmp_path / "hub.db").counts().journal == 1


def test_serve_refuses_an_unknown_journal_writer(tmp_path: Path) -> None:
    done = _logisync(
        "serve", "--store", f"sqlite:///{tmp_path / 'hub.db'}", "--journal-writer", "fork"
    )
    assert done.returncode == 2  # refused before the configuration is read or audited
    message = " ".join(done.stderr.replace("│", " ").split())  # rich wraps the box
    assert "Invalid value for '--journal-writer'" in message
    assert "'fork' is not one of 'auto', 'process', 'thread'" in message
    assert not (tmp_path / "hub.db").exists()


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _command(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


@pytest.mark.parametrize(
    ("choice", "url", "process"),
    [
        (JournalWriter.AUTO, "sqlite:///hub.db", True),
        (JournalWriter.AUTO, "postgresql://localhost/hub", False),  # its server does the work
        (JournalWriter.PROCESS, "postgresql://localhost/hub", True),
        (JournalWriter.THREAD, "sqlite:///hub.db", False),
    ],
)
def test_the_journal_writer_is_a_process_on_sqlite_unless_told(
    choice: JournalWriter, url: str, process: bool
) -> None:
    assert _writer_process(choice, url) is process
