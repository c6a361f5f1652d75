"""The ``tms_sim`` pytest fixture: simulated TMSs for a test, stopped after it.

Registered as a ``pytest11`` plugin beside ``odoo_sim``::

    def test_my_flow(tms_sim):
        tms = tms_sim(seed=3, post_to=hub_webhook_url)

The keyword arguments are those of ``logisync.testing.tms.tms_sim``. Nothing is imported
until a test asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from logisync.testing.tms.running import TmsSim


@pytest.fixture
def tms_sim() -> Iterator[Callable[..., TmsSim]]:
    """A factory of running simulated TMSs: ``tms_sim(seed=0, post_to=..., faults=...)``."""
    from logisync.testing.tms.running import tms_sim as run

    with ExitStack() as servers:

        def start(**options: Any) -> TmsSim:
            return servers.enter_context(run(**options))

        yield start
