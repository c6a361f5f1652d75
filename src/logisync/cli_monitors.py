"""``logisync monitor``: run the configuration's business SLA monitors.

Every ``--interval`` seconds it evaluates each monitor, records alerts (raised once, cleared by
themselves, raised again when the condition returns) and sends the webhook notices due. With
``--once`` it does one tick and prints the active alerts (``--json`` for scripts); the exit code
is 0 with no active alert and 1 with some, so a cron job or a CI check can act on it.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from logisync.core.ports import Store
    from logisync.orchestration.monitors import AlertNotifier
    from logisync.orchestration.monitors.rules import Monitor

log = logging.getLogger("logisync.monitor")


def monitor(
    config: Annotated[Path, typer.Option(help="Configuration file (its monitors: section)")],
    store: Annotated[str | None, typer.Option(help="Store URL (overrides the config)")] = None,
    once: Annotated[bool, typer.Option(help="One tick, print the active alerts, exit")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print alerts as JSON lines")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between ticks")] = 30.0,
) -> None:
    """Evaluate the SLA monitors, raise and clear alerts, send their webhooks."""
    from logisync.logs import configure_logging

    configure_logging()

    from logisync.cli import open_hub
    from logisync.config import load_config, resolve_secret
    from logisync.orchestration.monitors import AlertNotifier, run_monitors
    from logisync.orchestration.monitors.configured import configured_monitors

    settings = load_config(config)
    hub = open_hub(None, store or settings.store)
    monitors = configured_monitors(settings.monitors, resolve_secret)
    if not monitors:
        typer.echo(f"{config}: no monitors: section; nothing to watch", err=True)
    notifier = AlertNotifier()
    if once:
        run_monitors(hub, monitors, datetime.now(UTC), notifier)
    else:
        from logisync.cli_shutdown import stop_on_signals

        run_monitor_loop(hub, monitors, interval, stop_on_signals(), notifier)
    active = hub.active_alerts()
    for alert in active:
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "id": alert.id,
                        "monitor": alert.monitor,
                        "subject": alert.subject,
                        "detail": alert.detail,
                        "raised_at": alert.raised_at,
                    }
                )
            )
        else:
            typer.echo(f"{alert.raised_at}\t{alert.monitor}\t{alert.subject}\t{alert.detail}")
    if not as_json:
        typer.echo(f"{len(active)} active alert(s)", err=True)
    raise typer.Exit(1 if active else 0)


def run_monitor_loop(
    store: Store,
    monitors: Sequence[Monitor],
    interval: float,
    stopping: threading.Event,
    notifier: AlertNotifier | None = None,
) -> None:
    """Tick every ``interval`` seconds until ``stopping`` is set; a busy or unavailable store
    skips a tick (the next one sees the same conditions), it does not stop the loop."""
    from logisync.errors import StoreError
    from logisync.orchestration.monitors import run_monitors

    while not stopping.is_set():
        try:
            run_monitors(store, monitors, datetime.now(UTC), notifier)
        except StoreError as error:
            log.warning("monitor tick skipped: %s", type(error).__name__)
        stopping.wait(interval)
