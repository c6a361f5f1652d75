"""docs/cli.md cannot go stale: every registered command has its section, and every exit code
is in its table."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from logisync.cli import app
from logisync.cli_exit import ExitCode

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def command_names(group: object, prefix: str = "logisync") -> list[str]:
    """Every command a user runs (``logisync dlq list``; not the group ``logisync dlq``)."""
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        full = f"{prefix} {name}"
        if hasattr(command, "commands"):
            names.extend(command_names(command, full))
        else:
            names.append(full)
    return names


def test_every_registered_command_has_a_section_with_an_example_and_exit_codes() -> None:
    text = DOC.read_text()
    sections = dict(re.findall(r"^### `(logisync [^`]+)`\n(.*?)(?=^##|\Z)", text, re.M | re.S))
    commands = command_names(typer.main.get_command(app))
    assert len(commands) > 20
    assert sorted(set(commands) - set(sections)) == []
    assert sorted(set(sections) - set(commands)) == []  # no section for a removed command
    for name, body in sections.items():
        assert "```sh\n" in body, f"{name}: no example"
        assert "Exit codes:" in body, f"{name}: no exit codes"


def test_every_exit_code_is_documented_with_its_number_and_name() -> None:
    text = DOC.read_text()
    for code in ExitCode:
        assert f"| {code.value} | `{code.name}` |" in text
