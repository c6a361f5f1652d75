"""End to end: an order released through the hub's delivery path to the simulated WMS comes
back picked, packed and dispatched through the hub's webhook route, and the projections say so."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from logisync.api.webhook_route import WebhookSystems
from logisync.connectors.wms.target import WmsTarget
from logisync.core.clock import ManualClock
from logisync.core.delivery.worker import DeliveryWorker
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules
from logisync.model import new_event
from logisync.testing.samples import sample_payload
from logisync.testing.tms import DEFAULT_SECRET as TMS_SECRET
from logisync.testing.tms import tms_sim
from logisync.testing.wms import DEFAULT_SECRET, MessageFaultPlan, wms_sim

from .conftest import RunningHub

RULES = Rules(flows=(Flow("release", ("sales_order.confirmed",), "acme_wms", "state"),))


def _hub_with_a_confirmed_order(
    start_hub: Callable[..., RunningHub],
) -> tuple[RunningHub, ManualClock, Processor, dict[str, Any]]:
    systems = {"acme_wms": ("wms", {"scheme": "standard_webhooks", "secrets": ["env:WMS"]})}
    hub = start_hub(webhooks=WebhookSystems(systems, {"env:WMS": DEFAULT_SECRET}.__getitem__))
    clock = ManualClock(datetime.now(UTC))
    order = sample_payload("sales_order.confirmed")
    confirmed = new_event(
        "sales_order.confirmed", order, source="odoo", id="o-1", time="2026-03-02T07:00:00Z"
    )
    Journal(hub.store, clock).append([confirmed])
    processor = Processor(hub.store, RULES, clock=clock)
    processor.run_until_idle()
    return hub, clock, processor, order


def test_released_order_comes_back_dispatched_through_the_webhook_route(
    start_hub: Callable[..., RunningHub],
) -> None:
    hub, clock, processor, order = _hub_with_a_confirmed_order(start_hub)
    number = order["number"]
    # Duplicates on: every message is posted twice; the hub must journal each fact once.
    faults = MessageFaultPlan(duplicate_rate=1)
    with wms_sim(post_to=f"{hub.url}/v1/webhooks/acme_wms", faults=faults) as wms:
        target = WmsTarget(wms.url, wms.token)
        worker = DeliveryWorker(hub.store, {"acme_wms": target}, clock=clock, rng=random.Random(1))
        assert worker.run_once("acme_wms") == 1
        wms_order = wms.warehouse.orders[number]
        assert wms_order.status == "accepted"
        sent = wms.advance(60) + wms.advance(3 * 3600)
        wms.adjust_stock(order["lines"][0]["sku"], -1, "damaged")
        sent += wms.flush()
    assert {m.status for m in sent if "duplicate" not in m.tags} == {202}
    processor.run_until_idle()

    sales_order = hub.store.get_projection(f"sales_order:{number}")
    assert sales_order is not None and sales_order.state["status"] == "shipped"
    shipment = hub.store.get_projection(f"shipment:{wms_order.shipment_number}")
    assert shipment is not None
    assert shipment.state["order_number"] == number
    assert shipment.state["carrier"] in ("dhl", "ups", "postnl")
    packages = shipment.state["packages"]
    assert packages and all(p["sscc"] and p["tracking_number"] for p in packages)
    assert hub.store.resolve("acme_wms", wms_order.wms_id) == f"sales_order:{number}"
    level = hub.store.get_projection(f"stock_level:WH1/{order['lines'][0]['sku']}")
    assert level is not None and float(level.state["on_hand"]["value"]) == -1  # once, not twice


def test_reordered_and_malformed_messages_still_end_in_the_right_state(
    start_hub: Callable[..., RunningHub],
) -> None:
    hub, clock, processor, order = _hub_with_a_confirmed_order(start_hub)
    faults = MessageFaultPlan(reorder_rate=1, malformed_rate=1, seed=3)
    with wms_sim(seed=3, post_to=f"{hub.url}/v1/webhooks/acme_wms", faults=faults) as wms:
        worker = DeliveryWorker(
            hub.store,
            {"acme_wms": WmsTarget(wms.url, wms.token)},
            clock=clock,
            rng=random.Random(1),
        )
        worker.run_once("acme_wms")
        sent = wms.advance(3 * 3600)  # everything due at once, shuffled
    malformed = [m for m in sent if "malformed" in m.tags]
    assert len(malformed) == 4 and all(m.status == 422 for m in malformed)
    assert [m.type for m in sent if m.status == 202] != [
        "order.released", "order.picked", "order.packed", "order.dispatched"
    ]  # fmt: skip
    processor.run_until_idle()
    sales_order = hub.store.get_projection(f"sales_order:{order['number']}")
    assert sales_order is not None and sales_order.state["status"] == "shipped"


def test_an_asynchronous_rejection_reaches_the_journal(
    start_hub: Callable[..., RunningHub],
) -> None:
    hub, clock, processor, order = _hub_with_a_confirmed_order(start_hub)
    url = f"{hub.url}/v1/webhooks/acme_wms"
    with wms_sim(post_to=url, acknowledgement="async", known_skus=frozenset()) as wms:
        worker = DeliveryWorker(
            hub.store,
            {"acme_wms": WmsTarget(wms.url, wms.token)},
            clock=clock,
            rng=random.Random(1),
        )
        worker.run_once("acme_wms")
        [ack] = wms.advance(5)
    assert ack.type == "order.acknowledged" and ack.status == 202
    processor.run_until_idle()
    facts = hub.store.events_for(f"sales_order:{order['number']}")
    rejected = [f for f in facts if f.type == "sales_order.fulfilment_rejected"]
    assert len(rejected) == 1 and "unknown article" in rejected[0].data["reason"]


def test_a_tms_proof_of_delivery_completes_the_shipment(
    start_hub: Callable[..., RunningHub],
) -> None:
    systems = {"fleet": ("tms", {"scheme": "standard_webhooks", "secrets": ["env:TMS"]})}
    hub = start_hub(webhooks=WebhookSystems(systems, {"env:TMS": TMS_SECRET}.__getitem__))
    with tms_sim(seed=2, post_to=f"{hub.url}/v1/webhooks/fleet") as tms:
        tms.book("OUT-000001", city="Tilburg", country="NL")
        tms.plan_route()
        sent = tms.advance(4 * 3600)
    assert [m.status for m in sent] == [202, 202, 202]
    Processor(hub.store, Rules()).run_until_idle()
    shipment = hub.store.get_projection("shipment:OUT-000001")
    assert shipment is not None
    status = shipment.state["status"]
    assert status["milestone"] == "delivered"
    assert status["signed_by"] and status["proof_reference"] == "pod://R-00001/1/signature.png"
    types = [f.type for f in hub.store.events_for("shipment:OUT-000001")]
    assert types.count("shipment.route_planned") == 1
