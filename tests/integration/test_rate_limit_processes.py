"""The per-target rate limit holds across worker processes (state shared in the store)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules
from logisync.model import new_event
from logisync.store.sqlite import SqliteStore
from logisync.testing.target_server import TargetServer

RATE = 40  # per second, for the target together


def test_two_worker_processes_together_never_exceed_the_targets_token_bucket(
    tmp_path: Path,
) -> None:
    db = tmp_path / "hub.db"
    store = SqliteStore(db)
    Journal(store).append(
        [
            new_event(
                "product.changed",
                {"sku": f"P{n}", "name": "x"},
                source="erp",
                id=f"p{n}",
                time="2026-03-01T10:00:00Z",
            )
            for n in range(1200)
        ]
    )
    Processor(
        store, Rules(flows=(Flow("to shop", ("product.*",), "shop", "state"),))
    ).run_until_idle()
    with TargetServer() as target:
        config = tmp_path / "hub.yaml"
        config.write_text(
            f"store: sqlite:///{db}\nsystems:\n  erp: {{kind: odoo}}\n"
            f"  shop: {{kind: webhook, url: '{target.url}', rate_limit: {RATE}/s, batch: 5}}\n"
            "flows:\n  - {name: to shop, on: [product.*], to: shop}\n"
        )
        command = [sys.executable, "-m", "logisync", "deliver", "--config", str(config)]
        workers = [
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        try:
            deadline = time.monotonic() + 60
            while len(target.write_times) < 60:  # both warmed up and sending
                assert time.monotonic() < deadline, "the workers never got going"
                assert all(w.poll() is None for w in workers), workers[0].stderr.read().decode()
                time.sleep(0.05)
            start = time.monotonic()
            while time.monotonic() < start + 12:
                time.sleep(0.1)  # the measured window runs in real time
        finally:
            for worker in workers:
                worker.terminate()
                worker.wait(timeout=10)
    # A token bucket lets through at most rate x seconds + burst (the tokens saved up while the
    # workers were held up, e.g. by a loaded machine) in any span; a batch takes its tokens at
    # once. The bound must hold for every span, loaded machine or not; the lower bound only
    # checks that the two workers together did go at about the rate.
    burst, batch = RATE, 5
    window = [t for t in target.write_times if start + 1 <= t < start + 11]
    assert len(window) <= RATE * 10 + burst + batch, len(window)
    assert len(window) >= RATE * 10 * 0.75, len(window)
    times = sorted(target.write_times)
    for i, first in enumerate(times):
        within = sum(1 for t in times[i : i + 3 * RATE] if t < first + 1.0)
        assert within <= RATE + burst + batch, (first, within)
