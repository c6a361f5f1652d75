"""A real NATS server with JetStream per test, and a plain nats-py client to look at it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from logisync.testing.nats import NatsServer, nats_server


@pytest.fixture
def nats(tmp_path: Path) -> Iterator[NatsServer]:
    with nats_server(tmp_path / "nats") as server:
        yield server


def on_server(server: NatsServer, work: Any) -> Any:
    """Run ``work(js)`` with a fresh connection to ``server`` and return its result."""
    import nats as nats_py

    async def main() -> Any:
        client = await nats_py.connect(server.url, connect_timeout=5)
        try:
            return await work(client.jetstream())
        finally:
            await client.close()

    return asyncio.run(main())
