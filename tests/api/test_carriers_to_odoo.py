"""The carriers' own pushes, shuffled and repeated, end as the carriers say in the hub and in
Odoo: the carrier simulator pushes UPS Track Alert and signed FedEx webhooks to the hub's
webhook route over HTTP; the processor folds them (two-package UPS shipments too) and the
delivery worker writes each shipment's milestone onto its Odoo delivery order.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from logisync.api.webhook_route import WebhookSystems
from logisync.connectors.odoo import JsonRpc, OdooSettings, OdooTarget
from logisync.core.clock import ManualClock
from logisync.core.delivery.retry import RetryPolicy
from logisync.core.delivery.worker import DeliverySettings, DeliveryWorker
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules
from logisync.model import new_event
from logisync.testing.carrier_hub import CarrierFaultPlan, Shipment, carrier_hub
from logisync.testing.odoo.running import odoo_sim

from .conftest import RunningHub

FIELD = "x_studio_carrier_status"
CREDENTIALS = {"env:UPS": "ups-track-alert-client-id", "env:FEDEX": "fedex-webhook-security-token"}
RULES = Rules(flows=(Flow("to odoo", ("shipment.*",), "odoo", "state"),))
SKUS = ("SKU-1", "SKU-2")
CUSTOM = {"stock.picking": {FIELD: "char"}}


def _dispatch(n: int, shipment: Shipment) -> object:
    """The WMS's dispatch, spelling the carrier its own way."""
    numbers = [piece.tracking_number for piece in shipment.pieces]
    return new_event(
        "shipment.dispatched",
        {
            "number": f"SH-{n}",
            "order_number": f"SO-{n}",
            "carrier": {"ups": "UPS", "fedex": "FedEx Ground"}[shipment.carrier],
            "tracking_number": shipment.tracking_number,
            "packages": [
                {"tracking_number": number, "contents": {SKUS[i % 2]: "1"}}
                for i, number in enumerate(numbers)
            ],
        },
        source="wms",
        id=f"dispatch-{n}",
        time=shipment.shipped_at.isoformat(),
    )


def test_shuffled_repeated_carrier_pushes_end_in_odoo_as_the_carriers_say(
    tmp_path: Path, start_hub: Callable[..., RunningHub]
) -> None:
    systems = WebhookSystems(
        {
            "ups": ("ups", {"scheme": "api_key_header", "secret": "env:UPS"}),
            "fedex": (
                "fedex",
                {
                    "scheme": "hmac_sha256",
                    "secret": "env:FEDEX",
                    "header": "fdx-signature",
                    "encoding": "base64",
                    "signature_prefix": "",
                },
            ),
        },
        CREDENTIALS.__getitem__,
    )
    hub = start_hub(webhooks=systems)
    store, clock = hub.store, ManualClock()
    faults = CarrierFaultPlan(duplicate_rate=0.3, reorder_rate=1.0, late_rate=0.2, seed=5)
    push_to = {carrier: f"{hub.url}/v1/webhooks/{carrier}" for carrier in ("ups", "fedex")}
    with (
        odoo_sim(
            17, path=tmp_path / "odoo.sqlite", custom_fields={"stock.picking": {FIELD: "char"}}
        ) as odoo,
        carrier_hub(seed=5, push_to=push_to, faults=faults) as carriers,
    ):
        JsonRpc(odoo.url, odoo.database, "admin", "admin").call(
            "product.product",
            "create",
            vals_list=[{"name": sku, "default_code": sku} for sku in SKUS],
        )
        rpc = JsonRpc(odoo.url, odoo.database, odoo.user.login, odoo.user.password)
        target = OdooTarget(
            rpc,
            OdooSettings(database=odoo.database, user=odoo.user.login, milestone_field=FIELD),
            17,
        )
        retry = RetryPolicy(base_seconds=1, cap_seconds=8, max_attempts=1000, max_age_seconds=10**7)
        worker = DeliveryWorker(
            store,
            {"odoo": target},
            clock=clock,
            rng=random.Random(5),
            settings=DeliverySettings(retry=retry),
        )
        processor = Processor(store, RULES, clock=clock)
        shipments = [
            carriers.register("ups", pieces=2, outcome="delivered"),
            carriers.register("ups", pieces=1),
            carriers.register("fedex", pieces=1, outcome="delivered"),
            carriers.register("fedex", pieces=1),
        ]
        Journal(store, clock).append([_dispatch(n, s) for n, s in enumerate(shipments)])
        for _ in range(60):  # ten simulated days, two hours a round
            carriers.advance(4 * 3600)
            carriers.tick()
            processor.run_until_idle()
            clock.advance(10)
            worker.run_until_idle()
        carriers.advance(10 * 24 * 3600)  # late pushes go out too
        carriers.tick()
        processor.run_until_idle()
        for _ in range(5):
            clock.advance(60)
            worker.run_until_idle()

        pushes = carriers.records.pushes()
        assert len(pushes) > 20 and {p.carrier for p in pushes} == {"ups", "fedex"}
        assert all(p.status in (200, 202) for p in pushes if "malformed" not in p.tags)
        admin = JsonRpc(odoo.url, odoo.database, "admin", "admin")
        for n, shipment in enumerate(shipments):
            expected = carriers.expected(shipment.tracking_number)["shipment_final_milestone"]
            projection = store.get_projection(f"shipment:SH-{n}")
            assert projection is not None
            assert projection.state["status"]["milestone"] == expected, shipment
            [picking] = admin.call(
                "stock.picking", "search_read", domain=[["origin", "=", f"SO-{n}"]], fields=[FIELD]
            )
            assert picking[FIELD] == expected
        # scans that outran the dispatch were moved onto their shipment, each one
        early = 0
        for n, shipment in enumerate(shipments):
            for piece in shipment.pieces:
                for scan in store.events_for(f"shipment:{piece.tracking_number}"):
                    early += 1
                    assert store.get_event(f"{scan.event_id}@SH-{n}", scan.source) is not None
        assert early > 0
        assert store.dead_letters() == []
