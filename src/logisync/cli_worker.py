"""``logisync worker``: the whole back half of the hub in one long-running process.

The processor, the delivery workers, the pollers and the folder watchers that the
configuration asks for each run in a thread, with the very loops of ``process``, ``deliver``,
``poll`` and ``watch``, and each with its own store connection (as separate processes would
have). One SIGINT/SIGTERM stops them all gracefully: each finishes the batch, round or file in
hand, commits it or releases its claim, and the process exits 0. A component that crashes
stops the others the same way, and the process exits 1 naming it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from logisync.cli_exit import ExitCode, fail

if TYPE_CHECKING:
    from logisync.config.model import HubConfig

COMPONENTS = ("processor", "deliveries", "poll", "consume", "watch", "monitors", "housekeeping")


class Role(StrEnum):
    """Which half of the work a worker process takes when several share it."""

    ALL = "all"
    PROCESSOR = "processor"
    DELIVERIES = "deliveries"


Component = Callable[[threading.Event], None]
"""A loop that runs until the event is set, then returns with nothing left half-done."""


def worker(
    config: Annotated[Path, typer.Option(help="Configuration file")],
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    skip: Annotated[
        list[str] | None,
        typer.Option(help=f"Do not run this component ({', '.join(COMPONENTS)}); repeatable"),
    ] = None,
    interval: Annotated[float, typer.Option(help="Seconds between inbox scans")] = 5.0,
    lease: Annotated[
        float,
        typer.Option(help="Claim lease in seconds: how long a killed worker's claims block others"),
    ] = 60.0,
    processes: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes to run and keep running (the first runs the singleton "
            "components; the children take turns at the processor and the deliveries)",
        ),
    ] = 1,
    role: Annotated[
        Role,
        typer.Option(
            case_sensitive=False,
            help="'processor': leave the delivery workers to other processes; 'deliveries': "
            "leave the processor to others (kept when there is nothing to deliver); 'all'",
        ),
    ] = Role.ALL,
) -> None:
    """Run the processor, delivery workers, pollers and folder watchers the configuration asks
    for, in one process, until SIGINT/SIGTERM (then finish the current batch and exit 0)."""
    from logisync.cli_process import collect_garbage_less_often
    from logisync.cli_shutdown import stop_on_signals
    from logisync.config import load_config
    from logisync.config.audit import record_config
    from logisync.logs import configure_logging
    from logisync.store import open_store

    unknown = sorted(set(skip or ()) - set(COMPONENTS))
    if unknown:
        fail(ExitCode.USAGE, f"unknown component {', '.join(unknown)}; one of {COMPONENTS}")
    configure_logging()
    if processes > 1:
        if role is not Role.ALL:
            fail(ExitCode.USAGE, "--role is for one process; --processes N gives the roles")
        if {"processor", "deliveries"} <= set(skip or ()):
            fail(ExitCode.USAGE, "--processes N scales the processor and the deliveries: skip one")
        _run_processes(processes, config, store, skip or [], interval, lease)
        return
    settings = load_config(config)
    url = store or settings.store
    record_config(open_store(url), settings, config, "worker", datetime.now(UTC))
    components = {
        name: component
        for name, component in worker_components(settings, url, interval, lease).items()
        if name not in (skip or ())
    }
    components = for_role(components, role)
    if not components:
        fail(ExitCode.FAILED, "nothing to run: the configuration asks for no work")
    stopping = stop_on_signals()
    collect_garbage_less_often()
    typer.echo(f"worker: running {', '.join(components)}; Ctrl-C or SIGTERM stops", err=True)
    crashed = run_components(components, stopping)
    if crashed:
        fail(ExitCode.FAILED, f"worker: stopped because {', '.join(crashed)} crashed")
    typer.echo("worker: stopped", err=True)


def for_role(components: dict[str, Component], role: Role | str) -> dict[str, Component]:
    """The components a process of ``role`` runs. With a processor and the delivery workers in
    one process, both wait on one GIL, and on SQLite also on each other's turn at the write
    lock: two processes that each run one go a quarter faster than two that run both (bench/
    RESULTS.md, session 12). A role only hands over the other half when it has its own (a
    deliveries process with nothing to deliver keeps the processor, a processor process whose
    processor is skipped keeps the deliveries), so that no process is left with nothing to run."""
    if role == "processor" and "processor" in components:
        return {name: c for name, c in components.items() if name != "deliveries"}
    if role == "deliveries" and "deliveries" in components:
        return {name: c for name, c in components.items() if name != "processor"}
    return components


def _run_processes(
    processes: int, config: Path, store: str | None, skip: list[str], interval: float, lease: float
) -> None:
    from logisync.cli_shutdown import stop_on_signals
    from logisync.cli_supervisor import child_commands, supervise
    from logisync.config import load_config

    load_config(config)  # a bad file is reported once, here, not by every child
    args = ["--config", str(config), "--interval", str(interval), "--lease", str(lease)]
    if store:
        args += ["--store", store]
    for name in skip:
        args += ["--skip", name]
    stopping = stop_on_signals()
    typer.echo(f"worker: running {processes} processes; Ctrl-C or SIGTERM stops", err=True)
    restarts = supervise(child_commands(processes, args), stopping)
    typer.echo(f"worker: stopped ({restarts} restarts)", err=True)


MONITOR_INTERVAL_SECONDS = 30.0
"""How often the worker evaluates SLA monitors; their thresholds are minutes to hours."""

HOUSEKEEPING_INTERVAL_SECONDS = 600.0
"""How often the worker deletes what is past its retention (kept for days)."""


def worker_components(
    settings: HubConfig, url: str, interval: float, lease: float = 60.0
) -> dict[str, Component]:
    """What the configuration asks for: always the processor and housekeeping; deliveries
    when a flow's target has a connector; pollers when a source is polled; consumers when a
    NATS system has ``consume:``; watchers when a system has an inbox; monitors when some are
    configured."""
    from logisync.cli_consume import consumers, run_consumers
    from logisync.cli_deliveries import delivery_worker, run_deliveries
    from logisync.cli_files import run_watch
    from logisync.cli_process import build_processor, run_processor
    from logisync.cli_sources import poll_rounds, run_polls
    from logisync.connectors.files import watched_folders
    from logisync.store import open_store

    processor = build_processor(open_store(url), settings, lease=min(lease, 30.0))
    components: dict[str, Component] = {
        "processor": lambda stopping: run_processor(processor, stopping)
    }
    deliveries, targets = delivery_worker(open_store(url), settings, lease=lease)
    if targets:
        components["deliveries"] = lambda stopping: run_deliveries(deliveries, targets, stopping)
    rounds, poll_interval = poll_rounds(settings, open_store(url))
    if rounds:
        components["poll"] = lambda stopping: _discard(run_polls(rounds, poll_interval, stopping))
    sources = consumers(settings, open_store(url))
    if sources:
        components["consume"] = lambda stopping: _discard(run_consumers(sources, stopping))
    folders = watched_folders(settings, open_store(url))
    if folders:
        components["watch"] = lambda stopping: _discard(run_watch(folders, interval, stopping))
    if settings.monitors:
        from logisync.cli_monitors import run_monitor_loop
        from logisync.config import resolve_secret
        from logisync.orchestration.monitors import AlertNotifier
        from logisync.orchestration.monitors.configured import configured_monitors

        monitors = configured_monitors(settings.monitors, resolve_secret)
        hub = open_store(url)
        components["monitors"] = lambda stopping: run_monitor_loop(
            hub, monitors, MONITOR_INTERVAL_SECONDS, stopping, AlertNotifier()
        )
    from logisync.orchestration.housekeeping import run_housekeeping_loop

    kept = open_store(url)
    retention = settings.retention.delivery_minutes
    components["housekeeping"] = lambda stopping: run_housekeeping_loop(
        kept, retention, HOUSEKEEPING_INTERVAL_SECONDS, stopping
    )
    return components


def _discard(_: object) -> None:
    """A long-running loop's last-round result is for ``--once`` runs, not for the worker."""


def run_components(components: dict[str, Component], stopping: threading.Event) -> list[str]:
    """Run each component in a thread until ``stopping`` is set (by a signal, or by a
    component that crashed); wait for all to finish; return the names of those that crashed."""
    import logging

    log = logging.getLogger("logisync.worker")
    crashed: list[str] = []

    def run(name: str, component: Component) -> None:
        try:
            component(stopping)
        except BaseException:
            log.exception("%s crashed; stopping the worker", name)
            crashed.append(name)
            stopping.set()

    threads = [
        threading.Thread(target=run, args=(name, c), name=f"logisync-{name}", daemon=True)
        for name, c in components.items()
    ]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        # join with a timeout: a bare join would keep the main thread from taking signals
        for thread in threads:
            thread.join(timeout=0.2)
    return crashed
