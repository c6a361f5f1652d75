"""A cheap HTTP/1.1 load generator for the intake benchmark, built to stay out of the way.

Each of N connections keeps one request in flight over keep-alive; requests are pre-built
bytes (request line, headers and body), and responses are read by Content-Length in an
``asyncio.Protocol``, without an HTTP library. Every request is sent exactly once, in order,
so that each carries its own events. The first ``warmup`` answers are not timed.

The bench (``bench/intake.py``) runs this in its own process, one or more at once, and prints
the CPU it used per request, so that a reader can see it is not what limits the figures.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson


@dataclass(frozen=True)
class Request:
    raw: bytes  # the whole HTTP/1.1 request
    events: int  # how many events it carries
    batch: bool  # a batch answer says how many it accepted


@dataclass
class LoadResult:
    """What one generator saw; times are ``time.time()`` so that processes can be merged."""

    statuses: dict[str, int] = field(default_factory=dict)
    events_accepted: int = 0  # events in 202 answers (for a batch: as the answer counts them)
    measured: int = 0  # answers after the warm-up
    measured_events: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, measured answers only
    started: float = 0.0
    finished: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU over the measured window

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def build_request(path: str, host: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"host: {host}", f"content-length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class _Run:
    """The state the connections share: the queue of requests and the tallies."""

    def __init__(self, requests: list[Request], warmup: int) -> None:
        self.pending = deque(requests)
        self.outstanding = len(requests)
        self.warmup = warmup
        self.answered = 0
        self.result = LoadResult()
        self.cpu_at_start = 0.0
        self.start_perf = float("inf")  # requests sent before the warm-up ended are not timed
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def answer(self, request: Request, status: int, body: bytes, sent_at: float) -> None:
        now = time.perf_counter()
        result = self.result
        key = str(status)
        result.statuses[key] = result.statuses.get(key, 0) + 1
        events = 0
        if status == 202:
            events = request.events
            if request.batch and body != b"{}":
                events = orjson.loads(body)["accepted"]
        result.events_accepted += events
        self.answered += 1
        if self.answered == self.warmup:
            result.started = time.time()
            self.start_perf = now
            times = os.times()
            self.cpu_at_start = times.user + times.system
        elif self.answered > self.warmup and sent_at >= self.start_perf:
            result.measured += 1
            result.measured_events += events
            result.latencies.append(now - sent_at)
        self.outstanding -= 1
        if self.outstanding == 0 and not self.done.done():
            result.finished = time.time()
            times = os.times()
            result.cpu_seconds = times.user + times.system - self.cpu_at_start
            self.done.set_result(None)


class _Connection(asyncio.Protocol):
    def __init__(self, run: _Run) -> None:
        self._run = run
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._request: Request | None = None
        self._sent_at = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._send_next()

    def _send_next(self) -> None:
        assert self._transport is not None
        if not self._run.pending:
            self._request = None
            self._transport.close()
            return
        self._request = self._run.pending.popleft()
        self._sent_at = time.perf_counter()
        self._transport.write(self._request.raw)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self._buffer[:end]).lower().split(b"\r\n")
        length = 0
        for line in head[1:]:
            if line.startswith(b"content-length:"):
                length = int(line[15:])
        if len(self._buffer) < end + 4 + length:
            return
        body = bytes(self._buffer[end + 4 : end + 4 + length])
        del self._buffer[: end + 4 + length]
        assert self._request is not None
        self._run.answer(self._request, int(head[0][9:12]), body, self._sent_at)
        self._send_next()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._request is not None and not self._run.done.done():
            self._run.done.set_exception(
                ConnectionError(f"the server closed a connection with a request in flight: {exc}")
            )


async def _drive(host: str, port: int, requests: list[Request], connections: int, warmup: int):  # type: ignore[no-untyped-def]
    run = _Run(requests, warmup)
    loop = asyncio.get_running_loop()
    for _ in range(min(connections, len(requests))):
        await loop.create_connection(lambda: _Connection(run), host, port)
    await run.done
    return run.result


def drive(
    host: str, port: int, requests: list[Request], connections: int, warmup: int
) -> LoadResult:
    """Send every request once over ``connections`` keep-alive connections; wait for all."""
    result: LoadResult = asyncio.run(_drive(host, port, requests, connections, warmup))
    return result
