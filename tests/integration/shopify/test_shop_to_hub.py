"""The simulated shop's webhooks through the hub's real webhook route into its projections,
and a dispatched shipment's fulfilment back to the shop through the delivery worker."""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from logisync.api.app import create_app
from logisync.api.webhook_route import WebhookSystems
from logisync.connectors.shopify import ShopifyGraphql, ShopifyTarget
from logisync.core.clock import ManualClock
from logisync.core.delivery.worker import DeliveryWorker
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules
from logisync.model import new_event
from logisync.store.sqlite import SqliteStore
from logisync.testing.serving import serving
from logisync.testing.shop import ShopFaultPlan, ShopSim

SECRET = "shop-app-secret"
GOLDEN = Path(__file__).parents[2] / "golden" / "shopify"
RULES = Rules(flows=(Flow("fulfilments", ("shipment.dispatched",), "shop", "state"),))


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    path = tmp_path / "hub.db"
    systems = {"shop": ("shopify", {"scheme": "shopify", "secret": "env:SHOP"})}
    webhooks = WebhookSystems(systems, {"env:SHOP": SECRET}.__getitem__)
    app = create_app(lambda: SqliteStore(path), None, None, webhooks)
    with serving(app) as url:
        yield url, path


def processed(path: Path) -> SqliteStore:
    store = SqliteStore(path)
    Processor(store, RULES, clock=ManualClock()).run_until_idle()
    return store


def quantities(store: SqliteStore, number: str) -> dict[str, Decimal]:
    projection = store.get_projection(f"sales_order:{number}")
    assert projection is not None, number
    lines = projection.state["lines"]
    return {line["sku"]: Decimal(line["quantity"]["value"]) for line in lines}


def shop_quantities(order: dict[str, Any]) -> dict[str, Decimal]:
    return {line["sku"]: Decimal(line["quantity"]) for line in order["line_items"]}


def post(url: str, topic: str, body: bytes, webhook_id: str, secret: str = SECRET) -> int:
    digest = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    headers = {
        "content-type": "application/json",
        "x-shopify-topic": topic,
        "x-shopify-hmac-sha256": digest,
        "x-shopify-webhook-id": webhook_id,
    }
    return httpx.post(f"{url}/v1/webhooks/shop", content=body, headers=headers).status_code


def test_signature_dedup_and_a_late_update_superseded(hub: tuple[str, Path]) -> None:
    url, path = hub
    created = (GOLDEN / "orders_create.json").read_bytes()
    newer = (GOLDEN / "orders_updated.json").read_bytes()
    older = orjson.loads(newer)
    older["updated_at"] = "2026-03-02T11:00:00+01:00"
    older["line_items"][1]["quantity"] = 7
    assert post(url, "orders/create", created, "w1", secret="not-the-secret") == 401
    assert post(url, "orders/create", created, "w1") == 202
    assert post(url, "orders/create", created, "w1") == 200  # Shopify's retry: a duplicate
    assert post(url, "orders/updated", newer, "w2") == 202
    assert post(url, "orders/updated", orjson.dumps(older), "w3") == 202  # arrived late
    assert post(url, "products/create", b"{}", "w4") == 422
    store = processed(path)
    try:
        assert quantities(store, "1001") == {"MUG-BLUE": 2, "TEE-M": 3}
        assert store.get_projection("partner:shop-7204113301") is not None
    finally:
        store.close()


def test_the_shops_orders_reach_the_projections_and_fulfilments_come_back(
    hub: tuple[str, Path], shop_sim: Callable[..., ShopSim]
) -> None:
    url, path = hub
    faults = ShopFaultPlan(duplicate_rate=0.3, reorder_rate=0.3, late_rate=0.4, seed=11)
    shop = shop_sim(f"{url}/v1/webhooks/shop", secret=SECRET, seed=3, faults=faults)
    orders = [shop.shop.place_order() for _ in range(6)]
    for order in orders[:4]:
        shop.shop.update_order(order["id"])
    shop.shop.flush_held()
    shop.wait_sent()
    assert all(delivery.delivered for delivery in shop.sent)
    assert any(delivery.statuses == [200] for delivery in shop.sent)  # a duplicate was sent
    store = processed(path)
    try:
        for order in orders:
            number = order["name"].lstrip("#")
            assert quantities(store, number) == shop_quantities(shop.shop.orders[order["id"]])
        first = orders[0]["name"].lstrip("#")
        dispatch = new_event(
            "shipment.dispatched",
            {
                "number": "OUT-7",
                "order_number": first,
                "carrier": "dhl",
                "tracking_number": "JD014600006281230704",
                "dispatched_at": "2026-03-03T08:00:00Z",
            },
            source="wms",
            id="dispatch-OUT-7",
            time="2026-03-03T08:00:00Z",
        )
        clock = ManualClock()
        Journal(store, clock).append([dispatch])
        Processor(store, RULES, clock=clock).run_until_idle()
        target = ShopifyTarget(ShopifyGraphql(shop.url, shop.api_version, shop.token))
        worker = DeliveryWorker(store, {"shop": target}, clock=clock, rng=random.Random(1))
        assert worker.run_once("shop") == 1
    finally:
        store.close()
    (fulfilment,) = shop.fulfillments()[f"#{first}"]
    assert fulfilment["trackingInfo"][0]["number"] == "JD014600006281230704"
    assert fulfilment["trackingInfo"][0]["company"] == "DHL"
