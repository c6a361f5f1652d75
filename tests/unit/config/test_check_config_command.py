"""``logisync check-config FILE``: OK and exit 0, or every problem located and exit 4."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import logisync
from logisync.cli import app
from logisync.cli_exit import ExitCode

EXAMPLE = Path(logisync.__file__).parent / "examples" / "hub.yaml"
runner = CliRunner()


def test_the_example_passes() -> None:
    result = runner.invoke(app, ["check-config", str(EXAMPLE)], env={"LOGISYNC_STORE": ""})
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"OK: {EXAMPLE}: 9 systems (odoo, wms, tms, shop, ups,")
    assert "8 flows" in result.output


def test_a_postgres_password_is_not_shown_in_the_summary() -> None:
    store = "postgresql://hub:pg-pass-123@db.internal/hub"
    result = runner.invoke(app, ["check-config", str(EXAMPLE)], env={"LOGISYNC_STORE": store})
    assert result.exit_code == 0, result.output
    assert "store postgresql://hub:***@db.internal/hub" in result.output
    assert "pg-pass-123" not in result.output


def test_a_bad_file_lists_every_problem_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "hub.yaml"
    path.write_text(
        "systems:\n"
        "  odoo: {kind: odoo, password: plain-text-pw}\n"
        "flows:\n"
        "  - {name: a, on: [invoice.posted], to: erp}\n"
    )
    result = runner.invoke(app, ["check-config", str(path)], env={"LOGISYNC_STORE": ""})
    assert result.exit_code == ExitCode.CONFIG_INVALID
    assert result.output.splitlines() == [
        f"{path}:2:32: systems.odoo.password: secrets must be given by reference "
        "(env:NAME or file:/path), never inline in the configuration file",
        f"{path}:4:41: flows[0].to: 'erp' is not a declared system; the systems are odoo",
        f"2 problems in {path}",
    ]
    assert "plain-text-pw" not in result.output


def test_a_missing_file_fails() -> None:
    result = runner.invoke(app, ["check-config", "no/such/hub.yaml"])
    assert result.exit_code == ExitCode.CONFIG_INVALID
    assert result.output.splitlines()[0] == "no/such/hub.yaml: the file does not exist"


def test_an_odoo_systems_own_settings_are_checked_where_they_are_written(tmp_path: Path) -> None:
    path = tmp_path / "hub.yaml"
    path.write_text(
        "systems:\n"
        "  erp:\n"
        "    kind: odoo\n"
        "    url: https://erp.example.com\n"
        "    version: 15\n"
        "    user: env:ODOO_USER\n"
        "    batch: 0\n"
        "    protocol: json2\n"
    )
    result = runner.invoke(app, ["check-config", str(path)], env={"LOGISYNC_STORE": ""})
    assert result.exit_code == ExitCode.CONFIG_INVALID
    assert result.output.splitlines() == [
        f"{path}:3:5: systems.erp.database: missing: an Odoo system needs it",
        f"{path}:5:14: systems.erp.version: Odoo version '15' is not supported; use one of "
        "16, 17, 18, 19",
        f"{path}:7:12: systems.erp.batch: Input should be greater than or equal to 1",
        f"3 problems in {path}",
    ]
