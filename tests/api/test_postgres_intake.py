"""The HTTP intake on a PostgreSQL store: journaled before the 202, and group commit holds
(concurrent requests share commits), as on SQLite."""

from __future__ import annotations

import concurrent.futures
from datetime import UTC, datetime

import httpx
import orjson

from logisync.api.app import create_app
from logisync.core.keys import SUBMIT, new_key
from logisync.core.ports import AuditEntry
from logisync.store import open_store
from logisync.testing.serving import serving

from .conftest import STRUCTURED, order


def test_concurrent_requests_share_commits_on_postgres(postgres_url: str) -> None:
    store = open_store(postgres_url)
    token, key = new_key(
        system="shop", scopes=frozenset({SUBMIT}), now=datetime.now(UTC), rate_limit=10_000
    )
    store.save_api_keys([key], AuditEntry("2026-03-01T00:00:00Z", "test", "key", "k", "", None))
    app = create_app(lambda: open_store(postgres_url))
    with (
        serving(app) as url,
        httpx.Client(base_url=url, headers={"authorization": f"Bearer {token}"}) as client,
    ):

        def send(n: int) -> int:
            body = orjson.dumps(order(f"SO{n}", f"e{n}"))
            return client.post("/v1/events", content=body, headers=STRUCTURED).status_code

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(send, range(200)))
        stats = app.state.hub.committer.stats
    assert statuses == [202] * 200
    assert store.counts().journal == 200
    assert stats.events == 200
    assert stats.commits < 200  # requests that arrived during a commit joined the next one
    store.close()
