"""A programmable delivery target: a real HTTP server on loopback that fails on command.

It upserts every item it receives by its idempotency key (as a well-behaved target does) and
records every write, so tests can assert exactly-once effects. Faults are set at start or live
through ``POST /admin/faults``: a share of 5xx answers, 429 with Retry-After, a delay, a
timeout *after* the write was applied, and downtime. ``GET /admin/writes`` shows what it holds.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Faults:
    error_rate: float = 0.0  # share of batches answered 503
    throttle_rate: float = 0.0  # share of batches answered 429
    retry_after_seconds: float = 1.0
    delay_seconds: float = 0.0
    hang_after_apply_rate: float = 0.0  # apply, then never answer within the client's timeout
    hang_seconds: float = 5.0
    down: bool = False
    refuse_keys: list[str] = field(default_factory=list)  # answered 422 per item


class TargetServer:
    """``with TargetServer() as target: target.url ...``"""

    def __init__(self, faults: Faults | None = None, seed: int = 0) -> None:
        self.faults = faults or Faults()
        self.applied: dict[str, Any] = {}
        self.writes: list[str] = []  # every applied write, repeats included
        self.write_times: list[float] = []  # time.monotonic() of each write
        self.calls = 0
        self.headers: list[dict[str, str]] = []  # each delivery request's headers, lowercased
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> TargetServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, items: list[dict[str, Any]]) -> tuple[int, dict[str, str], Any, float]:
        with self._lock:
            self.calls += 1
            faults = self.faults
            if faults.down:
                return 503, {"Retry-After": "1"}, {"error": "down for maintenance"}, 0.0
            roll = self._rng.random()
            if roll < faults.error_rate:
                return 503, {}, {"error": "injected failure"}, 0.0
            if roll < faults.error_rate + faults.throttle_rate:
                retry = {"Retry-After": str(faults.retry_after_seconds)}
                return 429, retry, {"error": "slow down"}, 0.0
            results = []
            for item in items:
                key = item["idempotency_key"]
                if key in faults.refuse_keys:
                    results.append({"status": 422, "error": f"{key} refused by the target"})
                    continue
                self.applied[key] = item["payload"]
                self.writes.append(key)
                self.write_times.append(time.monotonic())
                results.append({"status": 200, "id": key})
            hang = faults.hang_seconds if self._rng.random() < faults.hang_after_apply_rate else 0
            return 200, {}, {"results": results}, hang + faults.delay_seconds

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> Any:
                return json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def do_POST(self) -> None:
                if self.path == "/admin/faults":
                    with server._lock:
                        server.faults = Faults(**self._body())
                    self._send(200, {"ok": True})
                    return
                with server._lock:
                    server.headers.append({k.lower(): v for k, v in self.headers.items()})
                status, headers, body, pause = server._answer(self._body()["items"])
                if pause:
                    time.sleep(pause)  # the injected latency or hang, not a test wait
                self._send(status, body, headers)

            def do_GET(self) -> None:
                with server._lock:
                    body = {"applied": server.applied, "writes": server.writes}
                self._send(200, body)

        return Handler
