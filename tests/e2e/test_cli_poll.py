"""``logisync poll`` against a running Odoo test server, as an operator runs it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from logisync.cli import app
from logisync.connectors.odoo import JsonRpc
from logisync.store.sqlite import SqliteStore
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
