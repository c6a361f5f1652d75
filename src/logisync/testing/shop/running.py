"""``shop_sim()``: a simulated Shopify store serving on loopback for the length of a block.

with shop_sim(hub_url, secret="app-secret", seed=7) as shop:
    shop.shop.place_order()              # sends a signed orders/create to hub_url
    shop.wait_sent()                     # every webhook delivered (or given up)
    ShopifyGraphql(shop.url, shop.api_version, shop.token)   # what the connector calls
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from logisync.testing.serving import serving
from logisync.testing.shop.faults import ShopFaultPlan, ShopFaults
from logisync.testing.shop.sender import DEFAULT_RETRY_DELAYS, Delivery, WebhookSender
from logisync.testing.shop.server import shop_app
from logisync.testing.shop.shop import Shop


@dataclass
class ShopSim:
    url: str
    shop: Shop
    sender: WebhookSender
    token: str
    api_version: str
    app: Any

    @property
    def sent(self) -> list[Delivery]:
        return self.sender.sent

    def wait_sent(self, timeout: float = 30.0) -> None:
        """Return once every queued webhook was delivered or given up; raise on timeout."""
        if not self.sender.wait_idle(timeout):
            raise TimeoutError(f"the shop still had webhooks to send after {timeout} s")

    def burst(self, orders: int = 50) -> list[dict[str, Any]]:
        """A flash sale: ``orders`` orders at once (50 times the usual rate of one a second,
        for a minute compressed to no time)."""
        return [self.shop.place_order() for _ in range(orders)]

    def set_faults(self, **plan: Any) -> None:
        """Change the faults while the shop runs, through its HTTP endpoint."""
        httpx.put(f"{self.url}/__sim__/faults", json=plan, timeout=5).raise_for_status()

    def fulfillments(self) -> dict[str, list[dict[str, Any]]]:
        return dict(httpx.get(f"{self.url}/__sim__/fulfillments", timeout=5).json())


@contextmanager
def shop_sim(
    hub_url: str | None = None,
    *,
    secret: str = "shop-app-secret",  # noqa: S107 - a test server's own secret
    token: str = "shpat_simulated",  # noqa: S107 - a test server's own token
    seed: int = 1,
    faults: ShopFaultPlan | None = None,
    api_version: str = "2025-07",
    shop_domain: str = "logisync-sim.myshopify.com",
    retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS,
    now: Callable[[], datetime] | None = None,
) -> Iterator[ShopSim]:
    """Run a simulated shop; webhooks go to ``hub_url`` (none are posted when it is None).
    ``now`` puts the shop's record times on a clock shared with other simulators."""
    sender = WebhookSender(hub_url, secret, shop_domain, api_version, retry_delays)
    shop = Shop(sender, ShopFaults(faults), seed, now)
    app = shop_app(shop, token)
    try:
        with serving(app) as url:
            yield ShopSim(url, shop, sender, token, api_version, app)
    finally:
        sender.close()
