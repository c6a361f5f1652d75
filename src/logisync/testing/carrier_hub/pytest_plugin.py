"""The ``carrier_hub_sim`` pytest fixture: a running carrier hub per call, stopped after the test.

Registered as a ``pytest11`` plugin beside ``odoo_sim``::

    def test_tracking(carrier_hub_sim):
        carriers = carrier_hub_sim(seed=3, push_to={"ups": receiver_url})

The keyword arguments are those of ``logisync.testing.carrier_hub.carrier_hub``. Nothing is
imported until a test asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from logisync.testing.carrier_hub.running import CarrierHubSim


@pytest.fixture
def carrier_hub_sim() -> Iterator[Callable[..., CarrierHubSim]]:
    """A factory of running carrier hubs: ``carrier_hub_sim(seed=0, push_to=..., faults=...)``."""
    from logisync.testing.carrier_hub.running import carrier_hub

    with ExitStack() as hubs:

        def start(**options: Any) -> CarrierHubSim:
            return hubs.enter_context(carrier_hub(**options))

        yield start
