"""Commands that change or read the keys and accounts refuse a store that does not exist, as
every other reading command does: a key made in a fresh empty file nobody serves is a trap."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from logisync.cli import app
from logisync.cli_exit import ExitCode
from logisync.store.sqlite import SqliteStore

runner = CliRunner()

COMMANDS = [
    ["keys", "create", "--system", "shop"],
    ["keys", "list"],
    ["keys", "rotate", "k1"],
    ["keys", "revoke", "k1", "--reason", "x"],
    ["users", "create", "ann", "--password-stdin"],
    ["users", "list"],
    ["users", "disable", "ann"],
    ["monitor", "--once"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_missing_store_is_refused_and_not_created(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "nowhere" / "hub.db"
    config = tmp_path / "hub.yaml"
    config.write_text(f"store: sqlite:///{path}\n")
    where = (
        ["--config", str(config)] if command[0] == "monitor" else ["--store", f"sqlite:///{path}"]
    )
    result = runner.invoke(app, [*command, *where], input="correct horse battery\n")
    assert result.exit_code == ExitCode.STORE_UNAVAILABLE, result.output
    assert "logisync init" in result.output
    assert not path.exists() and not path.parent.exists()


def test_keys_create_on_an_existing_store_works(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    SqliteStore(path).close()
    result = runner.invoke(
        app, ["keys", "create", "--system", "shop", "--store", f"sqlite:///{path}"]
    )
    assert result.exit_code == 0, result.output
    store = SqliteStore(path)
    assert [key.system for key in store.api_keys()] == ["shop"]
    store.close()
