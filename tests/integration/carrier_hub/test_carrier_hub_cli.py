"""``logisync carrier-sim`` as someone runs it: a process serving generated shipments whose
clock moves by itself, pushing to a receiver, stopping on Ctrl-C."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from typing import Any

import httpx
from carrier_hub_receiver import Receiver


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _poll(url: str, process: subprocess.Popen[str], ready: Any) -> Any:
    deadline = time.monotonic() + 30
    while True:
        assert process.poll() is None, process.communicate()
        try:
            answer = httpx.get(url).json()
            if ready(answer):
                return answer
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the carrier hub did not get there in time"
        time.sleep(0.1)


def test_cli_serves_moves_its_clock_and_pushes(receiver: tuple[Receiver, str]) -> None:
    target, receiver_url = receiver
    port = _free_port()
    command = [
        *(sys.executable, "-m", "logisync", "carrier-sim", "--port", str(port)),
        *("--seed", "4", "--shipments", "6", "--speed", "36000", "--tick-every", "0.2"),
        *("--push-ups", f"{receiver_url}/v1/webhooks/ups"),
        *("--push-fedex", f"{receiver_url}/v1/webhooks/fedex"),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        expected = _poll(f"{url}/__sim__/expected", process, lambda answer: len(answer) >= 6)
        assert {entry["carrier"] for entry in expected} <= {"ups", "fedex", "dhl", "usps"}
        _poll(f"{url}/__sim__/sent", process, lambda sent: any(m["delivered"] for m in sent))
        assert target.received
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=20)
    assert f"carrier hub on {url}" in out
