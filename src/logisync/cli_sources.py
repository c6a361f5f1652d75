"""``logisync poll``: read the changes of polled sources (Odoo) into the journal."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from logisync.cli_exit import ExitCode, fail

Round = Callable[[], bool]
"""One source's poll; ``False`` when it failed (reported, and retried next round)."""


def poll(
    config: Annotated[Path, typer.Argument(help="The YAML configuration file")],
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    once: Annotated[bool, typer.Option(help="Poll every source once, then stop")] = False,
) -> None:
    """Poll every Odoo system whose configuration lists domains under ``poll:``, and every
    carrier system with a ``url`` (its tracking API) for the shipments still on their way."""
    from logisync.cli_shutdown import stop_on_signals
    from logisync.config import load_config
    from logisync.logs import configure_logging
    from logisync.store import open_store

    configure_logging()
    settings = load_config(config)
    rounds, interval = poll_rounds(settings, open_store(store or settings.store))
    if not rounds:
        fail(
            ExitCode.FAILED,
            "nothing to poll: give an Odoo system a 'poll:' list of domains, or a carrier "
            "system the 'url' of its tracking API",
        )
    stopping = threading.Event() if once else stop_on_signals()
    failed = run_polls(rounds, interval, stopping, once=once)
    raise typer.Exit(int(ExitCode.FAILED if failed else ExitCode.OK))


def poll_rounds(settings: Any, hub: Any) -> tuple[list[Round], float]:
    """One round per polled source (none when the configuration polls nothing) and the
    shortest interval they ask for."""
    rounds, interval = _odoo_rounds(settings, hub)
    carriers = _carrier_round(settings, hub)
    if carriers is not None:
        rounds.append(carriers)
    return rounds, interval


def run_polls(
    rounds: list[Round], interval: float, stopping: threading.Event, *, once: bool = False
) -> bool:
    """Poll every source each ``interval`` seconds until ``stopping`` is set (``once``: one
    round); True when the last round had a failure. A round in progress is finished."""
    failed = False
    while not stopping.is_set():
        failed = False
        for poll_round in rounds:
            failed = not poll_round() or failed
        if once:
            break
        stopping.wait(interval)
    return failed


def _odoo_rounds(settings: Any, hub: Any) -> tuple[list[Round], float]:
    from logisync.connectors.odoo import OdooCallFailed, odoo_settings, open_rpc
    from logisync.connectors.odoo.poller import OdooPoller

    rounds: list[Round] = []
    interval = 60.0
    for name, system in settings.systems.items():
        if system.kind != "odoo" or not system.url:
            continue
        own = odoo_settings(name, system)
        if not own.poll:
            continue
        poller = OdooPoller(
            open_rpc(name, system),
            hub,
            source=name,
            domains=own.poll,
            overlap_seconds=own.poll_overlap_seconds,
        )
        interval = min(interval, own.poll_interval_seconds)

        def odoo_round(name: str = name, poller: OdooPoller = poller) -> bool:
            try:
                report = poller.poll_once()
            except OdooCallFailed as error:  # Odoo down or refusing: try again next round
                typer.echo(f"{name}: poll failed, retrying next round: {error}", err=True)
                return False
            typer.echo(
                f"{name}: read {report.read}, journaled {report.journaled}, "
                f"already known {report.already_known}, refused {len(report.refused)}"
            )
            for refusal in report.refused:
                typer.echo(f"  refused {refusal}", err=True)
            return True

        rounds.append(odoo_round)
    return rounds, interval


def _carrier_round(settings: Any, hub: Any) -> Round | None:
    """One poller for every carrier system with a tracking API ``url``, or ``None``."""
    import httpx

    from logisync.config.secret_refs import resolve_secret
    from logisync.connectors.carriers.poller import TrackingPoller
    from logisync.connectors.carriers.settings import carrier_endpoint

    endpoints = {}
    for name, system in settings.systems.items():
        endpoint = carrier_endpoint(name, system, resolve_secret)
        if endpoint is not None:
            endpoints[system.kind] = endpoint
    if not endpoints:
        return None
    poller = TrackingPoller(hub, endpoints, httpx.Client(timeout=30))

    def carrier_round() -> bool:
        report = poller.poll_once()
        typer.echo(
            f"carriers ({', '.join(sorted(endpoints))}): polled {report.polled}, journaled "
            f"{report.journaled}, already known {report.already_known}, not found "
            f"{report.not_found}, failed {len(report.failed)}"
        )
        for failure in [*report.refused, *report.failed]:
            typer.echo(f"  {failure}", err=True)
        return not report.failed

    return carrier_round
