"""The ``wms`` and ``tms`` webhook adapters map each message to the canonical events it states."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logisync.api.webhooks.adapters import AdaptedDelivery
from logisync.api.webhooks.by_kind import adapter_for
from logisync.api.webhooks.verdict import VerifiedDelivery
from logisync.model import parse_event

from .messages import SSCC_1, SSCC_2, TMS, WMS, tms, wms

_BODIES = [json.dumps(body).encode() for body in [*WMS.values(), *TMS.values()]]


def _adapt(kind: str, body: dict[str, Any] | bytes, system: str = "acme_wms") -> AdaptedDelivery:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    delivery = VerifiedDelivery(
        system, raw, {"content-type": "application/json"}, datetime(2026, 3, 2, tzinfo=UTC)
    )
    return adapter_for(kind)(delivery)


def _summary(adapted: AdaptedDelivery) -> list[tuple[str, str, str]]:
    assert adapted.problems == []
    return [(e["type"], e["subject"], e["id"]) for e in adapted.events]


@pytest.mark.parametrize(("kind", "samples"), [("wms", WMS), ("tms", TMS)])
def test_every_message_type_maps_to_valid_events_from_the_system(
    kind: str, samples: dict[str, Any]
) -> None:
    for body in samples.values():
        adapted = _adapt(kind, body)
        assert adapted.problems == [] and adapted.events
        for event in adapted.events:
            assert parse_event(event).source == "acme_wms"


def test_acknowledgements_accept_or_reject_the_order() -> None:
    assert _summary(_adapt("wms", WMS["order.acknowledged"])) == [
        ("sales_order.fulfilment_accepted", "sales_order:SO-1", "m-ack-1")
    ]
    rejected = _adapt("wms", wms("order.acknowledged", outcome="rejected", reason="unknown SKU"))
    assert rejected.events[0]["type"] == "sales_order.fulfilment_rejected"
    assert rejected.events[0]["data"]["reason"] == "unknown SKU"


def test_packed_order_states_the_order_and_the_shipment_with_its_ssccs() -> None:
    adapted = _adapt("wms", WMS["order.packed"])
    assert _summary(adapted) == [
        ("sales_order.packed", "sales_order:SO-1", "m-pack-1/order"),
        ("shipment.packed", "shipment:OUT-1", "m-pack-1/shipment"),
    ]
    packages = adapted.events[1]["data"]["packages"]
    assert [p["sscc"] for p in packages] == [SSCC_1, SSCC_2]
    assert packages[0]["weight"] == {"value": "1.2", "unit": "KGM"}


def test_dispatch_gives_the_carrier_and_a_tracking_number_per_package() -> None:
    adapted = _adapt("wms", WMS["order.dispatched"])
    assert [e["type"] for e in adapted.events] == ["sales_order.shipped", "shipment.dispatched"]
    shipment = adapted.events[1]["data"]
    assert shipment["carrier"] == "dhl"
    assert [p["tracking_number"] for p in shipment["packages"]] == ["JD0001", "JD0002"]


def test_stock_adjustment_id_comes_from_the_adjustment_not_the_message() -> None:
    first = _adapt("wms", WMS["stock.adjusted"])
    again = _adapt("wms", wms("stock.adjusted", message_id="m-adj-2"))
    assert first.events[0]["id"] == again.events[0]["id"] == "adjustment/ADJ-9"
    assert first.events[0]["data"]["delta"] == {"value": "-3", "unit": "H87"}


def test_inventory_snapshot_is_one_level_report_per_location_and_sku() -> None:
    assert _summary(_adapt("wms", WMS["inventory.snapshot"])) == [
        ("stock.level_reported", "stock_level:WH1/MUG-WHT", "m-snap-1/0"),
        ("stock.level_reported", "stock_level:WH1/TEE-M", "m-snap-1/1"),
        ("stock.level_reported", "stock_level:WH2/MUG-WHT", "m-snap-1/2"),
    ]


def test_return_received() -> None:
    adapted = _adapt("wms", WMS["return.received"])
    assert _summary(adapted) == [("return.received", "return:RMA-3", "m-ret-1")]
    assert adapted.events[0]["data"]["lines"][0]["condition"] == "damaged"


def test_route_plan_is_one_event_per_stop_with_its_eta() -> None:
    adapted = _adapt("tms", TMS["route.planned"])
    assert _summary(adapted) == [
        ("shipment.route_planned", "shipment:OUT-1", "t-route-1/1"),
        ("shipment.route_planned", "shipment:OUT-2", "t-route-1/2"),
    ]
    assert adapted.events[1]["data"]["eta"] == "2026-03-03T10:30:00Z"


def test_hand_over_and_proof_of_delivery_are_milestones() -> None:
    handed = _adapt("tms", TMS["shipment.handed_over"]).events[0]
    assert handed["data"]["milestone"] == "picked_up"
    pod = _adapt("tms", TMS["shipment.delivered"]).events[0]
    assert pod["type"] == "shipment.milestone_recorded"
    assert pod["data"]["milestone"] == "delivered"
    assert pod["data"]["signed_by"] == "J. Jansen"
    assert pod["data"]["proof_reference"] == "pod://R-7/1/signature.png"


def test_bad_message_is_refused_with_pointers_and_no_events() -> None:
    body = wms("order.picked")
    body["lines"][0]["quantity"] = "-1"
    adapted = _adapt("wms", body)
    assert adapted.events == []
    assert [p.location for p in adapted.problems] == ["/lines/0/quantity"]
    assert _adapt("tms", b"{").problems[0].message.startswith("the body is not JSON")


def test_a_tms_message_sent_to_a_wms_url_is_refused_by_type() -> None:
    problems = _adapt("wms", tms("shipment.delivered")).problems
    assert problems[0].location == "/type"


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["wms", "tms"]), st.binary(max_size=200) | st.sampled_from(_BODIES))
def test_the_adapters_never_raise_on_any_body(kind: str, body: bytes) -> None:
    adapted = _adapt(kind, body)
    assert adapted.events or adapted.problems
    for event in adapted.events:
        parse_event(event)
