"""A flaky Odoo: 30% proxy errors, 10% answers lost after the commit, a maintenance window.
1,000 shipments reach it as exactly 1,000 validated pickings: none twice, none lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from logisync.model import new_event
from logisync.model.envelope import Event
from logisync.store.sqlite import SqliteStore
from logisync.testing.odoo.faults import FaultPlan

from .conftest import Hub, running_odoo, seed_products, target_for

SHIPMENTS = 1000


def events() -> list[Event]:
    created = [
        new_event(
            "shipment.created",
            {
                "number": f"F{n}",
                "order_number": f"SO-F{n}",
                "tracking_number": f"1ZF{n:07d}",
                "packages": [{"contents": {"SKU-1": "1"}}],
            },
            source="wms",
            id=f"f-{n}",
            time="2026-03-01T08:00:00Z",
        )
        for n in range(SHIPMENTS)
    ]
    scans = [
        new_event(
            "shipment.milestone_recorded",
            {
                "shipment_number": f"F{n}",
                "milestone": code,
                "occurred_at": f"2026-03-01T1{i}:00:00Z",
            },
            source="ups",
            id=f"f-{n}-{i}",
            time=f"2026-03-01T1{i}:00:00Z",
        )
        for i, code in enumerate(["picked_up", "in_transit", "delivered"])
        for n in range(SHIPMENTS)
    ]
    return created + scans


@pytest.mark.slow
def test_a_flaky_odoo_gets_every_shipment_exactly_once(tmp_path: Path, store: SqliteStore) -> None:
    with running_odoo(tmp_path, 17) as odoo:
        seed_products(odoo, ["SKU-1"])
        hub = Hub(store, target_for(odoo, timeout=0.5, batch=100))
        flaky = FaultPlan(error_rate=0.3, timeout_after_commit_rate=0.1, hang_seconds=2.0, seed=11)
        odoo.faults(flaky.maintenance_for(30))
        hub.take(events())
        hub.deliver(rounds=5000)
        odoo.faults(FaultPlan())
        admin = odoo.admin()
        pickings = admin.call("stock.picking", "search_read", domain=[], fields=["origin", "state"])
        origins = [p["origin"] for p in pickings]
        assert len(origins) == SHIPMENTS, "duplicates or losses"
        assert sorted(origins) == sorted(f"SO-F{n}" for n in range(SHIPMENTS))
        assert {p["state"] for p in pickings} == {"done"}
        assert (
            admin.call(
                "ir.model.data",
                "search_count",
                domain=[["module", "=", "logisync"], ["model", "=", "stock.picking"]],
            )
            == SHIPMENTS
        )
        states = [d.state for d in store.deliveries("odoo", limit=10_000)]
        assert states.count("dead") == 0
        # The faults did happen: validations were retried after lost answers and refusals.
        assert odoo.calls().get("stock.picking.button_validate", 0) > SHIPMENTS // 100
