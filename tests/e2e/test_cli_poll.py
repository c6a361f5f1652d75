"""``logisync poll`` against a running Odoo test server, as an operator runs it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from logisync.cli import app
from logisync.connectors.odoo import JsonRpc
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Rules
from logisync.model import new_event
from logisync.store.sqlite import SqliteStore
from logisync.testing.carrier_hub import carrier_hub
from logisync.testing.odoo.faults import FaultPlan
from logisync.testing.odoo.running import odoo_sim

runner = CliRunner()


def test_poll_once_journals_odoos_changes_and_reports_an_outage(tmp_path: Path) -> None:
    with odoo_sim(17) as odoo:
        admin = JsonRpc(odoo.url, odoo.database, "admin", "admin")
        admin.call("res.partner", "create", vals_list=[{"name": "Acme", "ref": "ACME"}])
        config = tmp_path / "hub.yaml"
        config.write_text(
            f"store: sqlite:///{tmp_path / 'hub.db'}\n"
            "systems:\n"
            "  erp:\n"
            "    kind: odoo\n"
            f"    url: {odoo.url}\n"
            "    version: 17\n"
            f"    database: {odoo.database}\n"
            f"    user: {odoo.user.login}\n"
            "    password: env:ERP_PASSWORD\n"
            "    poll: [partner]\n"
            "ownership: {}\n"
            "flows: []\n"
        )
        env = {"ERP_PASSWORD": odoo.user.password, "LOGISYNC_STORE": ""}
        first = runner.invoke(app, ["poll", str(config), "--once"], env=env)
        assert first.exit_code == 0, first.output
        assert "journaled" in first.output
        store = SqliteStore(tmp_path / "hub.db")
        [event] = store.events_for("partner:ACME")
        assert event.source == "erp" and event.data["name"] == "Acme"
        odoo.faults = FaultPlan(error_rate=1.0)
        down = runner.invoke(app, ["poll", str(config), "--once"], env=env)
        assert down.exit_code == 1
        assert "poll failed" in down.output and odoo.user.password not in down.output


def test_poll_once_asks_dhl_and_usps_about_shipments_on_their_way(tmp_path: Path) -> None:
    with carrier_hub(seed=3) as carriers:
        dhl = carriers.register("dhl", outcome="delivered")
        usps = carriers.register("usps", outcome="delivered")
        carriers.advance(2 * 24 * 3600)
        store = SqliteStore(tmp_path / "hub.db")
        Journal(store).append(
            [
                new_event(
                    "shipment.dispatched",
                    {"number": f"SH-{n}", "carrier": carrier, "tracking_number": number},
                    source="wms",
                    id=f"dispatch-{n}",
                    time="2026-03-01T08:00:00Z",
                )
                for n, (carrier, number) in enumerate(
                    [("DHL Express", dhl.tracking_number), ("USPS", usps.tracking_number)]
                )
            ]
        )
        Processor(store, Rules()).run_until_idle()
        config = tmp_path / "hub.yaml"
        config.write_text(
            f"store: sqlite:///{tmp_path / 'hub.db'}\n"
            "systems:\n"
            f"  dhl: {{kind: dhl, url: '{carriers.url}', rate_limit: 20/s,\n"
            "        headers: {DHL-API-Key: env:DHL_KEY}}\n"
            f"  usps: {{kind: usps, url: '{carriers.url}', rate_limit: 20/s,\n"
            "         headers: {Authorization: env:USPS_BEARER}}\n"
            "ownership: {}\n"
            "flows: []\n"
        )
        env = {
            "DHL_KEY": carriers.credentials.dhl_api_key,
            "USPS_BEARER": f"Bearer {carriers.credentials.usps_bearer}",
            "LOGISYNC_STORE": "",
        }
        polled = runner.invoke(app, ["poll", str(config), "--once"], env=env)
        assert polled.exit_code == 0, polled.output
        assert "carriers (dhl, usps): polled 2" in polled.output
        for n in range(2):
            scans = [e for e in store.events_for(f"shipment:SH-{n}") if e.source != "wms"]
            assert scans and all(e.type == "shipment.milestone_recorded" for e in scans)
        again = runner.invoke(app, ["poll", str(config), "--once"], env=env)
        assert "journaled 0" in again.output  # the same scans again: nothing new
