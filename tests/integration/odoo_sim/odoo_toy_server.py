"""The toy backend served over real HTTP on loopback, for the protocol tests (imported by
name: this directory is not a package, its sibling ``tests/unit/odoo_sim`` is)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
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


def as_new(served: Served) -> Served:
    """Reset a shared server to its initial records, no calls counted, no faults, and its
    client to no cookies."""
    served.backend.reset()
    served.app.control.reset_calls()
    served.app.control.faults = FaultPlan()
    served.http.cookies.clear()
    return served
