"""``logisync import`` and ``logisync watch``: files from partners into the journal."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from logisync.cli_exit import ExitCode, fail

if TYPE_CHECKING:
    from logisync.connectors.files import FileOutcome, WatchedFolder


def import_file(
    config: Annotated[Path, typer.Argument(help="The YAML configuration file")],
    files: Annotated[list[Path], typer.Argument(help="The files to import (they are not moved)")],
    system: Annotated[str, typer.Option(help="The system the files come from")],
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
) -> None:
    """Import files with the system's mapping, each on its own (a refused file imports
    nothing); print each report; exit 1 if any was refused."""
    from logisync.cli_progress import progress
    from logisync.config import load_config
    from logisync.connectors.files import watched_folders
    from logisync.store import open_store

    settings = load_config(config)
    hub = open_store(store or settings.store)
    folder = next((f for f in watched_folders(settings, hub) if f.system == system), None)
    if folder is None:
        fail(
            ExitCode.NOT_FOUND,
            f"'{system}' is not a configured system with an inbox and a file kind",
        )
    missing = [str(file) for file in files if not file.is_file()]
    if missing:
        fail(ExitCode.NOT_FOUND, f"no such file: {', '.join(missing)}")
    refused = 0
    with progress(f"importing for {system}", total=len(files)) as advance:
        for file in files:
            outcome = folder.handle(file, move=False)
            _print(system, outcome)
            refused += outcome.status != "processed"
            advance(1)
    raise typer.Exit(int(ExitCode.FAILED if refused else ExitCode.OK))


def watch(
    config: Annotated[Path, typer.Argument(help="The YAML configuration file")],
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    once: Annotated[bool, typer.Option(help="Scan every inbox once, then stop")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between scans")] = 5.0,
) -> None:
    """Watch every configured inbox: import complete files, move them out, reply."""
    from logisync.cli_shutdown import stop_on_signals
    from logisync.config import load_config
    from logisync.connectors.files import watched_folders
    from logisync.logs import configure_logging
    from logisync.store import open_store

    configure_logging()
    settings = load_config(config)
    folders = watched_folders(settings, open_store(store or settings.store))
    if not folders:
        fail(ExitCode.FAILED, "no inbox to watch: give a csv/xlsx/EDI system an 'inbox:' folder")
    stopping = threading.Event() if once else stop_on_signals()
    kept = run_watch(folders, interval, stopping, once=once)
    raise typer.Exit(int(ExitCode.FAILED if kept else ExitCode.OK))


def run_watch(
    folders: list[WatchedFolder],
    interval: float,
    stopping: threading.Event,
    *,
    once: bool = False,
) -> int:
    """Scan every inbox each ``interval`` seconds until ``stopping`` is set (``once``: one
    scan); return how many files the last scan had to keep in the inbox. A file being
    handled is finished before this returns."""
    kept = 0
    while not stopping.is_set():
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
            break
        stopping.wait(interval)
    return kept


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
