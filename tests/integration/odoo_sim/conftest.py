"""Fixtures for the protocol tests: the toy backend served over real HTTP on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from odoo_toy_backend import ToyOdoo

from logisync.testing.odoo.faults import FaultPlan
from logisync.testing.odoo.server import OdooApp, create_odoo_app
from logisync.testing.serving import serving

VERSIONS = [16, 17, 18, 19]


@dataclass
class Served:
    url: str
    app: OdooApp
    backend: ToyOdoo
    http: httpx.Client

    def jsonrpc(self, path: str, params: dict[str, Any], **kwargs: Any) -> httpx.Response:
        body = {"jsonrpc": "2.0", "method": "call", "params": params, "id": 7}
        return self.http.post(f"{self.url}{path}", json=body, **kwargs)


@contextmanager
def serve_toy(version: int, faults: FaultPlan | None = None, **options: Any) -> Iterator[Served]:
    backend = ToyOdoo(version)
    app = create_odoo_app(backend, faults, **options)
    with serving(app, timeout_graceful_shutdown=1) as url, httpx.Client(timeout=10) as client:
        yield Served(url, app, backend, client)


@pytest.fixture
def toy_server() -> Callable[..., AbstractContextManager[Served]]:
    """Start a toy server: ``with toy_server(17) as served: ...``."""
    return serve_toy


@pytest.fixture(params=VERSIONS, ids=[f"odoo{v}" for v in VERSIONS])
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    """A toy server for each Odoo version."""
    with serve_toy(request.param) as result:
        yield result
