"""A real hub on loopback with a seeded day (see ``hub_day``), for the dashboard's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from logisync.store.sqlite import SqliteStore
from logisync.testing.serving import serving
from logisync.testing.target_server import TargetServer

from .hub_day import REFUSING, HubDay, seed, start_app


@pytest.fixture
def hub_day(tmp_path: Path) -> Iterator[HubDay]:
    path = tmp_path / "hub.db"
    store = SqliteStore(path)
    with TargetServer(REFUSING) as target, serving(start_app(path)) as url:
        yield seed(url, store, target)
    store.close()
