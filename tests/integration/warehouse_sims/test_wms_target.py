"""The ``wms`` target against the simulated WMS over real HTTP: every answer maps to an outcome."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from logisync.config import SystemConfig
from logisync.connectors.registry import settings_issues, target_connector
from logisync.connectors.wms.target import WmsTarget
from logisync.core.delivery.connector import DeliveryItem, ItemResult
from logisync.core.records import DeliveryRecord
from logisync.testing.wms import MessageFaultPlan, WmsSim, wms_sim


def _order(number: str = "SO-1", *skus: str) -> DeliveryItem:
    lines = [
        {"line_no": n, "sku": sku, "quantity": {"value": "2", "unit": "H87"}}
        for n, sku in enumerate(skus or ("MUG-WHT",), start=1)
    ]
    state: dict[str, Any] = {
        "number": number,
        "status": "confirmed",
        "ship_to": {"street": "Kade 1", "city": "Tilburg", "postal_code": "5038", "country": "NL"},
        "lines": lines,
    }
    record = DeliveryRecord(
        1, "acme_wms", "orders", "state", 0, f"sales_order:{number}", 1, 1, "e1", "pending", 0,
        "2026-03-02T08:00:00Z", "2026-03-02T08:00:00Z", 0,
    )  # fmt: skip
    payload = {"entity": f"sales_order:{number}", "version": 1, "state": state}
    return DeliveryItem(record, f"acme_wms/{number}/1", payload)


@pytest.fixture
def wms() -> Iterator[WmsSim]:
    with wms_sim(seed=1, known_skus=frozenset({"MUG-WHT", "TEE-M"})) as running:
        yield running


def _release(wms: WmsSim, *items: DeliveryItem) -> list[ItemResult]:
    return WmsTarget(wms.url, wms.token).deliver(list(items))


def test_a_new_order_is_released_and_its_wms_id_becomes_the_external_id(wms: WmsSim) -> None:
    [result] = _release(wms, _order("SO-1"))
    assert result.kind == "delivered"
    assert result.external_id == wms.warehouse.orders["SO-1"].wms_id == "WO-000001"
    assert wms.received[0]["answered"] == 201
    assert wms.warehouse.orders["SO-1"].request.ship_to is not None


def test_a_repeat_gives_the_same_wms_order(wms: WmsSim) -> None:
    first = _release(wms, _order("SO-1"))[0]
    again = _release(wms, _order("SO-1"))[0]
    assert again.kind == "delivered" and again.external_id == first.external_id
    assert [r["answered"] for r in wms.received] == [201, 200]
    assert len(wms.warehouse.orders) == 1


def test_the_same_number_with_other_lines_is_a_permanent_conflict(wms: WmsSim) -> None:
    _release(wms, _order("SO-1"))
    [result] = _release(wms, _order("SO-1", "MUG-WHT", "TEE-M"))
    assert result.kind == "permanent"
    assert "already holds SO-1 as WO-000001" in (result.error or "")


def test_503_is_transient_then_the_release_succeeds(wms: WmsSim) -> None:
    wms.faults = MessageFaultPlan(answers=(503,), retry_after=7)
    [down] = _release(wms, _order("SO-1"))
    assert down.kind == "transient" and down.retry_after_seconds == 7
    [up] = _release(wms, _order("SO-1"))
    assert up.kind == "delivered" and up.external_id == "WO-000001"


def test_429_is_transient_with_retry_after(wms: WmsSim) -> None:
    wms.faults = MessageFaultPlan(answers=(429,), retry_after=30)
    [result] = _release(wms, _order("SO-1"))
    assert (result.kind, result.retry_after_seconds) == ("transient", 30)
    assert "429" in (result.error or "")


def test_downtime_answers_503_until_it_ends(wms: WmsSim) -> None:
    wms.down_for(600)
    assert _release(wms, _order("SO-1"))[0].kind == "transient"
    wms.advance(601)
    assert _release(wms, _order("SO-1"))[0].kind == "delivered"


def test_a_synchronous_rejection_is_permanent_with_the_reason(wms: WmsSim) -> None:
    [result] = _release(wms, _order("SO-9", "UNKNOWN-SKU"))
    assert result.kind == "permanent"
    assert "rejected SO-9" in (result.error or "") and "UNKNOWN-SKU" in (result.error or "")


def test_an_asynchronous_acknowledgement_is_delivered_and_acknowledged_later() -> None:
    with wms_sim(acknowledgement="async", known_skus=frozenset()) as wms:
        [result] = _release(wms, _order("SO-2"))
        assert result.kind == "delivered"  # received; the verdict comes as a message
        ack = next(m for m in wms.outbox.pending() if m["type"] == "order.acknowledged")
        assert ack["outcome"] == "rejected" and "MUG-WHT" in ack["reason"]


def test_a_wrong_token_and_a_non_order_are_permanent(wms: WmsSim) -> None:
    [refused] = WmsTarget(wms.url, "wrong").deliver([_order("SO-1")])
    assert refused.kind == "permanent" and "token" in (refused.error or "")
    item = _order("SO-1")
    shipment = DeliveryItem(item.delivery, "k", {"entity": "shipment:OUT-1", "state": {}})
    [not_an_order] = _release(wms, shipment)
    assert not_an_order.kind == "permanent" and "sales orders only" in (not_an_order.error or "")


def test_a_closed_port_is_transient() -> None:
    with wms_sim() as wms:
        url = wms.url
    [result] = WmsTarget(url, "t", timeout_seconds=2).deliver([_order()])
    assert result.kind == "transient"


def test_registry_builds_the_target_and_check_config_names_missing_keys(
    monkeypatch: pytest.MonkeyPatch, wms: WmsSim
) -> None:
    monkeypatch.setenv("ACME_WMS_TOKEN", wms.token)
    system = SystemConfig.model_validate(
        {
            "kind": "wms",
            "url": wms.url,
            "token": "env:ACME_WMS_TOKEN",
            "timeout_seconds": 5,
            "verify": {"scheme": "standard_webhooks", "secrets": ["env:ACME_WMS_WHSEC"]},
        }
    )
    assert settings_issues("acme_wms", system) == []
    target = target_connector(system, "acme_wms")
    assert isinstance(target, WmsTarget)
    assert target.deliver([_order()])[0].kind == "delivered"
    bad = SystemConfig.model_validate({"kind": "wms", "colour": "red"})
    issues = settings_issues("acme_wms", bad)
    assert ("systems", "acme_wms", "colour") in [where for where, _ in issues]
    whys = " | ".join(why for _, why in issues)
    assert "not a setting" in whys and "url" in whys and "token" in whys


def test_live_faults_over_http_and_validation(wms: WmsSim) -> None:
    with httpx.Client(base_url=wms.url) as client:
        assert client.put("/__sim__/faults", json={"answers": [503]}).status_code == 200
        assert client.get("/__sim__/faults").json()["answers"] == [503]
        refused = client.put("/__sim__/faults", json={"duplicate_rate": 2})
        assert refused.status_code == 422
    assert _release(wms, _order())[0].kind == "transient"
    assert _release(wms, _order())[0].kind == "delivered"
