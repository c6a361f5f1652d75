"""Kill -9 the processor at random points; the result must equal an uninterrupted run.

A worker process is started on a journal with a backlog and killed with SIGKILL after a random
delay, again and again, then restarted until the backlog is gone. Whatever point each kill hit
(between batches, inside a commit, while holding claims), the projections, processed markers,
conflicts and deliveries must be exactly those of a clean run: nothing lost, nothing applied
twice.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from logisync.config import load_config
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.store.sqlite import SqliteStore
from logisync.testing.workload import events

CONFIG = Path(__file__).resolve().parents[2] / "src/logisync/examples/hub.yaml"
EVENTS, ENTITIES, SEED = 20000, 2000, 20261123


def _fill(path: Path) -> SqliteStore:
    store = SqliteStore(path)
    built = events(EVENTS, ENTITIES, seed=SEED)
    rng = random.Random(SEED)
    duplicated = built + rng.sample(built, len(built) // 10)  # redelivered by senders
    journal = Journal(store)
    for i in range(0, len(duplicated), 500):
        journal.append(duplicated[i : i + 500])
    return store


def _snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    queries = {
        "entities": "SELECT entity_key, version, state, provenance, meta FROM entities",
        "processed": "SELECT seq, entity_key, outcome, version, detail FROM processed_events",
        "conflicts": "SELECT entity_key, field, kind, policy, event_seq, event_id, proposed_by, "
        "proposed_value, current_value, current_source, state FROM conflicts",
        "deliveries": "SELECT target, flow, mode, priority, entity_key, entity_version, "
        "event_seq, event_id, state, coalesced FROM deliveries",
        "crosswalk": "SELECT system, external_id, entity_key FROM crosswalk",
        "pending": "SELECT entity_key FROM pending_entities",
    }
    snapshot = {name: sorted(conn.execute(sql).fetchall()) for name, sql in queries.items()}
    conn.close()
    return snapshot


def _processed(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM processed_events").fetchone()[0])
    finally:
        conn.close()


def _worker(path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "logisync",
            "process",
            "--config",
            str(CONFIG),
            "--store",
            f"sqlite:///{path}",
            "--until-idle",
            "--batch",
            "25",
            "--lease",
            "0.4",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )


def test_sigkill_at_random_points_loses_nothing_and_applies_nothing_twice(tmp_path: Path) -> None:
    rules = load_config(CONFIG).rules()
    clean = _fill(tmp_path / "clean.db")
    started = time.monotonic()
    assert Processor(clean, rules).run_until_idle() == EVENTS
    # Kills land within a tenth of a clean run's time after a worker's first commit: on any
    # machine, ten of them hit the middle of the work (a fixed 0.3 s outlasted the whole
    # backlog on a fast one).
    window = (time.monotonic() - started) / 10
    clean.close()

    crashed = _fill(tmp_path / "crashed.db")
    rng = random.Random(SEED)
    kills_mid_work = 0
    deadline = time.monotonic() + 300
    while kills_mid_work < 10 and crashed.counts().pending_entities:
        before = _processed(tmp_path / "crashed.db")
        worker = _worker(tmp_path / "crashed.db")
        while _processed(tmp_path / "crashed.db") == before and worker.poll() is None:
            assert time.monotonic() < deadline, "the worker never committed anything"
            time.sleep(0.01)  # poll until the worker is committing batches
        time.sleep(rng.uniform(0, window))  # then kill it at a random point of its work
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        if worker.returncode == -signal.SIGKILL and crashed.counts().pending_entities:
            kills_mid_work += 1
    while crashed.counts().pending_entities and time.monotonic() < deadline:
        worker = _worker(tmp_path / "crashed.db")  # claims of the last kill expire meanwhile
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()
    crashed.close()

    assert kills_mid_work == 10, "the backlog ran out before ten kills landed mid-work"
    assert _snapshot(tmp_path / "crashed.db") == _snapshot(tmp_path / "clean.db")
