"""``logisync poll``: read the changes of polled sources (Odoo) into the journal."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer


def poll(
    config: Annotated[Path, typer.Argument(help="The YAML configuration file")],
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    once: Annotated[bool, typer.Option(help="Poll every source once, then stop")] = False,
) -> None:
    """Poll every Odoo system whose configuration lists domains under ``poll:``."""
    from logisync.config import load_config
    from logisync.connectors.odoo import OdooCallFailed, odoo_settings, open_rpc
    from logisync.connectors.odoo.poller import OdooPoller
    from logisync.logs import configure_logging
    from logisync.store import open_store

    configure_logging()
    settings = load_config(config)
    hub = open_store(store or settings.store)
    pollers, interval = {}, 60.0
    for name, system in settings.systems.items():
        if system.kind != "odoo" or not system.url:
            continue
        own = odoo_settings(name, system)
        if not own.poll:
            continue
        pollers[name] = OdooPoller(
            open_rpc(name, system),
            hub,
            source=name,
            domains=own.poll,
            overlap_seconds=own.poll_overlap_seconds,
        )
        interval = min(interval, own.poll_interval_seconds)
    if not pollers:
        typer.echo("no system to poll: give an Odoo system a 'poll:' list of domains", err=True)
        raise typer.Exit(1)
    while True:
        for name, poller in pollers.items():
            try:
                report = poller.poll_once()
            except OdooCallFailed as error:  # Odoo down or refusing: try again next round
                typer.echo(f"{name}: poll failed, retrying in {interval:g}s: {error}", err=True)
                if once:
                    raise typer.Exit(1) from None
                continue
            typer.echo(
                f"{name}: read {report.read}, journaled {report.journaled}, "
                f"already known {report.already_known}, refused {len(report.refused)}"
            )
            for refusal in report.refused:
                typer.echo(f"  refused {refusal}", err=True)
        if once:
            return
        time.sleep(interval)
