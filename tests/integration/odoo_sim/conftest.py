"""Fixtures for the protocol tests: the toy backend served over real HTTP on loopback.

``served`` shares one server per Odoo version across the session (starting and stopping
uvicorn costs ~0.2 s) and resets its records, counters and fault plan before each test;
``toy_server`` starts a fresh one for tests that need their own options.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
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
    """Start a toy server: ``with toy_server(17, faults, list_db=False) as served: ...``."""
    return serve_toy


@pytest.fixture(scope="session")
def shared_servers() -> Iterator[Callable[[int], Served]]:
    servers: dict[int, Served] = {}
    with ExitStack() as stack:

        def get(version: int) -> Served:
            if version not in servers:
                servers[version] = stack.enter_context(serve_toy(version))
            return servers[version]

        yield get


@pytest.fixture(params=VERSIONS, ids=[f"odoo{v}" for v in VERSIONS])
def served(request: pytest.FixtureRequest, shared_servers: Callable[[int], Served]) -> Served:
    """A toy server for each Odoo version, as good as new: initial records, no calls counted,
    no faults, a client without cookies."""
    return as_new(shared_servers(request.param))


def as_new(served: Served) -> Served:
    """Reset a shared server to its initial records, no calls counted, no faults, and its
    client to no cookies."""
    served.backend.reset()
    served.app.control.reset_calls()
    served.app.control.faults = FaultPlan()
    served.http.cookies.clear()
    return served
