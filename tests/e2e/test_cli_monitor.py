"""``logisync monitor --once``: one tick over the configured monitors, alerts listed, exit 1
while any is active (for cron jobs and scripts)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from logisync.cli import app
from logisync.store.sqlite import SqliteStore

runner = CliRunner()


def test_monitor_once_lists_active_alerts_as_json_and_keeps_them_single(tmp_path: Path) -> None:
    config = tmp_path / "hub.yaml"
    config.write_text(
        f"store: sqlite:///{tmp_path / 'hub.db'}\n"
        "systems:\n  ups: {kind: ups}\n"
        "monitors:\n"
        "  - {name: ups silent, kind: silent, source: ups, after: 30m}\n"
        "  - name: delivered but not invoiced\n"
        "    kind: stuck\n"
        "    entity: shipment\n"
        "    in: {status: delivered}\n"
        "    missing: {entity: invoice, status: [posted, paid]}\n"
        "    after: 2h\n"
    )
    SqliteStore(tmp_path / "hub.db").close()
    for _ in range(2):
        result = runner.invoke(app, ["monitor", "--config", str(config), "--once", "--json"])
        assert result.exit_code == 1, result.output
        [alert] = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        assert alert["monitor"] == "ups silent" and alert["subject"] == "source:ups"
        assert "nothing ever received" in alert["detail"]


def test_monitor_once_exits_0_without_alerts(tmp_path: Path) -> None:
    config = tmp_path / "hub.yaml"
    config.write_text(f"store: sqlite:///{tmp_path / 'hub.db'}\n")
    SqliteStore(tmp_path / "hub.db").close()
    result = runner.invoke(app, ["monitor", "--config", str(config), "--once"])
    assert result.exit_code == 0, result.output
