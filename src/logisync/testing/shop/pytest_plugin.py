"""The ``shop_sim`` pytest fixture: simulated Shopify stores for a test, stopped after it.

    def test_orders_arrive(shop_sim):
        shop = shop_sim(hub_url, secret="app-secret", seed=3)

The keyword arguments are those of ``logisync.testing.shop.shop_sim``. Nothing is imported
until a test asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from logisync.testing.shop.running import ShopSim


@pytest.fixture
def shop_sim() -> Iterator[Callable[..., ShopSim]]:
    """A factory of running simulated shops: ``shop_sim(hub_url=None, **options)``."""
    from logisync.testing.shop.running import shop_sim as run

    with ExitStack() as shops:

        def start(hub_url: str | None = None, **options: Any) -> ShopSim:
            return shops.enter_context(run(hub_url, **options))

        yield start
