"""The Odoo poller: every change once, at equal write dates and with writes racing the poll;
the hub's own writes not echoed; a person's edit of a record the hub made keyed as the hub's."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from logisync.connectors.odoo.poller import OdooPoller
from logisync.core.clock import ManualClock
from logisync.core.records import JournalRecord
from logisync.store.sqlite import SqliteStore

from .conftest import Hub, running_odoo, seed_products, target_for
from .test_odoo_connector import shipment_events


def journaled_by(store: SqliteStore, source: str) -> list[JournalRecord]:
    everything = store.events_by_seq(list(range(1, store.counts().journal + 1)))
    return [record for _, record in sorted(everything.items()) if record.source == source]


def test_every_change_is_journaled_once_while_writes_race_the_polls(
    tmp_path: Path, store: SqliteStore
) -> None:
    with running_odoo(tmp_path, 17) as odoo:
        admin = odoo.admin()
        poller = OdooPoller(odoo.rpc(), store, source="odoo", domains=["partner"], page=7)
        created = admin.call(
            "res.partner",
            "create",
            vals_list=[{"name": f"P{n}", "ref": f"P{n}"} for n in range(60)],
        )
        stop = threading.Event()

        def edit_each_once() -> None:
            writer = odoo.admin()
            for partner_id in created:
                writer.call(
                    "res.partner",
                    "write",
                    ids=[partner_id],
                    vals={"email": f"p{partner_id}@example.com"},
                )
            stop.set()

        thread = threading.Thread(target=edit_each_once)
        thread.start()
        while not stop.is_set():
            poller.poll_once()
        thread.join()
        poller.poll_once()
        poller.poll_once()
        events = journaled_by(store, "odoo")
        final = [e for e in events if e.data.get("email") and e.data["ref"].startswith("P")]
        assert sorted(e.data["ref"] for e in final) == sorted(f"P{n}" for n in range(60))
        seen = [(e.data["ref"], e.data.get("email")) for e in events]
        assert len(seen) == len(set(seen)), "a change was journaled twice"


def test_records_written_in_one_second_are_all_read(tmp_path: Path, store: SqliteStore) -> None:
    frozen = ManualClock(datetime(2026, 3, 1, 10, 0, 0, tzinfo=UTC))
    with running_odoo(tmp_path, 18, clock=frozen) as odoo:
        admin = odoo.admin()
        poller = OdooPoller(odoo.rpc(), store, source="odoo", domains=["partner"], page=5)
        admin.call(
            "res.partner",
            "create",
            vals_list=[{"name": f"A{n}", "ref": f"A{n}"} for n in range(12)],
        )
        first = poller.poll_once()
        admin.call(
            "res.partner",
            "create",
            vals_list=[{"name": f"B{n}", "ref": f"B{n}"} for n in range(12)],
        )
        second = poller.poll_once()
        third = poller.poll_once()
        assert first.journaled >= 12 and second.journaled == 12 and third.journaled == 0
        assert second.already_known >= 12


def test_the_hubs_own_writes_are_not_echoed_and_a_persons_edit_keeps_the_hubs_key(
    tmp_path: Path, store: SqliteStore
) -> None:
    with running_odoo(tmp_path, 17) as odoo:
        seed_products(odoo, ["SKU-1", "SKU-2"])
        hub = Hub(store, target_for(odoo))
        hub.take(shipment_events(3))
        hub.deliver()
        poller = OdooPoller(odoo.rpc(), store, source="odoo", domains=["shipment"])
        assert poller.poll_once().journaled == 0
        admin = odoo.admin()
        [picking] = admin.call("stock.picking", "search", domain=[["origin", "=", "SO1"]])
        admin.call(
            "stock.picking", "write", ids=[picking], vals={"carrier_tracking_ref": "NEW-REF"}
        )
        report = poller.poll_once()
        assert report.journaled == 1
        [event] = [e for e in store.events_for("shipment:SH1") if e.source == "odoo"]
        assert event.data["tracking_number"] == "NEW-REF"
