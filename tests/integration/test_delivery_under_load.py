"""Delivery under load and under kill -9: coalescing, no loss, one effect, order per entity."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from logisync.connectors.webhook import WebhookTarget
from logisync.core.clock import ManualClock
from logisync.core.delivery.worker import DeliveryWorker
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules
from logisync.model import new_event
from logisync.store.sqlite import SqliteStore
from logisync.testing.target_server import Faults, TargetServer


def test_a_slow_target_gets_far_fewer_writes_than_updates_and_the_latest_state(
    tmp_path: Path,
) -> None:
    rules = Rules(flows=(Flow("products to shop", ("product.*",), "shop", "state"),))
    store = SqliteStore(tmp_path / "hub.db")
    clock = ManualClock()
    with TargetServer(Faults(delay_seconds=0.02)) as target:
        worker = DeliveryWorker(
            store, {"shop": WebhookTarget(target.url, max_batch=5)}, clock=clock
        )
        n = 0
        for _round in range(10):  # 1,000 updates to 10 entities, the target slower than them
            events = []
            for _ in range(10):
                for sku in range(10):
                    n += 1
                    events.append(
                        new_event(
                            "product.changed",
                            {"sku": f"P{sku}", "name": f"name {n}"},
                            source="erp",
                            id=f"u{n}",
                            time=f"2026-03-01T10:00:{n % 60:02d}Z",
                            sourceversion=n,
                        )
                    )
            Journal(store, clock).append(events)
            Processor(store, rules, clock=clock).run_until_idle()
            worker.run_once("shop")
        while worker.run_once("shop"):
            pass
        assert len(target.writes) <= 120  # against 1,000 updates
        latest = {p["entity"]: p["state"]["name"] for p in target.applied.values()}
        assert {key: latest[key] for key in sorted(latest)} == {
            f"product:P{sku}": f"name {990 + sku + 1}" for sku in range(10)
        }


def test_delivery_workers_killed_mid_batch_lose_nothing_and_apply_nothing_twice(
    tmp_path: Path,
) -> None:
    db = tmp_path / "hub.db"
    store = SqliteStore(db)
    events = [
        new_event(
            "shipment.milestone_recorded",
            {
                "shipment_number": f"S{s}",
                "milestone": code,
                "occurred_at": f"2026-03-01T1{step}:00:00Z",
            },
            source="ups",
            id=f"S{s}-{step}",
            time=f"2026-03-01T1{step}:00:00Z",
        )
        for step, code in enumerate(["picked_up", "in_transit", "out_for_delivery", "delivered"])
        for s in range(40)
    ]
    Journal(store).append(events)
    rules = Rules(flows=(Flow("scans to shop", ("shipment.*",), "shop", "event"),))
    Processor(store, rules).run_until_idle()
    rng = random.Random(11)
    with TargetServer(Faults(delay_seconds=0.05)) as target:
        config = tmp_path / "hub.yaml"
        config.write_text(
            f"store: sqlite:///{db}\nsystems:\n  ups: {{kind: ups}}\n"
            f"  shop: {{kind: webhook, url: '{target.url}', batch: 10}}\n"
            "flows:\n  - {name: scans to shop, on: [shipment.*], to: shop, mode: event}\n"
        )
        command = [
            sys.executable,
            "-m",
            "logisync",
            "deliver",
            "--config",
            str(config),
            "--until-idle",
            "--lease",
            "0.5",
        ]
        kills = 0
        deadline = time.monotonic() + 120
        while kills < 6 and time.monotonic() < deadline:
            before = len(target.writes)
            worker = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ}
            )
            while len(target.writes) == before and worker.poll() is None:
                assert time.monotonic() < deadline, "the worker never delivered"
                time.sleep(0.01)  # poll until the worker is delivering
            time.sleep(rng.uniform(0, 0.2))  # then kill it at a random point of a batch
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            kills += worker.returncode == -signal.SIGKILL
        for _attempt in range(20):  # finish; the killed workers' leases expire meanwhile
            finished = subprocess.run(command, capture_output=True, timeout=120, check=False)
            assert finished.returncode == 0, finished.stderr.decode()
            if all(d.state == "delivered" for d in store.deliveries()):
                break
            time.sleep(0.5)  # let the last lease expire
    assert kills >= 3
    expected = {f"ups:S{s}-{step}" for s in range(40) for step in range(4)}
    assert set(target.applied) == expected  # nothing lost
    for s in range(40):  # each shipment's scans reached the shop in order
        firsts = [
            k
            for i, k in enumerate(target.writes)
            if k.startswith(f"ups:S{s}-") and k not in target.writes[:i]
        ]
        assert firsts == [f"ups:S{s}-{step}" for step in range(4)]
