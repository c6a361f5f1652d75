"""The simulated shop's data: customers, orders and fulfilments, generated from a seed.

Orders look like Shopify's webhook bodies (REST field names: ``name``, ``line_items``,
``updated_at``...). Every change bumps the order's ``updated_at`` on a clock of its own that
only moves forward, so the hub can order the states it receives. Webhooks go out through the
``WebhookSender``; the faults of ``ShopFaults`` decide how they go wrong.
"""

from __future__ import annotations

import copy
import itertools
import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import orjson

from logisync.testing.shop.faults import ShopFaults
from logisync.testing.shop.sender import Delivery, WebhookSender, now_text

CATALOGUE = [("MUG-BLUE", "Mug - Blue", "12.50"), ("TEE-M", "T-shirt - M", "30.00")]
CATALOGUE += [("CAP-RED", "Cap - Red", "18.00"), ("SOCK-3P", "Socks (3 pairs)", "9.90")]
FIRST = ["Ana", "Ben", "Chloe", "Dario", "Eva", "Femi", "Greta", "Hugo"]
LAST = ["Lima", "Novak", "Schmidt", "Rossi", "Dubois", "Okafor", "Berg", "Silva"]
CITIES = [("Lisboa", "1100-053", "PT"), ("Berlin", "10115", "DE"), ("Lyon", "69001", "FR")]


class Shop:
    """Customers, orders, fulfilment orders and fulfilments, guarded by one lock."""

    def __init__(
        self,
        sender: WebhookSender,
        faults: ShopFaults,
        seed: int = 1,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.sender = sender
        self.faults = faults
        self.rng = random.Random(seed)
        self.lock = threading.RLock()
        self.customers: dict[int, dict[str, Any]] = {}
        self.orders: dict[int, dict[str, Any]] = {}
        self.fulfillment_orders: dict[int, list[dict[str, Any]]] = {}
        self.fulfillments: dict[int, list[dict[str, Any]]] = {}
        self._ids = itertools.count(seed * 1_000_000 + 1)
        self._numbers = itertools.count(1001)
        self._clock = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        self._now = now  # a simulated clock shared with other systems, when given
        self._held: dict[int, Delivery] = {}

    # -- the shop's own clock and ids -------------------------------------------------------
    def _tick(self) -> str:
        self._clock += timedelta(seconds=1 + self.rng.randrange(30))
        if self._now is not None:
            self._clock = max(self._clock, self._now())
        return self._clock.isoformat()

    def _id(self) -> int:
        return next(self._ids)

    # -- generating ------------------------------------------------------------------------
    def new_customer(self) -> dict[str, Any]:
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        city, zip_code, country = self.rng.choice(CITIES)
        at = self._tick()
        customer: dict[str, Any] = {
            "id": self._id(),
            "email": f"{first}.{last}.{self.rng.randrange(1000)}@example.com".lower(),
            "first_name": first,
            "last_name": last,
            "phone": f"+49151{self.rng.randrange(10**7):07d}",
            "created_at": at,
            "updated_at": at,
            "default_address": {
                "address1": f"{last}strasse {self.rng.randrange(1, 99)}",
                "city": city,
                "zip": zip_code,
                "country_code": country,
            },
        }
        self.customers[customer["id"]] = customer
        return customer

    def place_order(self) -> dict[str, Any]:
        """A new order (by a new or a returning customer); sends orders/create."""
        with self.lock:
            if self.customers and self.rng.random() < 0.3:
                customer = self.rng.choice(list(self.customers.values()))
            else:
                customer = self.new_customer()
            order = self._order(customer)
            self.orders[order["id"]] = order
            self.fulfillment_orders[order["id"]] = [{"id": self._id(), "status": "OPEN"}]
            self.fulfillments[order["id"]] = []
            placed = copy.deepcopy(order)
            if self.faults.draw(self.faults.plan.reorder_rate):
                self.update_order(order["id"])  # the update goes out before the create
            self._send("orders/create", placed)
            if self.faults.draw(self.faults.plan.overwrite_customer_rate):
                self.overwrite_customer(customer["id"])  # the shop rewrites what others own
            return order

    def _order(self, customer: dict[str, Any]) -> dict[str, Any]:
        at = self._tick()
        picked = self.rng.sample(CATALOGUE, self.rng.randint(1, 3))
        lines = [
            {
                "id": self._id(),
                "sku": sku,
                "title": title.split(" - ")[0],
                "name": title,
                "quantity": self.rng.randint(1, 4),
                "price": price,
                "total_discount": "0.00",
                "tax_lines": [],
            }
            for sku, title, price in picked
        ]
        number = next(self._numbers)
        order = {
            "id": self._id(),
            "admin_graphql_api_id": "",
            "name": f"#{number}",
            "order_number": number,
            "email": customer["email"],
            "created_at": at,
            "updated_at": at,
            "cancelled_at": None,
            "cancel_reason": None,
            "currency": "EUR",
            "financial_status": "paid",
            "source_name": "web",
            "customer": copy.deepcopy(customer),
            "shipping_address": dict(customer["default_address"]),
            "line_items": lines,
        }
        order["admin_graphql_api_id"] = f"gid://shopify/Order/{order['id']}"
        _retotal(order)
        return order

    def update_order(self, order_id: int) -> dict[str, Any]:
        """One more unit on the first line; sends orders/updated."""
        with self.lock:
            order = self.orders[order_id]
            order["line_items"][0]["quantity"] += 1
            order["updated_at"] = self._tick()
            _retotal(order)
            self._send("orders/updated", order)
            return order

    def cancel_order(self, order_id: int) -> dict[str, Any]:
        with self.lock:
            order = self.orders[order_id]
            order["cancelled_at"] = order["updated_at"] = self._tick()
            order["cancel_reason"] = "customer"
            self._send("orders/cancelled", order)
            return order

    def refund(self, order_id: int) -> dict[str, Any]:
        """Refunds one unit of the first line; sends refunds/create."""
        with self.lock:
            order = self.orders[order_id]
            line = order["line_items"][0]
            at = self._tick()
            refund = {
                "id": self._id(),
                "order_id": order_id,
                "created_at": at,
                "processed_at": at,
                "note": "returned by the customer",
                "refund_line_items": [
                    {
                        "id": self._id(),
                        "line_item_id": line["id"],
                        "quantity": 1,
                        "restock_type": "return",
                        "subtotal": line["price"],
                        "line_item": copy.deepcopy(line),
                    }
                ],
                "transactions": [{"kind": "refund", "amount": line["price"], "currency": "EUR"}],
            }
            self._send("refunds/create", refund)
            return refund

    def overwrite_customer(self, customer_id: int) -> dict[str, Any]:
        """The shop changes a customer's e-mail and phone (data another system may own) and
        sends it with an orders/updated of the customer's latest order."""
        with self.lock:
            customer = self.customers[customer_id]
            customer["email"] = f"changed.{self.rng.randrange(10**6)}@example.com"
            customer["phone"] = f"+49160{self.rng.randrange(10**7):07d}"
            customer["updated_at"] = self._tick()
            latest = max(
                (o for o in self.orders.values() if o["customer"]["id"] == customer_id),
                key=lambda o: o["updated_at"],
            )
            latest["customer"] = copy.deepcopy(customer)
            latest["email"] = customer["email"]
            latest["updated_at"] = customer["updated_at"]
            self._send("orders/updated", latest)
            return customer

    # -- sending, with the faults ----------------------------------------------------------
    def _send(self, topic: str, record: dict[str, Any]) -> None:
        faults = self.faults
        body = orjson.dumps(record)
        if faults.draw(faults.plan.malformed_rate):
            body = self._malformed(record)
        delivery = Delivery(topic, body, f"wh-{self._id()}", f"ev-{self._id()}", now_text())
        order_id = record.get("id") if topic.startswith("orders/") else None
        held = self._held.pop(order_id, None) if isinstance(order_id, int) else None
        if topic == "orders/updated" and faults.draw(faults.plan.late_rate) and held is None:
            self._held[record["id"]] = delivery  # sent after the next state of this order
            return
        self.sender.enqueue(delivery)
        if held is not None:
            self.sender.enqueue(held)
        if faults.draw(faults.plan.duplicate_rate):
            self.sender.enqueue(
                Delivery(topic, body, delivery.webhook_id, delivery.event_id, now_text())
            )

    def flush_held(self) -> None:
        """Send the updates still held back as "late" (at the end of a scenario)."""
        with self.lock:
            for delivery in self._held.values():
                self.sender.enqueue(delivery)
            self._held.clear()

    def _malformed(self, record: dict[str, Any]) -> bytes:
        if self.faults.choice(["truncated", "no_sku"]) == "truncated":
            return orjson.dumps(record)[:-7]
        broken = copy.deepcopy(record)
        for line in broken.get("line_items") or []:
            line["sku"] = None
        return orjson.dumps(broken)

    # -- read by the Admin API --------------------------------------------------------------
    def order_by_name(self, name: str) -> dict[str, Any] | None:
        wanted = name.strip().lstrip("#")
        with self.lock:
            for order in self.orders.values():
                if order["name"].lstrip("#") == wanted:
                    return order
        return None


def _retotal(order: dict[str, Any]) -> None:
    total = sum(Decimal(line["price"]) * line["quantity"] for line in order["line_items"])
    order["total_price"] = order["current_total_price"] = str(total)
