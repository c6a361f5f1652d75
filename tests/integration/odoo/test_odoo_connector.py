"""The Odoo connector against the Odoo test server, for every version and protocol: records
land once, business actions happen once, and refusals are dead letters with Odoo's words."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from logisync.core.clock import ManualClock
from logisync.model import new_event
from logisync.model.envelope import Event
from logisync.store.sqlite import SqliteStore
from logisync.testing.odoo.faults import FaultPlan

from .conftest import Hub, running_odoo, seed_partners, seed_products, target_for

PROTOCOLS = [
    (16, "xmlrpc"),
    (16, "jsonrpc"),
    (17, "jsonrpc"),
    (18, "xmlrpc"),
    (18, "jsonrpc"),
    (19, "json2"),
    (19, "jsonrpc"),
]
MILESTONES = ["pre_transit", "picked_up", "in_transit", "out_for_delivery", "delivered"]


def shipment_events(count: int, milestones: list[str] = MILESTONES) -> list[Event]:
    events = [
        new_event(
            "shipment.created",
            {
                "number": f"SH{n}",
                "order_number": f"SO{n}",
                "tracking_number": f"1Z{n:08d}",
                "packages": [{"contents": {"SKU-1": "2", "SKU-2": "1"}}],
            },
            source="wms",
            id=f"ship-{n}",
            time="2026-03-01T08:00:00Z",
        )
        for n in range(count)
    ]
    events += [
        new_event(
            "shipment.milestone_recorded",
            {
                "shipment_number": f"SH{n}",
                "milestone": code,
                "occurred_at": f"2026-03-01T1{step}:00:00Z",
            },
            source="ups",
            id=f"scan-{n}-{step}",
            time=f"2026-03-01T1{step}:00:00Z",
        )
        for step, code in enumerate(milestones)
        for n in range(count)
    ]
    return events


@pytest.mark.parametrize(("version", "protocol"), PROTOCOLS)
def test_shipments_become_validated_pickings_once(
    tmp_path: Path, store: SqliteStore, version: int, protocol: str
) -> None:
    with running_odoo(tmp_path, version) as odoo:
        seed_products(odoo, ["SKU-1", "SKU-2"])
        hub = Hub(store, target_for(odoo, protocol))
        hub.take(shipment_events(5))
        hub.deliver()
        admin = odoo.admin()
        pickings = admin.call(
            "stock.picking",
            "search_read",
            domain=[["origin", "like", "SO"]],
            fields=["origin", "state", "carrier_tracking_ref", "move_ids"],
        )
        assert sorted(p["origin"] for p in pickings) == [f"SO{n}" for n in range(5)]
        assert {p["state"] for p in pickings} == {"done"}
        assert {p["carrier_tracking_ref"] for p in pickings} == {f"1Z{n:08d}" for n in range(5)}
        assert all(len(p["move_ids"]) == 2 for p in pickings)
        quantity = "quantity" if version >= 17 else "quantity_done"
        moves = admin.call("stock.move", "search_read", domain=[], fields=[quantity, "state"])
        assert sorted(m[quantity] for m in moves) == [1.0] * 5 + [2.0] * 5
        assert {m["state"] for m in moves} == {"done"}
        # Everything again (a redrive): nothing new, nothing validated a second time.
        validations = odoo.calls().get("stock.picking.button_validate", 0)
        store.redrive("odoo", domain=None, actor="test", reason="again", now=hub.clock.now())
        hub.deliver()
        assert admin.call("stock.picking", "search_count", domain=[]) == 5
        assert odoo.calls().get("stock.picking.button_validate", 0) == validations
        assert store.dead_letters() == []
        # A tracking number the carrier gives after the picking is done still lands on it
        # (Odoo refuses its operation type, even unchanged, once it left draft).
        hub.take(
            [
                new_event(
                    "shipment.changed",
                    {"number": "SH1", "tracking_number": "1ZNEW"},
                    source="wms",
                    id="late-ref",
                    time="2026-03-02T08:00:00Z",
                )
            ]
        )
        hub.deliver()
        assert store.dead_letters() == []
        [late] = admin.call(
            "stock.picking",
            "search_read",
            domain=[["origin", "=", "SO1"]],
            fields=["carrier_tracking_ref", "state"],
        )
        assert (late["carrier_tracking_ref"], late["state"]) == ("1ZNEW", "done")


@pytest.mark.parametrize("version", [16, 17, 18, 19])
def test_orders_are_confirmed_and_invoices_posted_once(
    tmp_path: Path, store: SqliteStore, version: int
) -> None:
    with running_odoo(tmp_path, version) as odoo:
        seed_products(odoo, ["SKU-1"])
        seed_partners(odoo, ["C1"])
        odoo.admin().call(
            "product.product",
            "create",
            vals_list=[{"name": "Priced", "default_code": "PRICED", "lst_price": 99}],
        )
        hub = Hub(store, target_for(odoo))
        order = {
            "number": "WEB-1",
            "customer_ref": "C1",
            "lines": [
                {
                    "line_no": 1,
                    "sku": "SKU-1",
                    "quantity": {"value": "3"},
                    "unit_price": {"amount": "10", "currency": "EUR"},
                },
                {"line_no": 2, "sku": "PRICED", "quantity": {"value": "1"}},
            ],
        }
        invoice = {
            "number": "INV-1",
            "partner_ref": "C1",
            "order_number": "WEB-1",
            "lines": [
                {
                    "sku": "SKU-1",
                    "description": "Product",
                    "quantity": {"value": "3"},
                    "unit_price": {"amount": "10", "currency": "EUR"},
                }
            ],
        }
        hub.take(
            [
                new_event(
                    "sales_order.placed", order, source="shop", id="o1", time="2026-03-01T08:00:00Z"
                ),
                new_event(
                    "sales_order.confirmed",
                    order,
                    source="shop",
                    id="o2",
                    time="2026-03-01T09:00:00Z",
                ),
                new_event(
                    "invoice.posted",
                    invoice,
                    source="billing",
                    id="i1",
                    time="2026-03-01T10:00:00Z",
                ),
            ]
        )
        hub.deliver()
        admin = odoo.admin()
        [sale] = admin.call(
            "sale.order",
            "search_read",
            domain=[["client_order_ref", "=", "WEB-1"]],
            fields=["state", "order_line"],
        )
        assert sale["state"] == "sale" and len(sale["order_line"]) == 2
        # A line that does not say its price keeps Odoo's (no blank cell made it 0).
        prices = admin.call(
            "sale.order.line", "read", ids=sale["order_line"], fields=["price_unit"]
        )
        assert sorted(line["price_unit"] for line in prices) == [10.0, 99.0]
        [move] = admin.call(
            "account.move",
            "search_read",
            domain=[["ref", "=", "INV-1"]],
            fields=["state", "amount_total", "move_type"],
        )
        assert (move["state"], move["move_type"]) == ("posted", "out_invoice")
        confirms = odoo.calls().get("sale.order.action_confirm", 0)
        store.redrive("odoo", domain=None, actor="test", reason="again", now=hub.clock.now())
        hub.deliver()
        assert odoo.calls().get("sale.order.action_confirm", 0) == confirms
        assert admin.call("sale.order", "search_count", domain=[]) == 1


def test_an_unknown_product_waits_and_a_refused_record_is_a_dead_letter_with_odoos_words(
    tmp_path: Path, store: SqliteStore
) -> None:
    with running_odoo(tmp_path, 17) as odoo:
        seed_products(odoo, ["SKU-1"])
        seed_partners(odoo, ["C1"])
        hub = Hub(store, target_for(odoo))
        hub.take(shipment_events(1))  # SKU-2 is not in Odoo yet
        hub.worker.run_until_idle()
        [waiting] = store.deliveries("odoo")
        assert waiting.state == "pending"
        assert "SKU-2" in (store.attempts(waiting.id)[-1][3] or "")
        seed_products(odoo, ["SKU-2"])
        hub.deliver()
        assert store.deliveries("odoo")[0].state == "delivered"
        # Odoo refuses a product with a barcode another product has: permanent.
        products = [
            new_event(
                "product.changed",
                {"sku": "P1", "name": "One", "gtin": "4006381333931"},
                source="pim",
                id="p1",
                time="2026-03-01T10:00:00Z",
            ),
            new_event(
                "product.changed",
                {"sku": "P2", "name": "Two", "gtin": "4006381333931"},
                source="pim",
                id="p2",
                time="2026-03-01T10:00:00Z",
            ),
        ]
        hub.take(products)
        hub.deliver()
        states = {d.entity_key: d for d in store.deliveries("odoo")}
        dead = store.dead_letters()
        assert len(dead) == 1 and "barcode" in (dead[0].last_error or "").lower()
        assert (
            states["product:P1"].state == "delivered" or states["product:P2"].state == "delivered"
        )


def test_refused_credentials_hold_the_deliveries_back_without_losing_them_or_the_secret(
    tmp_path: Path, store: SqliteStore
) -> None:
    from logisync.connectors.odoo import JsonRpc, OdooSettings, OdooTarget

    with running_odoo(tmp_path, 17) as odoo:
        seed_products(odoo, ["SKU-1", "SKU-2"])
        rpc = JsonRpc(odoo.url, odoo.database, "integration", "s3cret-wrong")
        target = OdooTarget(rpc, OdooSettings(database=odoo.database, user="integration"), 17)
        hub = Hub(store, target)
        hub.take(shipment_events(2))
        hub.worker.run_until_idle()
        waiting = store.deliveries("odoo")
        assert {d.state for d in waiting} == {"pending"}, "a rotated key must not kill a backlog"
        detail = store.attempts(waiting[0].id)[-1][3] or ""
        assert "refused the credentials" in detail and "s3cret" not in detail
        assert datetime.fromisoformat(waiting[0].due_at) >= hub.clock.now() + timedelta(seconds=290)


def test_a_maintenance_window_is_waited_out_as_odoo_says_and_then_delivered(
    tmp_path: Path, store: SqliteStore
) -> None:
    clock = ManualClock()
    with running_odoo(tmp_path, 18, clock=clock) as odoo:
        seed_products(odoo, ["SKU-1", "SKU-2"])
        hub = Hub(store, target_for(odoo), clock)
        hub.take(shipment_events(2))
        odoo.faults(FaultPlan().maintenance_for(600, now=clock.now()))
        hub.worker.run_until_idle()
        waiting = store.deliveries("odoo")
        assert {d.state for d in waiting} == {"pending"}
        for delivery in waiting:  # not before the end of the window Odoo's proxy announced
            assert datetime.fromisoformat(delivery.due_at) >= clock.now() + timedelta(seconds=590)
        assert "503" in (store.attempts(waiting[0].id)[-1][3] or "")
        hub.deliver()
        assert {d.state for d in store.deliveries("odoo")} == {"delivered"}


def test_a_user_without_write_access_gets_dead_letters_with_odoos_access_error(
    tmp_path: Path, store: SqliteStore
) -> None:
    from logisync.connectors.odoo import JsonRpc, OdooSettings, OdooTarget

    with running_odoo(tmp_path, 17) as odoo:
        seed_partners(odoo, ["C1"])
        rpc = JsonRpc(odoo.url, odoo.database, "readonly", "readonly")
        target = OdooTarget(rpc, OdooSettings(database=odoo.database, user="readonly"), 17)
        hub = Hub(store, target)
        hub.take(
            [
                new_event(
                    "partner.changed",
                    {"ref": "C2", "name": "New"},
                    source="crm",
                    id="c2",
                    time="2026-03-01T10:00:00Z",
                )
            ]
        )
        hub.deliver()
        [dead] = store.dead_letters()
        assert "not allowed" in (dead.last_error or "").lower()
        assert odoo.admin().call("res.partner", "search_count", domain=[["ref", "=", "C2"]]) == 0


@pytest.mark.parametrize("version", [16, 19])
def test_warehouse_counts_become_odoo_on_hand_quantities_applied_once(
    tmp_path: Path, store: SqliteStore, version: int
) -> None:
    with running_odoo(tmp_path, version) as odoo:
        seed_products(odoo, ["SKU-1", "SKU-2"])
        locations = {"WH1": "stock.stock_location_stock"}
        hub = Hub(store, target_for(odoo, locations=locations))
        counts = [
            new_event(
                "stock.level_reported",
                {"location": "WH1", "sku": sku, "on_hand": {"value": qty, "unit": "H87"}},
                source="wms",
                id=f"count-{sku}",
                time="2026-03-01T06:00:00Z",
            )
            for sku, qty in (("SKU-1", "40"), ("SKU-2", "7"))
        ]
        unmapped = new_event(
            "stock.level_reported",
            {"location": "WH9", "sku": "SKU-1", "on_hand": {"value": "1", "unit": "H87"}},
            source="wms",
            id="count-wh9",
            time="2026-03-01T06:00:00Z",
        )
        hub.take([*counts, unmapped])
        hub.deliver()
        admin = odoo.admin()
        quants = admin.call(
            "stock.quant",
            "search_read",
            domain=[["location_id.usage", "=", "internal"]],
            fields=["product_id", "quantity"],
        )
        assert sorted(q["quantity"] for q in quants) == [7.0, 40.0]
        [dead] = store.dead_letters()
        assert "WH9" in (dead.last_error or "")
        applied = odoo.calls().get("stock.quant.action_apply_inventory", 0)
        again = store.redrive(
            "odoo", domain="stock_level", actor="test", reason="again", now=hub.clock.now()
        )
        assert again == 3
        hub.deliver()
        assert odoo.calls().get("stock.quant.action_apply_inventory", 0) == applied


@pytest.mark.parametrize("version", [16, 17, 19])
def test_with_pickings_made_by_odoo_the_hub_completes_the_orders_picking_not_a_second_one(
    tmp_path: Path, store: SqliteStore, version: int
) -> None:
    with running_odoo(tmp_path, version) as odoo:
        seed_products(odoo, ["SKU-1", "SKU-2"])
        seed_partners(odoo, ["C1"])
        admin = odoo.admin()
        [partner] = admin.call("res.partner", "search", domain=[["ref", "=", "C1"]])
        products = {
            p["default_code"]: p["id"]
            for p in admin.call(
                "product.product", "search_read", domain=[], fields=["default_code"]
            )
        }
        lines = [
            [0, 0, {"product_id": products[s], "product_uom_qty": q}]
            for s, q in (("SKU-1", 2), ("SKU-2", 1))
        ]
        order = admin.call(
            "sale.order",
            "create",
            vals_list=[{"partner_id": partner, "client_order_ref": "SO0", "order_line": lines}],
        )
        admin.call("sale.order", "action_confirm", ids=order)
        assert admin.call("stock.picking", "search_count", domain=[]) == 1
        hub = Hub(store, target_for(odoo, pickings="odoo"))
        hub.take(shipment_events(2))  # SO0 has Odoo's picking; SO1 has no order in Odoo
        hub.worker.run_until_idle()
        [picking] = admin.call(
            "stock.picking", "search_read", domain=[], fields=["state", "carrier_tracking_ref"]
        )
        assert (picking["state"], picking["carrier_tracking_ref"]) == ("done", "1Z00000000")
        waiting = {d.entity_key: d for d in store.deliveries("odoo")}
        assert waiting["shipment:SH0"].state == "delivered"
        assert waiting["shipment:SH1"].state == "pending"
        assert "no delivery order for order SO1" in (
            store.attempts(waiting["shipment:SH1"].id)[-1][3] or ""
        )
        assert store.resolve("odoo", f"stock.picking,{picking['id']}") == "shipment:SH0"
