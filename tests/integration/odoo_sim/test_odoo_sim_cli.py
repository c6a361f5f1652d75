"""``logisync odoo-sim`` as someone runs it: a process that prints where it listens and who
can log in, answers ``version()``, takes fault changes live, and stops on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

import httpx

from logisync.testing.odoo.orm import OdooDatabase


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answering(url: str, process: subprocess.Popen[str]) -> dict[str, object]:
    deadline = time.monotonic() + 30
    while True:
        assert process.poll() is None, process.communicate()
        try:
            version: dict[str, object] = xmlrpc.client.ServerProxy(
                f"{url}/xmlrpc/2/common"
            ).version()
        except OSError:
            assert time.monotonic() < deadline, "the server did not answer in time"
            time.sleep(0.05)
        else:
            return version


def test_cli_serves_until_interrupted(tmp_path: Path) -> None:
    port, db = free_port(), tmp_path / "odoo.sqlite"
    command = [
        sys.executable,
        "-m",
        "logisync",
        "odoo-sim",
        "--port",
        str(port),
        "--db",
        str(db),
        "--version",
        "19",
        "--seed",
        "3",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        assert answering(url, process)["server_serie"] == "19.0"
        admin = httpx.put(f"{url}/__sim__/faults", json={"error_rate": 1, "error_statuses": [502]})
        assert admin.status_code == 200
        assert httpx.post(f"{url}/jsonrpc", json={"params": {}}).status_code == 502
        assert httpx.get(f"{url}/__sim__/calls").json()["jsonrpc"] == 1
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert f"Odoo 19 test server at {url}, database 'odoo'" in out
    assert "user 'integration' password 'integration' API key integration-api-key-" in out
    assert db.exists(), "the database is kept for the next run"


def test_cli_refuses_an_unknown_version(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "logisync",
        "odoo-sim",
        "--version",
        "15",
        "--db",
        str(tmp_path / "x.sqlite"),
    ]
    wide = {**os.environ, "COLUMNS": "200"}
    refused = subprocess.run(
        command, capture_output=True, text=True, timeout=60, check=False, env=wide
    )
    assert refused.returncode == 2
    assert "greater than or equal to 16" in refused.stderr


def test_cli_refuses_a_file_of_another_version(tmp_path: Path) -> None:
    db = tmp_path / "odoo18.sqlite"
    OdooDatabase(db, version=18).close()
    command = [sys.executable, "-m", "logisync", "odoo-sim", "--version", "17", "--db", str(db)]
    wide = {**os.environ, "COLUMNS": "200"}
    refused = subprocess.run(
        command, capture_output=True, text=True, timeout=60, check=False, env=wide
    )
    assert refused.returncode == 2
    assert "this file holds an Odoo 18 database, not 17" in refused.stderr


def test_cli_refuses_a_custom_field_odoo_would_not_accept(tmp_path: Path) -> None:
    db = tmp_path / "odoo.sqlite"
    wide = {**os.environ, "COLUMNS": "200"}
    for declared, reason in (
        ("stock.picking:carrier_status:char", "Odoo names custom fields x_"),
        ("stock.picking", "is not model:x_name:type"),
    ):
        command = [sys.executable, "-m", "logisync", "odoo-sim", "--db", str(db)]
        refused = subprocess.run(
            [*command, "--custom-field", declared],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env=wide,
        )
        assert refused.returncode == 2
        assert reason in refused.stderr
