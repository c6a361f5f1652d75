"""The shop simulator's webhooks and faults, seen by a receiver over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response

from logisync.testing.serving import serving
from logisync.testing.shop import ShopFaultPlan, ShopSim

SECRET = "sim-secret"


@dataclass
class Receiver:
    """Records every webhook it gets; answers 503 to the first ``fail_first`` of them."""

    url: str = ""
    fail_first: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/hook")
        async def hook(request: Request) -> Response:
            body = await request.body()
            with self.lock:
                self.received.append({"headers": dict(request.headers), "body": body})
                if len(self.received) <= self.fail_first:
                    return Response(status_code=503)
            return Response(status_code=200)

        return app

    def topics(self) -> list[str]:
        return [r["headers"]["x-shopify-topic"] for r in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    with serving(receiver.app()) as url:
        receiver.url = f"{url}/hook"
        yield receiver


def start(shop_sim: Callable[..., ShopSim], receiver: Receiver, **faults: Any) -> ShopSim:
    plan = ShopFaultPlan(seed=2, **faults)
    fast = (0.005,) * 8  # Shopify's 8 retries, compressed further than the default
    return shop_sim(receiver.url, secret=SECRET, seed=4, faults=plan, retry_delays=fast)


def test_webhooks_are_signed_with_shopifys_headers(
    shop_sim: Callable[..., ShopSim], receiver: Receiver
) -> None:
    shop = start(shop_sim, receiver)
    shop.shop.place_order()
    shop.wait_sent()
    (got,) = receiver.received
    headers, body = got["headers"], got["body"]
    digest = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    assert headers["x-shopify-hmac-sha256"] == digest
    assert headers["x-shopify-topic"] == "orders/create"
    assert headers["x-shopify-shop-domain"].endswith(".myshopify.com")
    for name in ("webhook-id", "event-id", "triggered-at", "api-version"):
        assert headers[f"x-shopify-{name}"]
    assert orjson.loads(body)["name"] == "#1001"


def test_a_failed_delivery_is_retried_with_the_same_id_until_a_2xx(
    shop_sim: Callable[..., ShopSim], receiver: Receiver
) -> None:
    receiver.fail_first = 3
    shop = start(shop_sim, receiver)
    shop.shop.place_order()
    shop.wait_sent()
    assert len({r["headers"]["x-shopify-webhook-id"] for r in receiver.received}) == 1
    assert shop.sent[0].statuses == [503, 503, 503, 200]


def test_shopify_gives_up_after_eight_retries(
    shop_sim: Callable[..., ShopSim], receiver: Receiver
) -> None:
    receiver.fail_first = 100
    shop = start(shop_sim, receiver)
    shop.shop.place_order()
    shop.wait_sent()
    assert shop.sent[0].statuses == [503] * 9 and not shop.sent[0].delivered


def test_duplicates_reuse_the_webhook_id(
    shop_sim: Callable[..., ShopSim], receiver: Receiver
) -> None:
    shop = start(shop_sim, receiver, duplicate_rate=1.0)
    shop.shop.place_order()
    shop.wait_sent()
    ids = [r["headers"]["x-shopify-webhook-id"] for r in receiver.received]
    assert len(ids) == 2 and ids[0] == ids[1]


def test_reordering_sends_the_update_before_the_create(
    shop_sim: Callable[..., ShopSim], receiver: Receiver
) -> None:
    shop = start(shop_sim, receiver, reorder_rate=1.0)
    shop.shop.place_order()
    shop.wait_sent()
    assert receiver.topics() == ["orders/updated", "orders/create"]
    update, create = (orjson.loads(r["body"]) for r in receiver.received)
    assert create["updated_at"] < update["updated_at"]


def test_a_late_update_arrives_after_the_newer_one(
    shop_sim: Callable[..., ShopSim], receiver: Receiver
) -> None:
    shop = start(shop_sim, receiver)
    order = shop.shop.place_order()
    shop.set_faults(late_rate=1.0, seed=1)
    shop.shop.update_order(order["id"])
    shop.set_faults()
    shop.shop.update_order(order["id"])
    shop.wait_sent()
    versions = [orjson.loads(r["body"])["updated_at"] for r in receiver.received[1:]]
    assert len(versions) == 2 and versions[0] > versions[1]


def test_malformed_bodies_and_customer_overwrites(
    shop_sim: Callable[..., ShopSim], receiver: Receiver
) -> None:
    shop = start(shop_sim, receiver, malformed_rate=1.0)
    for _ in range(4):
        shop.shop.place_order()
    shop.set_faults(overwrite_customer_rate=1.0, seed=3)
    order = shop.shop.place_order()
    shop.wait_sent()
    bodies = [r["body"] for r in receiver.received]
    broken = 0
    for body in bodies[:4]:
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError:
            broken += 1
            continue
        assert all(line["sku"] is None for line in parsed["line_items"])
    assert 0 < broken <= 4
    placed, overwritten = (orjson.loads(body) for body in bodies[4:])
    assert receiver.topics()[4:] == ["orders/create", "orders/updated"]
    assert placed["customer"]["id"] == overwritten["customer"]["id"] == order["customer"]["id"]
    assert placed["customer"]["email"] != overwritten["customer"]["email"]
    assert placed["customer"]["phone"] != overwritten["customer"]["phone"]


def test_a_burst_sends_fifty_orders_at_once(
    shop_sim: Callable[..., ShopSim], receiver: Receiver
) -> None:
    shop = start(shop_sim, receiver)
    placed = shop.burst(50)
    shop.wait_sent()
    assert len(receiver.received) == 50
    assert len({order["name"] for order in placed}) == 50


def test_the_same_seed_makes_the_same_shop(shop_sim: Callable[..., ShopSim]) -> None:
    first, second = shop_sim(seed=9), shop_sim(seed=9)
    assert [first.shop.place_order()["line_items"] for _ in range(3)] == [
        second.shop.place_order()["line_items"] for _ in range(3)
    ]


def test_faults_are_read_and_replaced_live(shop_sim: Callable[..., ShopSim]) -> None:
    shop = shop_sim()
    shop.set_faults(downtime_calls=2, duplicate_rate=0.5)
    assert shop.shop.faults.plan.downtime_calls == 2
    refused = httpx.put(f"{shop.url}/__sim__/faults", json={"duplicate_rate": 2})
    assert refused.status_code == 422
    assert httpx.get(f"{shop.url}/__sim__/faults").json()["duplicate_rate"] == 0.5
