"""``logisync consume``: read the events that systems publish to message streams (NATS
JetStream) into the journal, for as long as it runs."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from logisync.cli_exit import ExitCode, fail

if TYPE_CHECKING:
    from logisync.connectors.nats.source import NatsSource

MAX_PAUSE_SECONDS = 10.0
"""The longest wait after failed rounds (the server down, the store busy) before the next."""


def consume(
    config: Annotated[Path, typer.Argument(help="The YAML configuration file")],
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    once: Annotated[bool, typer.Option(help="One round per source, then stop")] = False,
) -> None:
    """Consume every NATS system that has a ``consume:`` section: fetch its messages, journal
    them, and only then acknowledge them."""
    from logisync.cli_shutdown import stop_on_signals
    from logisync.config import load_config
    from logisync.logs import configure_logging
    from logisync.store import open_store

    configure_logging()
    settings = load_config(config)
    sources = consumers(settings, open_store(store or settings.store))
    if not sources:
        fail(ExitCode.FAILED, "nothing to consume: give a nats system a 'consume:' section")
    stopping = threading.Event() if once else stop_on_signals()
    failed = run_consumers(sources, stopping, once=once)
    raise typer.Exit(int(ExitCode.FAILED if failed else ExitCode.OK))


def consumers(settings: Any, hub: Any) -> list[NatsSource]:
    """One source per ``nats`` system that consumes (none when the configuration has none)."""
    from logisync.connectors.nats.source import nats_source

    found = []
    for name, system in settings.systems.items():
        if system.kind == "nats":
            source = nats_source(name, system, hub)
            if source is not None:
                found.append(source)
    return found


def run_consumers(
    sources: list[NatsSource], stopping: threading.Event, *, once: bool = False
) -> bool:
    """Round after round until ``stopping`` is set (``once``: one round); True when the last
    round had a failure. Failing rounds wait longer and longer, up to ``MAX_PAUSE_SECONDS``."""
    pause = 0.0
    failed = False
    try:
        while not stopping.is_set():
            failed = False
            for source in sources:
                report = source.consume_once()
                if report.fetched or report.error:
                    typer.echo(
                        f"{source.system}: fetched {report.fetched}, journaled "
                        f"{report.journaled}, already known {report.already_known}, "
                        f"refused {len(report.refused)}"
                    )
                for refusal in report.refused:
                    typer.echo(f"  refused {refusal}", err=True)
                if report.error:
                    typer.echo(f"  {report.error}; retrying", err=True)
                    failed = True
            if once:
                break
            pause = min(MAX_PAUSE_SECONDS, max(0.5, pause * 2)) if failed else 0.0
            if pause:
                stopping.wait(pause)
    finally:
        for source in sources:
            source.close()
    return failed
