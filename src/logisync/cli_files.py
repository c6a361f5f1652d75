"""``logisync import`` and ``logisync watch``: files from partners into the journal."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from logisync.connectors.files import FileOutcome


def import_file(
    config: Annotated[Path, typer.Argument(help="The YAML configuration file")],
    file: Annotated[Path, typer.Argument(help="The file to import (it is not moved)")],
    system: Annotated[str, typer.Option(help="The system the file comes from")],
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
) -> None:
    """Import one file with the system's mapping; print the report; exit 1 if refused."""
    from logisync.config import load_config
    from logisync.connectors.files import watched_folders
    from logisync.errors import InvalidConfig
    from logisync.store import open_store

    try:
        settings = load_config(config)
    except InvalidConfig as invalid:
        typer.echo(str(invalid), err=True)
        raise typer.Exit(1) from None
    hub = open_store(store or settings.store)
    folder = next((f for f in watched_folders(settings, hub) if f.system == system), None)
    if folder is None:
        typer.echo(f"'{system}' is not a configured system with an inbox and a file kind", err=True)
        raise typer.Exit(1)
    if not file.is_file():
        typer.echo(f"{file}: no such file", err=True)
        raise typer.Exit(1)
    outcome = folder.handle(file, move=False)
    _print(system, outcome)
    raise typer.Exit(0 if outcome.status == "processed" else 1)


def watch(
    config: Annotated[Path, typer.Argument(help="The YAML configuration file")],
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    once: Annotated[bool, typer.Option(help="Scan every inbox once, then stop")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between scans")] = 5.0,
) -> None:
    """Watch every configured inbox: import complete files, move them out, reply."""
    from logisync.config import load_config
    from logisync.connectors.files import watched_folders
    from logisync.logs import configure_logging
    from logisync.store import open_store

    configure_logging()
    settings = load_config(config)
    folders = watched_folders(settings, open_store(store or settings.store))
    if not folders:
        typer.echo("no inbox to watch: give a csv/xlsx/EDI system an 'inbox:' folder", err=True)
        raise typer.Exit(1)
    while True:
        kept = 0
        for folder in folders:
            try:
                outcomes = folder.scan_once()
            except OSError as error:  # the inbox unreadable (permissions, a lost mount)
                typer.echo(f"{folder.system}: cannot scan the inbox: {error}", err=True)
                kept += 1
                continue
            for outcome in outcomes:
                _print(folder.system, outcome)
                kept += outcome.status == "kept"
        if once:
            raise typer.Exit(1 if kept else 0)
        time.sleep(interval)


def _print(system: str, outcome: FileOutcome) -> None:
    where = f" -> {outcome.moved_to}" if outcome.moved_to else ""
    typer.echo(
        f"{system}: {outcome.name}: {outcome.status}{where}; journaled {outcome.journaled}, "
        f"already known {outcome.already_known}"
    )
    for notice in outcome.notices:
        typer.echo(f"  {notice}")
    for problem in outcome.problems:
        typer.echo(f"  refused: {problem}", err=True)
    if outcome.error:
        typer.echo(f"  error: {outcome.error}", err=True)
    for report in outcome.reports:
        typer.echo(f"  report: {report}")
