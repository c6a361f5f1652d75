"""Fixtures for the protocol tests: the toy backend served over real HTTP on loopback.

``served`` shares one server per Odoo version across the session (starting and stopping
uvicorn costs ~0.2 s) and resets its records, counters and fault plan before each test;
``toy_server`` starts a fresh one for tests that need their own options.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack

import pytest
from odoo_toy_server import VERSIONS, Served, as_new, serve_toy


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
