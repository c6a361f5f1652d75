"""How many calls Odoo gets (issue 6): the hub's connector beside a naive client.

    python bench/odoo_calls.py [--shipments 100] [--milestones 10] [--version 17]

100 shipments x 10 carrier milestones = 1,000 events, as a carrier sends them: in waves
(every shipment's first scan, then every shipment's second...). After each wave the hub
processes and delivers what it has, so coalescing only merges what arrived together; a
second figure delivers once after all the waves (a backlog after an outage).

The baseline is the client integrations write by hand: per event, find the picking by its
origin and write the tracking state on it (``search`` + ``write``), and validate it when the
first pick-up scan arrives. Target: hub <= 120 calls for the 1,000 events, naive >= 1,000.
Both run against the Odoo test server over JSON-RPC; the server counts every call.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from logisync.connectors.odoo import JsonRpc, OdooSettings, OdooTarget
from logisync.core.clock import ManualClock
from logisync.core.delivery.worker import DeliveryWorker
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules
from logisync.model import new_event
from logisync.model.envelope import Event
from logisync.store.sqlite import SqliteStore
from logisync.testing.odoo.running import OdooSim, odoo_sim

PROTOCOLS = ("xmlrpc", "jsonrpc", "web", "json2")


def requests(odoo: OdooSim) -> int:
    """RPC requests the server received (each is counted once under its protocol)."""
    calls = odoo.calls()
    return sum(calls.get(protocol, 0) for protocol in PROTOCOLS)


RULES = Rules(flows=(Flow("tracking to odoo", ("shipment.*",), "odoo", "state"),))


class Hub:
    """Journal -> processor -> delivery worker into the Odoo test server."""

    def __init__(self, store: SqliteStore, odoo: OdooSim) -> None:
        self.store = store
        self.clock = ManualClock()
        user = odoo.user
        rpc = JsonRpc(odoo.url, odoo.database, user.login, user.password)
        settings = OdooSettings(database=odoo.database, user=user.login)
        target = OdooTarget(rpc, settings, odoo.version)
        self.worker = DeliveryWorker(store, {"odoo": target}, clock=self.clock)

    def take(self, events: list[Event]) -> None:
        Journal(self.store, self.clock).append(events)
        Processor(self.store, RULES, clock=self.clock).run_until_idle()

    def deliver(self) -> None:
        self.worker.run_until_idle()
        if self.store.counts().deliveries_pending:
            raise RuntimeError("deliveries failed: see the dead letters and attempts")


def seed_products(odoo: OdooSim, skus: list[str]) -> None:
    admin = JsonRpc(odoo.url, odoo.database, "admin", "admin")
    values = [{"name": f"Product {sku}", "default_code": sku} for sku in skus]
    admin.call("product.product", "create", vals_list=values)


CODES = [
    "pre_transit",
    "picked_up",
    "in_transit",
    "in_transit",
    "in_transit",
    "in_transit",
    "in_transit",
    "out_for_delivery",
    "delivery_attempted",
    "delivered",
]


def created(shipments: int) -> list[Event]:
    return [
        new_event(
            "shipment.created",
            {
                "number": f"B{n}",
                "order_number": f"SO-B{n}",
                "tracking_number": f"1ZB{n:07d}",
                "packages": [{"contents": {"SKU-1": "1"}}],
            },
            source="wms",
            id=f"b-{n}",
            time="2026-03-01T07:00:00Z",
        )
        for n in range(shipments)
    ]


def wave(shipments: int, step: int, milestones: int) -> list[Event]:
    code = CODES[step * len(CODES) // milestones]
    return [
        new_event(
            "shipment.milestone_recorded",
            {
                "shipment_number": f"B{n}",
                "milestone": code,
                "occurred_at": f"2026-03-01T{8 + step:02d}:00:00Z",
                "location": {"city": f"Hub {step}"},
            },
            source="ups",
            id=f"b-{n}-{step}",
            time=f"2026-03-01T{8 + step:02d}:00:00Z",
        )
        for n in range(shipments)
    ]


def hub_calls(tmp: Path, args: argparse.Namespace, deliver_each_wave: bool) -> tuple[int, float]:
    with odoo_sim(args.version) as odoo:
        seed_products(odoo, ["SKU-1"])
        store = SqliteStore(tmp / f"hub-{deliver_each_wave}.db")
        hub = Hub(store, odoo)
        hub.take(created(args.shipments))
        hub.deliver()  # the pickings exist before the carrier scans, as in life
        before = requests(odoo)
        started = time.perf_counter()
        for step in range(args.milestones):
            hub.take(wave(args.shipments, step, args.milestones))
            if deliver_each_wave:
                hub.deliver()
        hub.deliver()
        store.close()
        return requests(odoo) - before, time.perf_counter() - started


def naive_calls(args: argparse.Namespace) -> tuple[int, float]:
    with odoo_sim(args.version) as odoo:
        seed_products(odoo, ["SKU-1"])
        admin = JsonRpc(odoo.url, odoo.database, "admin", "admin")
        location = admin.call(
            "ir.model.data", "check_object_reference", module="stock", xml_id="stock_location_stock"
        )[1]
        customers = admin.call(
            "ir.model.data",
            "check_object_reference",
            module="stock",
            xml_id="stock_location_customers",
        )[1]
        kind = admin.call(
            "ir.model.data", "check_object_reference", module="stock", xml_id="picking_type_out"
        )[1]
        [product] = admin.call("product.product", "search", domain=[["default_code", "=", "SKU-1"]])
        for n in range(args.shipments):
            admin.call(
                "stock.picking",
                "create",
                vals_list=[
                    {
                        "origin": f"SO-B{n}",
                        "picking_type_id": kind,
                        "location_id": location,
                        "location_dest_id": customers,
                        "move_ids": [
                            [
                                0,
                                0,
                                {
                                    "name": "SKU-1",
                                    "product_id": product,
                                    "product_uom_qty": 1,
                                    "location_id": location,
                                    "location_dest_id": customers,
                                },
                            ]
                        ],
                    }
                ],
            )
        client = JsonRpc(odoo.url, odoo.database, odoo.user.login, odoo.user.password)
        before = requests(odoo)
        started = time.perf_counter()
        quantity = "quantity" if args.version >= 17 else "quantity_done"
        for step in range(args.milestones):
            code = CODES[step * len(CODES) // args.milestones]
            for event in wave(args.shipments, step, args.milestones):
                number = event.data["shipment_number"]
                [picking] = client.call(
                    "stock.picking", "search", domain=[["origin", "=", f"SO-{number}"]]
                )
                client.call(
                    "stock.picking",
                    "write",
                    ids=[picking],
                    vals={"carrier_tracking_ref": f"1Z{number}"},
                )
                if code == "picked_up":
                    moves = client.call(
                        "stock.move", "search", domain=[["picking_id", "=", picking]]
                    )
                    client.call("stock.move", "write", ids=moves, vals={quantity: 1})
                    client.call("stock.picking", "button_validate", ids=[picking])
        return requests(odoo) - before, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shipments", type=int, default=100)
    parser.add_argument("--milestones", type=int, default=10)
    parser.add_argument("--version", type=int, default=17)
    args = parser.parse_args()
    events = args.shipments * args.milestones
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        naive, naive_s = naive_calls(args)
        waves, waves_s = hub_calls(tmp, args, deliver_each_wave=True)
        backlog, backlog_s = hub_calls(tmp, args, deliver_each_wave=False)
    print(f"{events} milestone events, {args.shipments} shipments, Odoo {args.version}")
    print(f"  naive client (baseline): {naive:6d} calls  {naive_s:6.2f} s")
    print(f"  hub, delivering each wave: {waves:4d} calls  {waves_s:6.2f} s   target <= 120")
    print(f"  hub, one backlog:          {backlog:4d} calls  {backlog_s:6.2f} s")
    print(f"  calls saved: {naive / max(1, waves):.1f}x fewer than the baseline")


if __name__ == "__main__":
    main()
