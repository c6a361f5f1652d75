"""A whole hub in one process: the HTTP app (intake, webhooks, read API), a processor, a
delivery worker and any pollers, each in its own thread over one SQLite file.

Why it exists: the demo and end-to-end tests need the hub as it runs in production (threads
that find work on their own, real HTTP in front) without a process per part. Every thread
opens its own store handle, as separate processes would, so what they share is only the file.

    with running_hub(path, rules, {"odoo": target}, webhooks) as hub:
        post to f"{hub.url}/v1/webhooks/shop" ...
        hub.wait_idle(timeout=30)
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from logisync.api.app import create_app
from logisync.api.webhook_route import WebhookSystems
from logisync.core.clock import Clock
from logisync.core.delivery.connector import TargetConnector
from logisync.core.delivery.retry import RetryPolicy
from logisync.core.delivery.worker import DeliverySettings, DeliveryWorker
from logisync.core.processor import Processor, ProcessorSettings
from logisync.core.rules import Rules
from logisync.store.sqlite import SqliteStore
from logisync.testing.serving import serving
from logisync.ui import UiSettings

__all__ = ["Poller", "RunningHub", "running_hub"]

log = logging.getLogger(__name__)

Poller = Callable[[SqliteStore], object]
"""Called with the poller thread's own store handle, every ``poll_seconds``."""

# Retries for a demo day: a maintenance window of an hour must not dead-letter anything;
# production takes the policy from the configuration.
DEMO_RETRY = RetryPolicy(
    base_seconds=5, cap_seconds=300, max_attempts=500, max_age_seconds=6 * 3600
)


class _Loop(threading.Thread):
    """Calls ``step`` with its own store handle until stopped; pauses when it found no work."""

    def __init__(
        self,
        name: str,
        path: Path,
        step: Callable[[SqliteStore], int | None],
        stop: threading.Event,
        pause: float,
        errors: list[str],
    ) -> None:
        super().__init__(name=name, daemon=True)
        self._path, self._step, self._halt, self._pause = path, step, stop, pause
        self._errors = errors

    def run(self) -> None:
        store = SqliteStore(self._path)
        try:
            while not self._halt.is_set():
                try:
                    done = self._step(store)
                except Exception as trouble:  # a part's failure is reported, never fatal
                    log.info("%s: %s", self.name, trouble)
                    self._errors.append(f"{self.name}: {trouble}")
                    done = None
                if not done:
                    self._halt.wait(self._pause)
        finally:
            store.close()


@dataclass
class RunningHub:
    """The running hub: its base URL, its file, and a store handle for the caller's thread.

    The HTTP app serves from the start (so simulators can be told where to post); the
    processor, delivery and poller threads start with ``start_workers`` once the targets
    they write to are running."""

    url: str
    path: Path
    store: SqliteStore
    app: Any
    rules: Rules
    clock: Clock | None = None
    retry: RetryPolicy = DEMO_RETRY
    seed: int = 0
    errors: list[str] = field(default_factory=list)  # what a part's thread raised
    _halt: threading.Event = field(default_factory=threading.Event)
    _loops: list[_Loop] = field(default_factory=list)

    def start_workers(
        self,
        targets: Mapping[str, TargetConnector],
        pollers: Sequence[Poller] = (),
        poll_seconds: float = 0.5,
    ) -> None:
        """Start the processor, the delivery worker and (if any) the pollers' thread."""
        rules, retry, seed, clock = self.rules, self.retry, self.seed, self.clock
        # One processor and one worker: leases need not expire while a simulated clock jumps.
        lease = 7 * 24 * 3600.0
        made: dict[str, Any] = {}

        def process(store: SqliteStore) -> int:
            if "processor" not in made:
                settings = ProcessorSettings(lease_seconds=lease)
                made["processor"] = Processor(
                    store, rules, clock=clock, settings=settings, name="processor"
                )
            processed: int = made["processor"].run_once()
            return processed

        def deliver(store: SqliteStore) -> int:
            if "worker" not in made:
                made["worker"] = DeliveryWorker(
                    store,
                    targets,
                    clock=clock,
                    rng=random.Random(seed),
                    settings=DeliverySettings(lease_seconds=lease, retry=retry),
                    name="delivery",
                )
            sent: int = made["worker"].run_until_idle()
            return sent

        def poll(store: SqliteStore) -> None:
            for poller in pollers:
                poller(store)

        self._loops += [
            _Loop("processor", self.path, process, self._halt, 0.05, self.errors),
            _Loop("delivery", self.path, deliver, self._halt, 0.05, self.errors),
        ]
        if pollers:
            self._loops.append(
                _Loop("pollers", self.path, poll, self._halt, poll_seconds, self.errors)
            )
        for loop in self._loops:
            loop.start()

    def stop_workers(self) -> None:
        self._halt.set()
        for loop in self._loops:
            loop.join(timeout=30)

    def idle(self) -> bool:
        """Nothing journaled is unprocessed and no delivery is waiting or in flight."""
        counts = self.store.counts()
        if counts.pending_events or counts.deliveries_pending:
            return False
        return not self.store.deliveries_in_state("claimed", limit=1)

    def wait_idle(self, timeout: float, settle: float = 0.3) -> bool:
        """True once the hub stayed idle for ``settle`` seconds; False at the deadline."""
        deadline = time.monotonic() + timeout
        idle_since: float | None = None
        while time.monotonic() < deadline:
            if self.idle():
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since >= settle:
                    return True
            else:
                idle_since = None
            time.sleep(0.05)
        return False


@contextmanager
def running_hub(
    path: Path,
    rules: Rules,
    webhooks: WebhookSystems | None = None,
    *,
    clock: Clock | None = None,
    retry: RetryPolicy = DEMO_RETRY,
    seed: int = 0,
    wrap_app: Callable[[Any], Any] | None = None,
    ui: UiSettings | None = None,
) -> Iterator[RunningHub]:
    """Serve the hub until the block ends, then stop every thread and close every handle.

    ``clock`` is the processor's and the delivery worker's (a simulated one makes retries and
    Retry-After waits pass in simulated time); the HTTP app keeps the real clock, which
    senders sign their webhooks with. ``wrap_app`` wraps the ASGI app before it serves (a
    recorder of what the senders posted, for instance); ``ui`` are the dashboard's settings
    (the speed of a simulated ``clock``, for one)."""
    SqliteStore(path).close()  # migrate once, before the threads race to
    app = create_app(lambda: SqliteStore(path), None, None, webhooks, ui)
    with ExitStack() as stack:
        url = stack.enter_context(serving(wrap_app(app) if wrap_app else app))
        store = SqliteStore(path)
        stack.callback(store.close)
        hub = RunningHub(url, path, store, app, rules, clock, retry, seed)
        stack.callback(hub.stop_workers)
        yield hub
