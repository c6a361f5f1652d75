"""The Shopify webhook adapter: each topic's body -> the canonical events it states."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logisync.api.webhooks.verdict import VerifiedDelivery
from logisync.connectors.shopify import shopify_webhook
from logisync.connectors.shopify.orders import order_number
from logisync.errors import InvalidEvent
from logisync.model import parse_event

GOLDEN = Path(__file__).parents[2] / "golden" / "shopify"
RECEIVED = datetime(2026, 3, 2, 12, tzinfo=UTC)


def golden(name: str) -> dict[str, Any]:
    body: dict[str, Any] = orjson.loads((GOLDEN / name).read_bytes())
    return body


def deliver(topic: str, body: Any, system: str = "shop") -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"x-shopify-topic": topic, "content-type": "application/json"}
    return shopify_webhook(VerifiedDelivery(system, raw, headers, RECEIVED, delivery_id="w1"))


def events(topic: str, body: Any) -> list[Any]:
    adapted = deliver(topic, body)
    assert adapted.problems == []
    return [parse_event(draft) for draft in adapted.events]


def test_a_new_order_is_placed_by_its_customer() -> None:
    customer, order = events("orders/create", golden("orders_create.json"))
    assert (customer.type, customer.subject) == ("partner.created", "partner:shop-7204113301")
    assert customer.data["external_ids"] == {"shop": "7204113301"}
    assert customer.data["email"] == "ana.lima@example.com"
    assert customer.data["address"]["country"] == "PT"
    assert (order.type, order.subject) == ("sales_order.placed", "sales_order:1001")
    assert order.data["customer_ref"] == "shop-7204113301"
    assert order.data["external_ids"] == {"shop": "5731098410"}
    assert order.data["ship_to"]["postal_code"] == "1100-053"
    assert Decimal(order.data["total"]["amount"]) == Decimal("54.85")
    first = order.data["lines"][0]
    assert (first["sku"], Decimal(first["quantity"]["value"])) == ("MUG-BLUE", 2)
    assert first["unit_price"] == {"amount": "12.45", "currency": "EUR"}
    assert order.sourceversion == "2026-03-02T10:15:05+01:00"
    assert order.id == "orders/create:5731098410:2026-03-02T10:15:05+01:00"


def test_an_update_changes_the_order_and_keeps_its_version() -> None:
    customer, order = events("orders/updated", golden("orders_updated.json"))
    assert customer.type == "partner.changed"
    assert order.type == "sales_order.changed"
    assert Decimal(order.data["lines"][1]["quantity"]["value"]) == 3
    assert order.sourceversion == "2026-03-02T11:40:00+01:00"


def test_the_same_state_under_a_new_delivery_has_the_same_event_ids() -> None:
    first = [e.id for e in events("orders/updated", golden("orders_updated.json"))]
    again = [e.id for e in events("orders/updated", golden("orders_updated.json"))]
    assert first == again


def test_a_cancellation_says_when_and_why() -> None:
    (cancelled,) = events("orders/cancelled", golden("orders_cancelled.json"))
    assert cancelled.type == "sales_order.cancelled"
    assert cancelled.data["number"] == "1001"
    assert cancelled.data["reason"] == "customer"


def test_a_guest_checkout_is_keyed_by_a_hash_of_the_email_not_the_email() -> None:
    (order,) = events("orders/create", golden("orders_create_guest.json"))
    assert order.data["customer_ref"].startswith("shop-guest-")
    assert "example.com" not in order.data["customer_ref"]


def test_a_refund_becomes_a_return_requested_and_refunded() -> None:
    requested, refunded = events("refunds/create", golden("refunds_create.json"))
    assert (requested.type, requested.subject) == ("return.requested", "return:shop-refund-889101")
    assert requested.data["lines"][0]["sku"] == "MUG-BLUE"
    assert refunded.type == "return.refunded"


def test_an_order_edit_summary_is_acknowledged_without_events() -> None:
    adapted = deliver("orders/edited", golden("orders_edited.json"))
    assert adapted.events == [] and adapted.problems == []


def test_a_line_without_sku_is_named() -> None:
    body = golden("orders_create.json")
    body["line_items"][1]["sku"] = None
    adapted = deliver("orders/create", body)
    assert adapted.events == []
    (problem,) = adapted.problems
    assert problem.location == "/line_items/1/sku"
    assert "T-shirt - M" in problem.message or "T-shirt" in problem.message


def test_malformed_fields_are_reported_with_pointers() -> None:
    body = golden("orders_create.json")
    body["line_items"][0]["quantity"] = "two"
    body["line_items"][1]["price"] = "cheap"
    body["customer"]["id"] = "x"
    adapted = deliver("orders/create", body)
    locations = {p.location for p in adapted.problems}
    assert {"/line_items/0/quantity", "/line_items/1/price", "/customer/id"} <= locations


def test_an_unknown_topic_is_a_clear_problem_and_echoes_are_acknowledged() -> None:
    (problem,) = deliver("products/create", {"id": 1}).problems
    assert "products/create" in problem.message and "orders/create" in problem.message
    assert deliver("fulfillments/create", {"id": 1}).problems == []


def test_a_body_that_is_not_json_is_refused() -> None:
    (problem,) = deliver("orders/create", b"{not json").problems
    assert "not JSON" in problem.message


@pytest.mark.parametrize(("name", "key"), [("#1001", "1001"), ("EU #77", "EU#77"), ("A-9", "A-9")])
def test_order_names_become_clean_keys(name: str, key: str) -> None:
    assert order_number(name) == key


TOPICS = st.sampled_from(["orders/create", "orders/updated", "orders/cancelled", "refunds/create"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TOPICS, st.binary(max_size=300))
def test_any_bytes_give_problems_or_events_never_a_crash(topic: str, body: bytes) -> None:
    adapted = deliver(topic, body)
    assert bool(adapted.problems) != bool(adapted.events)  # one or the other, never neither
    for draft in adapted.events:
        try:
            parse_event(draft)
        except InvalidEvent as invalid:
            assert invalid.problems


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.floats(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
PATHS = [
    ("id",),
    ("name",),
    ("updated_at",),
    ("currency",),
    ("customer",),
    ("customer", "id"),
    ("customer", "email"),
    ("line_items",),
    ("line_items", 0),
    ("line_items", 0, "sku"),
    ("line_items", 0, "quantity"),
    ("line_items", 1, "price"),
    ("shipping_address",),
    ("shipping_address", "country_code"),
    ("total_price",),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["orders/create", "orders/updated"]), st.sampled_from(PATHS), JSON)
def test_mutated_orders_map_to_valid_events_or_located_problems(
    topic: str, path: tuple[str | int, ...], value: Any
) -> None:
    body = copy.deepcopy(golden("orders_create.json"))
    parent: Any = body
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    adapted = deliver(topic, body)
    for problem in adapted.problems:
        assert problem.location.startswith("/") or problem.location == ""
    for draft in adapted.events:
        try:
            parse_event(draft)
        except InvalidEvent as invalid:  # the route reports these as located problems too
            assert all(p.location.startswith("/") for p in invalid.problems)
