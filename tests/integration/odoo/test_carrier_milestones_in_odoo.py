"""Carrier scans that arrive shuffled and repeated end in the right milestone, in the hub and
in Odoo, and Odoo never sees a shipment's milestone move back on the way.

The shipment has two packages, each with its own tracking number and its own scans; one is
delivered hours before the other, so the shipment is delivered only when the second is.
Deliveries run between arrivals, as they do in production, so every intermediate state
reaches Odoo.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from logisync.model import LIFECYCLES, new_event
from logisync.model.envelope import Event
from logisync.store.sqlite import SqliteStore

from .conftest import Hub, running_odoo, seed_products, target_for

FIELD = "x_studio_carrier_status"
START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
PACKAGES = {"1Z999AA10000000011": "SKU-1", "1Z999AA10000000022": "SKU-2"}
JOURNEYS = {
    "1Z999AA10000000011": [
        "pre_transit",
        "picked_up",
        "in_transit",
        "out_for_delivery",
        "delivered",
    ],
    "1Z999AA10000000022": [
        "pre_transit",
        "picked_up",
        "in_transit",
        "exception",  # a missed connection, then the journey resumes
        "in_transit",
        "out_for_delivery",
        "delivery_attempted",
        "out_for_delivery",
        "delivered",
    ],
}
RANK = LIFECYCLES["shipment"].rank


def _dispatch() -> Event:
    return new_event(
        "shipment.dispatched",
        {
            "number": "SH-77",
            "order_number": "SO-77",
            "carrier": "ups",
            "tracking_number": "1Z999AA10000000011",
            "packages": [
                {"tracking_number": number, "contents": {sku: "1"}}
                for number, sku in PACKAGES.items()
            ],
        },
        source="wms",
        id="dispatch-77",
        time=START.isoformat(),
    )


def _scans() -> list[Event]:
    scans = []
    for lead, (number, journey) in enumerate(JOURNEYS.items()):
        for step, milestone in enumerate(journey):
            at = START + timedelta(hours=step * 2 + lead * 3, minutes=lead)
            scans.append(
                new_event(
                    "shipment.milestone_recorded",
                    {
                        "shipment_number": "SH-77",
                        "carrier": "ups",
                        "tracking_number": number,
                        "milestone": milestone,
                        "occurred_at": at.isoformat(),
                    },
                    source="ups",
                    id=f"{number}-{step}",
                    time=at.isoformat(),
                    sourceversion=at.isoformat(),
                )
            )
    return scans


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_repeated_scans_end_delivered_and_odoo_never_goes_back(
    tmp_path: Path, store: SqliteStore, seed: int
) -> None:
    rng = random.Random(seed)
    scans = _scans()
    arriving = scans + rng.sample(scans, 6)  # repeats: webhook and poll both bring them
    rng.shuffle(arriving)
    with running_odoo(tmp_path, 17, custom_fields={"stock.picking": {FIELD: "char"}}) as odoo:
        seed_products(odoo, list(PACKAGES.values()))
        hub = Hub(store, target_for(odoo, milestone_field=FIELD))
        hub.take([_dispatch()])
        seen_in_odoo: list[str] = []
        delivered: set[str] = set()  # packages whose delivery scan has arrived
        for start in range(0, len(arriving), 3):
            batch = arriving[start : start + 3]
            delivered |= {
                e.data["tracking_number"] for e in batch if e.data["milestone"] == "delivered"
            }
            hub.take(batch)
            hub.deliver()
            picking = _picking(odoo.admin())
            if picking[FIELD]:
                seen_in_odoo.append(picking[FIELD])
            if picking[FIELD] == "delivered":
                assert delivered == set(PACKAGES), "delivered before every package was"
        projection = store.get_projection("shipment:SH-77")
        assert projection is not None
        assert projection.state["status"]["milestone"] == "delivered"
        # the later package's delivery is the shipment's
        assert projection.state["status"]["tracking_number"] == "1Z999AA10000000022"
        picking = _picking(odoo.admin())
        assert (picking[FIELD], picking["state"]) == ("delivered", "done")
        ranks = [RANK({"milestone": m}) for m in seen_in_odoo]
        assert ranks == sorted(ranks), f"Odoo saw the milestone move back: {seen_in_odoo}"
        assert odoo.admin().call("stock.picking", "search_count", domain=[]) == 1
        assert store.dead_letters() == []


def _picking(admin: Any) -> dict[str, Any]:
    [picking] = admin.call(
        "stock.picking",
        "search_read",
        domain=[["origin", "=", "SO-77"]],
        fields=[FIELD, "state"],
    )
    return dict(picking)


def _orphaned(scan: Event) -> Event:
    """A scan as the webhook route journals it before any fact links its tracking number:
    under the tracking number."""
    return new_event(
        scan.type,
        {**scan.data, "shipment_number": scan.data["tracking_number"]},
        source=scan.source,
        id=scan.id,
        time=scan.time.isoformat(),
        sourceversion=scan.sourceversion,
    )


def test_scans_before_the_dispatch_move_onto_the_shipment_and_make_no_empty_picking(
    tmp_path: Path, store: SqliteStore
) -> None:
    early = [s for s in _scans() if s.data["tracking_number"] == "1Z999AA10000000011"][:3]
    orphans = [_orphaned(e) for e in early]
    with running_odoo(tmp_path, 17, custom_fields={"stock.picking": {FIELD: "char"}}) as odoo:
        seed_products(odoo, list(PACKAGES.values()))
        hub = Hub(store, target_for(odoo, milestone_field=FIELD))
        hub.take(orphans)
        hub.worker.run_until_idle()
        assert odoo.admin().call("stock.picking", "search_count", domain=[]) == 0
        # nothing to write yet is a delivered no-op: no retries until a dead letter
        orphan = store.deliveries(entity_key="shipment:1Z999AA10000000011")
        assert orphan and {d.state for d in orphan} == {"delivered"}
        hub.take([_dispatch()])
        hub.take([])  # the re-journaled scans are processed on the next round
        projection = store.get_projection("shipment:SH-77")
        assert projection is not None
        assert projection.state["status"]["milestone"] == "in_transit"
        hub.worker.run_until_idle()
        assert _picking(odoo.admin())[FIELD] == "in_transit"
        # doing it again (a redelivered dispatch) journals nothing new
        journaled = store.counts().journal
        hub.take([_dispatch()])
        assert store.counts().journal == journaled


def test_an_early_scan_is_no_dead_letter_when_odoo_makes_the_pickings(
    tmp_path: Path, store: SqliteStore
) -> None:
    """With ``pickings: odoo`` the hub looks the order's picking up: a scan with no order yet
    has none to find, and must not wait for one until it is dead-lettered."""
    scan = next(s for s in _scans() if s.data["tracking_number"] == "1Z999AA10000000011")
    orphan = _orphaned(scan)
    with running_odoo(tmp_path, 17) as odoo:
        hub = Hub(store, target_for(odoo, pickings="odoo"))
        hub.take([orphan])
        hub.worker.run_until_idle()
        deliveries = store.deliveries(entity_key="shipment:1Z999AA10000000011")
        assert deliveries and {d.state for d in deliveries} == {"delivered"}
        assert odoo.admin().call("stock.picking", "search_count", domain=[]) == 0
