"""The Shopify fulfilment target against the simulated shop, over real HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from logisync.connectors.shopify import ShopifyGraphql, ShopifyTarget
from logisync.core.delivery.connector import DeliveryItem
from logisync.core.records import DeliveryRecord
from logisync.testing.shop import ShopSim


def item(state: dict[str, Any], version: int = 1, entity: str = "shipment:OUT-1") -> DeliveryItem:
    record = DeliveryRecord(
        id=1,
        target="shop",
        flow="fulfilment",
        mode="state",
        priority=0,
        entity_key=entity,
        entity_version=version,
        event_seq=version,
        event_id=f"e{version}",
        state="pending",
        attempts=0,
        due_at="2026-03-02T10:00:00Z",
        created_at="2026-03-02T10:00:00Z",
        coalesced=0,
    )
    payload = {"entity": entity, "version": version, "state": state}
    return DeliveryItem(record, f"{entity}@{version}", payload)


def dispatched(number: str, **extra: Any) -> dict[str, Any]:
    return {
        "number": "OUT-1",
        "order_number": number,
        "carrier": "ups",
        "tracking_number": "1Z999AA10123456784",
        "dispatched_at": "2026-03-02T15:00:00Z",
        **extra,
    }


@pytest.fixture
def shop(shop_sim: Callable[..., ShopSim]) -> ShopSim:
    return shop_sim(seed=5)


@pytest.fixture
def target(shop: ShopSim) -> ShopifyTarget:
    return ShopifyTarget(ShopifyGraphql(shop.url, shop.api_version, shop.token))


def order_number(shop: ShopSim) -> str:
    return str(shop.shop.place_order()["name"]).lstrip("#")


def test_a_dispatched_shipment_becomes_one_fulfilment_with_tracking(
    shop: ShopSim, target: ShopifyTarget
) -> None:
    number = order_number(shop)
    (result,) = target.deliver([item(dispatched(number))])
    assert result.kind == "delivered", result.error
    (fulfilment,) = shop.fulfillments()[f"#{number}"]
    assert fulfilment["trackingInfo"] == [
        {
            "company": "UPS",
            "number": "1Z999AA10123456784",
            "url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        }
    ]
    (again,) = target.deliver([item(dispatched(number), version=2)])
    assert again.kind == "delivered" and again.target_ref == result.target_ref
    assert len(shop.fulfillments()[f"#{number}"]) == 1


def test_later_milestones_update_the_fulfilment_once(shop: ShopSim, target: ShopifyTarget) -> None:
    number = order_number(shop)
    target.deliver([item(dispatched(number))])
    delivered = {"milestone": "delivered", "occurred_at": "2026-03-03T11:00:00Z"}
    for version in (2, 3):
        (result,) = target.deliver([item(dispatched(number, status=delivered), version)])
        assert result.kind == "delivered", result.error
    (fulfilment,) = shop.fulfillments()[f"#{number}"]
    assert fulfilment["displayStatus"] == "DELIVERED"
    events = [call for call in shop.app.state.calls if call[0] == "fulfillmentEventCreate"]
    assert len(events) == 1


def test_a_changed_tracking_number_updates_the_tracking(
    shop: ShopSim, target: ShopifyTarget
) -> None:
    number = order_number(shop)
    target.deliver([item(dispatched(number))])
    shop.shop.fulfillments[shop.shop.order_by_name(number)["id"]][0]["trackingInfo"][0].pop("url")  # type: ignore[index]
    (result,) = target.deliver([item(dispatched(number), version=2)])
    assert result.kind == "delivered"
    updates = [c for c in shop.app.state.calls if c[0] == "fulfillmentTrackingInfoUpdate"]
    assert len(updates) == 1


def test_throttling_and_rate_limits_are_transient_with_a_wait(
    shop: ShopSim, target: ShopifyTarget
) -> None:
    number = order_number(shop)
    shop.set_faults(throttled_calls=1, rate_limited_calls=1)
    (limited,) = target.deliver([item(dispatched(number))])
    (throttled,) = target.deliver([item(dispatched(number))])
    assert (limited.kind, limited.retry_after_seconds) == ("transient", 2.0)
    assert throttled.kind == "transient" and throttled.retry_after_seconds == pytest.approx(0.4)
    (done,) = target.deliver([item(dispatched(number))])
    assert done.kind == "delivered"


def test_downtime_is_transient_then_the_retry_succeeds(
    shop: ShopSim, target: ShopifyTarget
) -> None:
    number = order_number(shop)
    shop.set_faults(downtime_calls=2)
    outcomes = [target.deliver([item(dispatched(number))])[0].kind for _ in range(3)]
    assert outcomes == ["transient", "transient", "delivered"]
    assert len(shop.fulfillments()[f"#{number}"]) == 1


def test_user_errors_are_permanent_with_shopifys_message(
    shop: ShopSim, target: ShopifyTarget
) -> None:
    number = order_number(shop)
    shop.set_faults(user_error_calls=1)
    (result,) = target.deliver([item(dispatched(number))])
    assert result.kind == "permanent"
    assert "not fulfillable" in str(result.error)


def test_unknown_orders_wrong_tokens_and_undispatched_shipments(shop: ShopSim) -> None:
    target = ShopifyTarget(ShopifyGraphql(shop.url, shop.api_version, shop.token))
    (unknown,) = target.deliver([item(dispatched("9999"))])
    assert unknown.kind == "permanent" and "#9999" in str(unknown.error)
    (waiting,) = target.deliver([item({"number": "OUT-1", "order_number": "1001"})])
    assert waiting.kind == "delivered" and waiting.target_ref is None
    wrong = ShopifyTarget(ShopifyGraphql(shop.url, shop.api_version, "shpat_wrong"))
    (refused,) = wrong.deliver([item(dispatched("1001"))])
    assert refused.kind == "permanent" and "access token" in str(refused.error)
    (other,) = target.deliver([item({}, entity="sales_order:1001")])
    assert other.kind == "permanent"
