"""A real hub API on loopback over a fresh SQLite file, and keys to call it with."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from logisync.api.app import create_app
from logisync.api.services import ApiSettings, Hub
from logisync.api.webhook_route import WebhookSystems
from logisync.core.clock import Clock
from logisync.core.keys import ADMIN, READ, SUBMIT, ApiKey, new_key
from logisync.core.ports import AuditEntry
from logisync.store.journal_writer import JournalWriterProcess
from logisync.store.sqlite import SqliteStore
from logisync.testing.serving import serving

STRUCTURED = {"content-type": "application/cloudevents+json"}
BATCH = {"content-type": "application/cloudevents-batch+json"}


def order(number: str, event_id: str, source: str = "shop", **extra: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": source,
        "type": "sales_order.placed",
        "subject": f"sales_order:{number}",
        "time": "2026-03-01T10:00:00Z",
        "data": {"number": number, "channel": "web"},
        **extra,
    }


@dataclass
class RunningHub:
    url: str
    path: Path
    app: Any
    store: SqliteStore  # a handle of the test's own, to look at what was stored

    @property
    def hub(self) -> Hub:
        hub: Hub = self.app.state.hub
        return hub

    def key(
        self,
        system: str | None = "shop",
        scopes: frozenset[str] = frozenset({SUBMIT}),
        **options: Any,
    ) -> tuple[str, ApiKey]:
        token, key = new_key(system=system, scopes=scopes, now=datetime.now(UTC), **options)
        audit = AuditEntry("2026-03-01T00:00:00Z", "test", "key.create", key.key_id, "", None)
        self.store.save_api_keys([key], audit)
        return token, key

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def refusals(self) -> list[AuditEntry]:
        return [e for e in self.store.audit_log(1000) if e.action == "auth.refused"]


@pytest.fixture
def start_hub(tmp_path: Path) -> Iterator[Callable[..., RunningHub]]:
    stack: list[Any] = []

    def start(
        settings: ApiSettings | None = None,
        busy_timeout_ms: int = 10_000,
        clock: Clock | None = None,
        webhooks: WebhookSystems | None = None,
        writer_process: bool | list[str] = False,
    ) -> RunningHub:
        """``writer_process``: appends committed by a child (``True``), or by the child this
        command line starts (a faulty one, from ``logisync.testing``)."""
        path = tmp_path / f"hub{len(stack)}.db"
        store = SqliteStore(path)
        url = f"sqlite:///{path}?busy_timeout_ms={busy_timeout_ms}"
        app = create_app(
            lambda: SqliteStore(path, busy_timeout_ms=busy_timeout_ms),
            settings,
            clock,
            webhooks,
            journal_writer=_writer(url, writer_process),
        )
        context = serving(app)
        url = context.__enter__()
        stack.append((context, store))
        return RunningHub(url, path, app, store)

    yield start
    for context, store in reversed(stack):
        context.__exit__(None, None, None)
        store.close()


def _writer(url: str, writer_process: bool | list[str]) -> JournalWriterProcess | None:
    if writer_process is False:
        return None  # appends on the writer thread
    return JournalWriterProcess(url, None if writer_process is True else writer_process)


@pytest.fixture
def running(start_hub: Callable[..., RunningHub]) -> RunningHub:
    return start_hub()


__all__ = ["ADMIN", "BATCH", "READ", "STRUCTURED", "SUBMIT", "RunningHub", "order", "timedelta"]
