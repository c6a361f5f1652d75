"""The ``odoo_sim`` pytest fixture: Odoo test servers for a test, stopped after it.

Registered as a ``pytest11`` plugin, so a project that installs logisync can use it without
a conftest::

    def test_my_connector(odoo_sim):
        odoo = odoo_sim(18, faults=FaultPlan(error_rate=0.2, seed=7))
        client = MyConnector(odoo.url, odoo.database, odoo.user.login, odoo.user.password)

Each call starts a server on a fresh database in the test's ``tmp_path`` (``path=`` to choose
the file); the keyword arguments are those of ``logisync.testing.odoo.odoo_sim``. Nothing is
imported until a test asks for the fixture, so the plugin costs other test runs nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from logisync.testing.odoo.running import OdooSim


@pytest.fixture
def odoo_sim(tmp_path: Path) -> Iterator[Callable[..., OdooSim]]:
    """A factory of running Odoo test servers: ``odoo_sim(version=17, **options)``."""
    from logisync.testing.odoo.running import odoo_sim as run

    numbers = itertools.count(1)
    with ExitStack() as servers:

        def start(version: int = 17, **options: Any) -> OdooSim:
            options.setdefault("path", tmp_path / f"odoo{version}-{next(numbers)}.sqlite")
            return servers.enter_context(run(version, **options))

        yield start
