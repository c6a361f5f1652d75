"""The ``wms_sim`` pytest fixture: simulated WMSs for a test, stopped after it.

Registered as a ``pytest11`` plugin beside ``odoo_sim``::

    def test_my_flow(wms_sim):
        wms = wms_sim(seed=3, post_to=hub_webhook_url)

The keyword arguments are those of ``logisync.testing.wms.wms_sim``. Nothing is imported
until a test asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from logisync.testing.wms.running import WmsSim


@pytest.fixture
def wms_sim() -> Iterator[Callable[..., WmsSim]]:
    """A factory of running simulated WMSs: ``wms_sim(seed=0, post_to=..., faults=...)``."""
    from logisync.testing.wms.running import wms_sim as run

    with ExitStack() as servers:

        def start(**options: Any) -> WmsSim:
            return servers.enter_context(run(**options))

        yield start
