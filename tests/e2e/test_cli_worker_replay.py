"""``logisync worker`` (one process, one graceful stop) and ``logisync replay`` (the same
command as ``dlq replay``), through the installed console script against a real HTTP target."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from operator_shell import SCRIPT, logisync, logisync_json

from logisync.cli_exit import ExitCode
from logisync.core.journal import Journal
from logisync.model import new_event
from logisync.store.sqlite import SqliteStore
from logisync.testing.file_drop import drop_renamed
from logisync.testing.target_server import Faults, TargetServer

PRODUCTS = b"SKU;Name\r\nP-1;Widget\r\nP-2;Gadget\r\n"


def hub_config(tmp_path: Path, target_url: str) -> Path:
    path = tmp_path / "hub.yaml"
    path.write_text(
        f"store: sqlite:///{tmp_path / 'hub.db'}\n"
        "systems:\n"
        "  erp: {kind: odoo}\n"
        f"  shop: {{kind: webhook, url: '{target_url}/deliveries'}}\n"
        "  wms:\n"
        "    kind: csv\n"
        f"    inbox: {tmp_path / 'in'}\n"
        f"    processed: {tmp_path / 'done'}\n"
        f"    failed: {tmp_path / 'failed'}\n"
        "    quiet_seconds: 0\n"
        "    import:\n"
        "      event: product.changed\n"
        "      delimiter: ';'\n"
        "      columns: {SKU: sku, Name: name}\n"
        "flows:\n"
        "  - {name: products to the shop, on: [product.*], to: shop, mode: event}\n"
    )
    return path


def wait_for(condition, what: str, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_the_worker_watches_processes_and_delivers_then_stops_gracefully(tmp_path: Path) -> None:
    with TargetServer() as target:
        config = hub_config(tmp_path, target.url)
        worker = subprocess.Popen(
            [str(SCRIPT), "worker", "--config", str(config), "--interval", "0.2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "LOGISYNC_STORE": ""},
        )
        try:
            drop_renamed(tmp_path / "in", "products.csv", PRODUCTS)
            wait_for(lambda: len(target.applied) == 2, "the deliveries")
            worker.send_signal(signal.SIGTERM)
            _, err = worker.communicate(timeout=60)
        finally:
            worker.kill()
    assert worker.returncode == ExitCode.OK, err
    assert "running processor, deliveries, watch" in err and "worker: stopped" in err
    assert (tmp_path / "done" / "products.csv").exists()
    assert "'P-1'" in str(target.applied) and "'P-2'" in str(target.applied)
    with sqlite3.connect(tmp_path / "hub.db") as db:  # nothing left claimed
        assert db.execute("SELECT count(*) FROM deliveries WHERE state = 'claimed'").fetchone() == (
            0,
        )
        assert db.execute(
            "SELECT count(*) FROM pending_entities WHERE claim_token IS NOT NULL"
        ).fetchone() == (0,)


def test_the_worker_refuses_an_unknown_component(tmp_path: Path) -> None:
    config = hub_config(tmp_path, "http://127.0.0.1:9")
    done = logisync("worker", "--config", str(config), "--skip", "everything")
    assert done.returncode == ExitCode.USAGE and "unknown component everything" in done.stderr


@pytest.mark.parametrize(
    ("options", "why"),
    [
        (["--role", "deliveries"], "--role is for one process"),
        (["--skip", "processor", "--skip", "deliveries"], "scales the processor and the"),
    ],
)
def test_several_worker_processes_refuse_what_would_leave_one_idle(
    tmp_path: Path, options: list[str], why: str
) -> None:
    """A child with nothing to run exits and would be restarted forever: refused up front."""
    config = hub_config(tmp_path, "http://127.0.0.1:9")
    done = logisync("worker", "--config", str(config), "--processes", "2", *options)
    assert done.returncode == ExitCode.USAGE and why in done.stderr


def test_replay_by_filter_or_id_is_the_same_command_as_dlq_replay(tmp_path: Path) -> None:
    with TargetServer(Faults(refuse_keys=["erp:p2", "erp:p3"])) as target:
        config = hub_config(tmp_path, target.url)
        store = SqliteStore(tmp_path / "hub.db")
        Journal(store).append(
            [
                new_event(
                    "product.changed",
                    {"sku": f"P{n}", "name": "x"},
                    source="erp",
                    id=f"p{n}",
                    time="2026-11-23T10:00:00Z",
                )
                for n in (1, 2, 3)
            ]
        )
        hub = ("--config", str(config))
        assert logisync("process", *hub, "--until-idle").returncode == 0
        assert logisync("deliver", *hub, "--until-idle").returncode == 0
        dead = logisync_json("dlq", "list", *hub)["dead_letters"]
        assert sorted(d["entity_key"] for d in dead) == ["product:P2", "product:P3"]
        ids = {d["entity_key"]: d["delivery_id"] for d in dead}
        first, second = ids["product:P2"], ids["product:P3"]
        shown = logisync_json("dlq", "show", str(first), *hub)
        assert shown["history"][0]["outcome"] == "permanent" and shown["state"] == "dead"
        assert logisync("dlq", "show", "999", *hub).returncode == ExitCode.NOT_FOUND

        dry = logisync("replay", *hub, "--error", "refused", "--dry-run", "--reason", "x")
        assert sorted(dry.stdout.split()) == sorted([str(first), str(second)])
        assert len(logisync_json("dlq", "list", *hub)["dead_letters"]) == 2  # nothing queued
        assert logisync("replay", *hub, "--reason", "x").returncode == ExitCode.USAGE
        assert logisync("replay", "999", *hub, "--reason", "x").returncode == ExitCode.NOT_FOUND

        target.faults = Faults()
        one = logisync("dlq", "replay", str(first), *hub, "--reason", "names fixed")
        assert one.returncode == ExitCode.OK and "queued again: 1 of 1" in one.stdout
        rest = logisync("replay", *hub, "--target", "shop", "--remap", "--reason", "names fixed")
        assert rest.returncode == ExitCode.OK, rest.stderr
        assert "queued again: 1 of 1" in rest.stdout and "replaying dead letters" in rest.stderr
        again = logisync("replay", str(second), *hub, "--reason", "twice")
        assert again.returncode == ExitCode.NOT_FOUND  # no longer dead
        assert logisync("deliver", *hub, "--until-idle").returncode == 0
    assert "erp:p2" in target.applied  # as it was sent
    assert any(key.startswith("product:P3@") for key in target.applied)  # its state, remapped
    replays = [e for e in store.audit_log() if e.action == "dlq.replay"]
    assert len(replays) == 2 and {e.reason for e in replays} == {"names fixed"}


def test_redrive_queues_every_entity_again_with_a_progress_bar(tmp_path: Path) -> None:
    config = hub_config(tmp_path, "http://127.0.0.1:9")
    store = SqliteStore(tmp_path / "hub.db")
    Journal(store).append(
        [
            new_event(
                "product.changed",
                {"sku": "P1", "name": "x"},
                source="erp",
                id="p1",
                time="2026-11-23T10:00:00Z",
            )
        ]
    )
    assert logisync("process", "--config", str(config), "--until-idle").returncode == 0
    done = logisync("redrive", "shop", "--config", str(config), "--reason", "restored")
    assert done.returncode == ExitCode.OK, done.stderr
    assert "queued 1 entities for shop" in done.stdout and "queueing for shop" in done.stderr
    bad = logisync("redrive", "shop", "--config", str(config), "--reason", "x", "--domain", "y")
    assert bad.returncode == ExitCode.USAGE
