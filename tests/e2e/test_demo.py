"""``logisync demo`` as a user runs it: a whole (small, fast) day in a subprocess, its checks
read back from the systems (the EDI retailer's and the fleet's among them), the naive
baseline's damage measured, and Ctrl-C stopping it all.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import orjson

DEMO = [sys.executable, "-m", "logisync", "demo", "--speed", "3000"]
ENV = {**os.environ, "COLUMNS": "160", "PYTHONUNBUFFERED": "1"}
PARTNER_CHECKS = {
    "every EDI order in Odoo once",
    "a 997 accepting every interchange the retailer sent",
    "every re-sent interchange absorbed (its orders journaled once)",
    "every fleet delivery's proof journaled, in its status and timeline",
    "the retailer got a 214 for every fleet delivery",
}


def test_a_small_day_passes_every_check_and_the_naive_baseline_shows_the_damage(
    tmp_path: Path,
) -> None:
    summary = tmp_path / "report.json"
    files = ["--db", str(tmp_path / "hub.db"), "--summary", str(summary)]
    done = subprocess.run(
        [*DEMO, "--orders", "10", "--seed", "2", "--exit", *files],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    report = orjson.loads(summary.read_bytes())
    assert report["passed"] and all(report["checks"].values()), report["checks"]
    assert len(report["checks"]) == 13  # the customer, stock, EDI and fleet checks ran too
    assert set(report["checks"]) >= PARTNER_CHECKS
    hub, naive = report["hub"], report["naive"]
    assert hub["duplicates"] == hub["regressions"] == hub["lost"] == 0
    # the seed's troubles: re-sent shop webhooks and shuffled, late carrier pushes
    assert hub["duplicates_absorbed"] > 0 and hub["superseded"] > 0 and hub["retried"] > 0
    assert hub["conflicts"] > 0
    assert naive["duplicates"] >= 1, naive
    assert naive["regressions"] >= 1, naive
    # naive["customer_overwritten"] is not asserted: the naive overwrite is one call with no
    # retry, and on a loaded machine flaky Odoo refused it in CI (the overwrite was lost
    # instead). The hub's side (the correction kept, a conflict recorded) is checked above.
    # the retailer's 850s: two interchanges sent twice, absorbed by the hub; the naive import
    # doubles their orders (unless flaky Odoo refused both copies' first call)
    edi, fleet = report["edi"], report["fleet"]
    assert edi["orders"] >= 2 and edi["accepted"] == edi["interchanges"] >= edi["orders"]
    assert edi["resent"] == edi["resent_absorbed"] == 2
    assert edi["hub_doubled"] == 0 and edi["naive_doubled"] >= 1
    # the fleet delivered every one of them, each proof journaled and told to the retailer
    assert fleet["routes"] >= 1
    assert fleet["delivered"] == fleet["proofs_journaled"] == fleet["statuses_to_retailer"]
    assert fleet["delivered"] == edi["orders"]
    assert "all checks passed" in done.stdout
    for check in report["checks"]:
        assert re.search(re.escape(check[:30]), done.stdout), check
    assert "/ui" in done.stdout and "/metrics" in done.stdout and "lsk_" in done.stdout


def test_ctrl_c_while_serving_stops_every_server_and_thread(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [*DEMO, "--orders", "3", "--seed", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=ENV,
    )
    assert process.stdout is not None
    seen: list[str] = []
    # readline() has no timeout: a demo that stalls before its Ctrl-C line is killed, so that
    # the test fails with what it printed instead of hanging the suite
    watchdog = threading.Timer(240, process.kill)
    watchdog.start()
    try:
        deadline = time.monotonic() + 180
        url = None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line)
            if found := re.search(r"dashboard:\s+(http://127\.0\.0\.1:\d+)/ui", line):
                url = found.group(1)
            if "press Ctrl-C" in line:
                break
        assert url is not None, "".join(seen)
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200  # still serving
        login = httpx.get(f"{url}/ui/login", timeout=5).text
        assert "Simulated clock, 3,000&times; real time" in login  # the dashboard says so
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, "".join(seen) + rest
    assert "stopped" in rest and "Traceback" not in rest
    try:
        httpx.get(f"{url}/healthz", timeout=2)
        raise AssertionError("the hub still answers after Ctrl-C")
    except httpx.TransportError:
        pass


def test_ctrl_c_in_the_middle_of_the_day_stops_it_cleanly() -> None:
    process = subprocess.Popen(
        [*DEMO, "--orders", "3", "--seed", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=ENV,
    )
    try:
        time.sleep(6)  # the day is under way: it takes at least 20 s at this speed
        assert process.poll() is None
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, out
    assert "stopped" in out and "Traceback" not in out
