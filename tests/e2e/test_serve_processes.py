"""Several ``logisync serve`` processes on one store, as behind a load balancer.

A sender's event may reach any process, its retry another, and copies of one event may reach
two processes at the same instant; one process is killed with SIGKILL mid-load (its in-flight
requests may have committed without answering) and started again. Whatever happens, every
event answered 202 is in the journal once, every copy answers with the first one's sequence
number, an id reused with another body is refused everywhere, and nothing refused is stored.
On both backends: several processes on one SQLite file (one machine), and on one PostgreSQL
database (as separate machines would be)."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import httpx
import orjson
import pytest

from logisync.core.keys import SUBMIT, new_key
from logisync.core.ports import AuditEntry
from logisync.store import open_store

SERVERS, EVENTS = 3, 3_000
RACED = 150  # events sent to every process at the same instant
REUSED = 30  # ids sent again with another body
STRUCTURED = {"content-type": "application/cloudevents+json"}


def _event(n: int, name: str = "") -> bytes:
    return orjson.dumps(
        {
            "specversion": "1.0",
            "id": f"e{n}",
            "source": "erp",
            "type": "product.changed",
            "subject": f"product:P{n % 400}",
            "time": "2026-03-01T10:00:00Z",
            "data": {"sku": f"P{n % 400}", "name": name or f"product {n}"},
        }
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Servers:
    """``SERVERS`` ``logisync serve`` processes on one store, each on its own port."""

    def __init__(self, store_url: str, log_dir: Path) -> None:
        self.store_url, self.log_dir = store_url, log_dir
        self.ports = [_free_port() for _ in range(SERVERS)]
        self.processes: list[subprocess.Popen[bytes] | None] = [None] * SERVERS
        self.down: set[int] = set()
        self.logs: list[BinaryIO] = []

    def start(self, index: int) -> None:
        log = (self.log_dir / f"serve-{index}.log").open("ab")
        self.logs.append(log)
        port = str(self.ports[index])
        self.processes[index] = subprocess.Popen(
            [sys.executable, "-m", "logisync", "serve", "--store", self.store_url, "--port", port],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "LOGISYNC_STORE": ""},
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url(index)}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, (self.log_dir / f"serve-{index}.log").read_text()
            time.sleep(0.1)
        self.down.discard(index)

    def kill(self, index: int) -> None:
        process = self.processes[index]
        assert process is not None
        self.down.add(index)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    def stop_all(self) -> None:
        for process in self.processes:
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        for log in self.logs:
            log.close()


@pytest.fixture(params=["sqlite", "postgres"])
def hub_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
    else:
        yield request.getfixturevalue("postgres_url")


def test_three_serve_processes_one_killed_mid_load_store_each_event_once(
    tmp_path: Path, hub_url: str
) -> None:
    store = open_store(hub_url)
    token, key = new_key(
        system="erp", scopes=frozenset({SUBMIT}), now=datetime.now(UTC), rate_limit=100_000
    )
    store.save_api_keys([key], AuditEntry("2026-03-01T00:00:00Z", "test", "key", "k", "", None))
    servers = Servers(hub_url, tmp_path)
    # event -> (status, seq, replayed) of every answer it got
    answers: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
    cut_off: list[int] = []  # the processes of requests the kill cut off
    lock = threading.Lock()
    rng = random.Random(7)
    try:
        for index in range(SERVERS):
            servers.start(index)
        clients = [
            httpx.Client(headers={"authorization": f"Bearer {token}"}, timeout=30)
            for _ in range(SERVERS)
        ]

        def send(n: int, first_choice: int, body: bytes | None = None) -> None:
            """Post to ``first_choice``; a refused or broken connection goes to the next live
            process, as a load balancer's retry would."""
            for attempt in range(SERVERS * 20):
                index = (first_choice + attempt) % SERVERS
                if index in servers.down:
                    time.sleep(0.01)
                    continue
                try:
                    response = clients[index].post(
                        f"{servers.url(index)}/v1/events",
                        content=body or _event(n),
                        headers=STRUCTURED,
                    )
                except httpx.TransportError:
                    with lock:
                        cut_off.append(index)
                    continue  # killed mid-request: it may have committed; the retry tells
                seq = response.json().get("seq", -1) if response.status_code == 202 else -1
                replayed = response.headers.get("idempotent-replayed") == "true"
                with lock:
                    answers[n].append((response.status_code, seq, replayed))
                return
            raise AssertionError(f"event {n} reached no process")

        def raced(n: int) -> None:
            """Every process gets event ``n`` at the same instant."""
            barrier = threading.Barrier(SERVERS)

            def one(index: int) -> None:
                barrier.wait()
                send(n, index)

            threads = [threading.Thread(target=one, args=(i,)) for i in range(SERVERS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        plan = list(range(EVENTS))
        copies = rng.sample(plan, EVENTS // 10)  # 10% sent twice, the copy to another process
        plan += copies
        rng.shuffle(plan)
        races = set(rng.sample(range(EVENTS), RACED))
        with ThreadPoolExecutor(12) as pool:
            futures = []
            for position, n in enumerate(plan):
                if position == len(plan) // 3:
                    servers.kill(0)  # requests to it are in flight now
                if position == 2 * len(plan) // 3:
                    servers.start(0)
                if n in races:
                    races.discard(n)
                    futures.append(pool.submit(raced, n))
                else:
                    futures.append(pool.submit(send, n, rng.randrange(SERVERS)))
            for future in futures:
                future.result()
        reused = rng.sample(range(EVENTS), REUSED)
        reuse_answers = [
            clients[i % SERVERS]
            .post(
                f"{servers.url(i % SERVERS)}/v1/events",
                content=_event(n, name="another body"),
                headers=STRUCTURED,
            )
            .status_code
            for i, n in enumerate(reused)
        ]
        for client in clients:
            client.close()
    finally:
        servers.stop_all()

    print(f"{len(cut_off)} requests cut off by the kill")
    assert reuse_answers == [409] * REUSED
    assert sorted(answers) == list(range(EVENTS))
    seq_of: dict[int, int] = {}
    for n, replies in answers.items():
        assert {status for status, _, _ in replies} == {202}, (n, replies)
        assert len({seq for _, seq, _ in replies}) == 1, (n, replies)  # every copy: the first's
        # one process stored it; every other answered it as a copy (all did, when the one
        # that stored it was killed before answering)
        assert sum(not replayed for _, _, replayed in replies) <= 1, (n, replies)
        seq_of[n] = replies[0][1]
    assert sum(len(replies) for replies in answers.values()) == EVENTS + EVENTS // 10 + RACED * 2
    assert store.counts().journal == EVENTS
    records = store.events_by_seq(sorted(seq_of.values()))
    assert len(records) == EVENTS
    for n, seq in seq_of.items():
        assert records[seq].event_id == f"e{n}"
        assert records[seq].data["name"] == f"product {n}"  # the first body, not the reuse
    store.close()
