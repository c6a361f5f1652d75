"""HTTP intake benchmark (issue 5), each figure beside its baseline from the same run.

    python bench/intake.py [--events 6000] [--batch-events 30000] [--connections 32]
                           [--batch-connections 8] [--generators 1] [--only single,batch]

- single: one structured CloudEvent per ``POST /v1/events``, answered 202 only once it is
  durably journaled (group commit, ``synchronous=FULL``), beside a bare FastAPI app with the
  same route that reads the body and answers 202 without storing anything. Target: ratio >= 0.7.
- batch: 100 events per ``POST /v1/events/batch`` (``application/cloudevents-batch+json``),
  beside the same bare app. Target: >= 30,000 events/s.

The server runs in its own process under uvicorn (one worker, no access log, log level warning)
over a fresh SQLite file, its journal appends committed by a process of their own as ``logisync
serve`` does on SQLite ("server CPU" counts both), with one API key per sending system (shop,
wms, ups; each request carries its system's key; the keys' rate limit is raised so that the
bench measures intake, not the 429 path). The load generator (``http_load.py``) runs in one or
more other processes; its CPU per request is printed so that a reader can see it is not the
bottleneck. Every request
carries distinct events from ``logisync.testing.workload``; only 202 answers count, and after
the run the journal must hold exactly the events sent. The server prints its group-commit
stats when it stops.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import pickle
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request as HttpRequest

from http_load import Request, build_request, drive
from percentiles import percentiles

SYSTEMS = ("shop", "wms", "ups")
STRUCTURED = "application/cloudevents+json"
BATCH = "application/cloudevents-batch+json"
TICKS = os.sysconf("SC_CLK_TCK")


def _bare_app() -> Any:
    """The baseline: same routes and method, reads the body, stores nothing."""
    from fastapi import FastAPI
    from starlette.responses import Response

    app = FastAPI()

    async def accept(request: HttpRequest) -> Response:
        await request.body()
        return Response(b"{}", status_code=202, media_type="application/json")

    app.post("/v1/events", status_code=202)(accept)
    app.post("/v1/events/batch", status_code=202)(accept)
    return app


def _serve(kind: str, path: str) -> None:
    """Child: serve until SIGINT; then print the group-commit stats (hub) as JSON."""
    import uvicorn

    if kind == "hub":
        from logisync.api.app import create_app
        from logisync.store import open_store
        from logisync.store.journal_writer import JournalWriterProcess

        url = f"sqlite:///{path}"
        # as `logisync serve` runs on SQLite: appends committed by a process of their own
        app = create_app(lambda: open_store(url), journal_writer=JournalWriterProcess(url))
    else:
        app = _bare_app()
    # IPPROTO_TCP, as uvicorn's own bind makes it: asyncio sets TCP_NODELAY on the accepted
    # connections only then; without it an answer written in two parts waits ~40 ms for the
    # client's delayed ACK (Nagle), and the bench would measure that instead of the server.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    print(json.dumps({"port": sock.getsockname()[1]}), flush=True)
    if kind == "hub":
        from logisync.cli_process import collect_garbage_less_often

        collect_garbage_less_often()  # as `logisync serve` runs
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", workers=1)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the SIGINT it handled
        uvicorn.Server(config).run(sockets=[sock])
    stats = vars(app.state.hub.committer.stats) if kind == "hub" else {}
    print(json.dumps(stats), flush=True)


def _load(requests_file: str, port: str, connections: str, warmup: str) -> None:
    """Child: drive the server with the pickled requests; print what it saw as JSON."""
    with open(requests_file, "rb") as file:
        requests = [Request(*r) for r in pickle.load(file)]
    result = drive("127.0.0.1", int(port), requests, int(connections), int(warmup))
    print(json.dumps(result.as_json()))


class Server:
    """A server child process: ``hub`` over ``path``, or ``bare``."""

    def __init__(self, kind: str, path: Path | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--child", "serve", kind, str(path or "")],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.port = json.loads(self.process.stdout.readline())["port"]
        deadline = time.monotonic() + 30
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the {kind} server did not start")
            time.sleep(0.05)

    def _answers(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/bench-probe")
            connection.getresponse().read()
            connection.close()
            return True
        except OSError:
            return False

    def cpu_seconds(self) -> float:
        """The server's CPU time and its children's (the hub's journal writer process)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return sum(_cpu_seconds(int(p)) for p in [pid, *children])

    def stop(self) -> dict[str, Any]:
        self.process.send_signal(signal.SIGINT)
        out, _ = self.process.communicate(timeout=60)
        if self.process.returncode != 0:
            raise RuntimeError(f"the server exited with {self.process.returncode}")
        return json.loads(out.strip().splitlines()[-1])


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _prepare_store(path: Path) -> dict[str, str]:
    """A fresh, migrated store with one submit key per system; returns the tokens."""
    from logisync.core.keys import SUBMIT, new_key
    from logisync.core.ports import AuditEntry
    from logisync.store.sqlite import SqliteStore

    store = SqliteStore(path)
    tokens = {}
    for system in SYSTEMS:
        token, key = new_key(
            system=system, scopes=frozenset({SUBMIT}), now=datetime.now(UTC), rate_limit=1e9
        )
        audit = AuditEntry("2026-03-01T00:00:00Z", "bench", "key.create", key.key_id, "", None)
        store.save_api_keys([key], audit)
        tokens[system] = token
    store.close()
    return tokens


def _requests(
    events: list[tuple[str, str, bytes]], tokens: dict[str, str], batch: int
) -> list[Request]:
    """(source, id, structured JSON) -> requests; a batch holds events of one system only
    (a key speaks for one system); batches of the systems are interleaved."""
    if batch == 1:
        return [
            Request(
                build_request(
                    "/v1/events",
                    "127.0.0.1",
                    {"content-type": STRUCTURED, "authorization": f"Bearer {tokens[source]}"},
                    body,
                ),
                1,
                False,
            )
            for source, _, body in events
        ]
    chunks: dict[str, list[list[bytes]]] = {s: [] for s in SYSTEMS}
    for source, _, body in events:
        if not chunks[source] or len(chunks[source][-1]) == batch:
            chunks[source].append([])
        chunks[source][-1].append(body)
    out = []
    for turn in range(max(len(c) for c in chunks.values())):
        for source in SYSTEMS:
            if turn < len(chunks[source]):
                items = chunks[source][turn]
                headers = {"content-type": BATCH, "authorization": f"Bearer {tokens[source]}"}
                body = b"[" + b",".join(items) + b"]"
                out.append(
                    Request(
                        build_request("/v1/events/batch", "127.0.0.1", headers, body),
                        len(items),
                        True,
                    )
                )
    return out


def _run(
    server: Server, requests: list[Request], connections: int, generators: int, folder: Path
) -> dict[str, Any]:
    """Drive ``server`` with ``generators`` processes at once; merge what they saw."""
    procs = []
    for g in range(generators):
        part = requests[g::generators]
        file = folder / f"requests-{g}.pickle"
        file.write_bytes(pickle.dumps([(r.raw, r.events, r.batch) for r in part]))
        warmup = max(1, len(part) // 50)
        args = [str(file), str(server.port), str(max(1, connections // generators)), str(warmup)]
        procs.append(
            subprocess.Popen(
                [sys.executable, __file__, "--child", "load", *args],
                stdout=subprocess.PIPE,
                text=True,
            )
        )
    cpu_before, wall_before = server.cpu_seconds(), time.monotonic()
    parts = []
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError("a load generator failed")
        parts.append(json.loads(out))
    server_cpu = (server.cpu_seconds() - cpu_before) / (time.monotonic() - wall_before)
    seconds = max(p["finished"] for p in parts) - min(p["started"] for p in parts)
    figures = percentiles(x for p in parts for x in p["latencies"])
    statuses: dict[str, int] = {}
    for p in parts:
        for status, n in p["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    measured = sum(p["measured"] for p in parts)
    return {
        "requests_per_s": measured / seconds,
        "events_per_s": sum(p["measured_events"] for p in parts) / seconds,
        "p50_ms": figures["p50"],
        "p99_ms": figures["p99"],
        "statuses": statuses,
        "events_accepted": sum(p["events_accepted"] for p in parts),
        "server_cpu": server_cpu,
        "generator_us_per_request": 1e6 * sum(p["cpu_seconds"] for p in parts) / measured,
    }


def _journal(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT source, event_id FROM journal").fetchall()


def _line(name: str, r: dict[str, Any], extra: str = "") -> str:
    return (
        f"  {name}: {r['requests_per_s']:>8,.0f} requests/s {r['events_per_s']:>9,.0f} events/s"
        f"   p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms   server CPU "
        f"{r['server_cpu']:.2f} cores   generator {r['generator_us_per_request']:.0f} "
        f"µs CPU/request   answers {r['statuses']}{extra}"
    )


def measure(
    mode: str,
    events: list[tuple[str, str, bytes]],
    connections: int,
    generators: int,
    folder: Path,
) -> None:
    batch = 1 if mode == "single" else 100
    path = folder / f"hub-{mode}.db"
    tokens = _prepare_store(path)
    requests = _requests(events, tokens, batch)
    bare_server = Server("bare")
    bare = _run(bare_server, requests, connections, generators, folder)
    bare_server.stop()
    hub_server = Server("hub", path)
    hub = _run(hub_server, requests, connections, generators, folder)
    stats = hub_server.stop()
    journal = _journal(path)
    sent = {(source, event_id) for source, event_id, _ in events}
    exact = len(journal) == len(sent) and set(journal) == sent
    ok = exact and hub["events_accepted"] == len(events)
    route = "POST /v1/events" if batch == 1 else "POST /v1/events/batch (100 events a request)"
    print(
        f"{mode}: {route}, {len(events):,} events in {len(requests):,} requests, "
        f"{connections} connections, {generators} generator process(es)"
    )
    per_commit = stats["events"] / max(1, stats["commits"])
    print(
        _line(
            "hub ",
            hub,
            f"   commits {stats['commits']:,} ({per_commit:.1f} events, "
            f"{stats['requests'] / max(1, stats['commits']):.1f} requests each)",
        )
    )
    print(_line("bare", bare))
    ratio = hub["requests_per_s"] / bare["requests_per_s"]
    target = "target ratio >= 0.7" if batch == 1 else "target >= 30,000 events/s"
    print(
        f"  ratio {ratio:.2f}   {target}   journal: {len(journal):,} rows for {len(sent):,} "
        f"events sent, {hub['events_accepted']:,} acknowledged 202 -> "
        f"{'exactly the events sent' if ok else 'MISMATCH'}"
    )
    if not ok:
        raise SystemExit("the journal does not hold exactly the events acknowledged")


def _workload(count: int) -> list[tuple[str, str, bytes]]:
    import orjson

    from logisync.testing.workload import events as make_events

    return [
        (e.source, e.id, orjson.dumps(e.model_dump(mode="json", exclude_none=True)))
        for e in make_events(count, max(1, count // 10))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--events", type=int, default=6_000, help="single-event requests")
    parser.add_argument("--batch-events", type=int, default=30_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--batch-connections", type=int, default=8)
    parser.add_argument("--generators", type=int, default=1)
    parser.add_argument("--only", default="single,batch")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        {"serve": _serve, "load": _load}[kind](*rest)
        return
    wanted = args.only.split(",")
    sizes = [args.events if m == "single" else args.batch_events for m in wanted]
    print(f"logisync intake benchmark (uvicorn, 1 worker, loopback; {os.cpu_count()} CPUs)")
    built = _workload(max(sizes))
    with tempfile.TemporaryDirectory() as tmp:
        for mode, size in zip(wanted, sizes, strict=True):
            connections = args.connections if mode == "single" else args.batch_connections
            measure(mode, built[:size], connections, args.generators, Path(tmp))


if __name__ == "__main__":
    main()
