"""The ``logisync`` command line. Commands import their machinery lazily to start fast."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from logisync.core.ports import Store

app = typer.Typer(no_args_is_help=True, help="logisync: the sync hub for Odoo and logistics.")


def _register_delivery_commands() -> None:
    from logisync.cli_deliveries import deliver, dlq_app, redrive

    app.add_typer(dlq_app, name="dlq")
    app.command()(deliver)
    app.command()(redrive)


def _register_source_commands() -> None:
    from logisync.cli_sources import poll

    app.command()(poll)


def _register_file_commands() -> None:
    from logisync.cli_files import import_file, watch

    app.command("import")(import_file)
    app.command()(watch)


def _register_api_commands() -> None:
    from logisync.cli_api import keys_app, serve

    app.add_typer(keys_app, name="keys")
    app.command()(serve)


def _register_odoo_sim_command() -> None:
    from logisync.cli_odoo_sim import odoo_sim

    app.command("odoo-sim")(odoo_sim)


def _register_carrier_sim_command() -> None:
    from logisync.cli_carrier_sim import carrier_sim

    app.command("carrier-sim")(carrier_sim)


@app.command()
def version() -> None:
    """Print the version."""
    from logisync import __version__

    typer.echo(__version__)


@app.command("check-config")
def check_config(path: Annotated[Path, typer.Argument(help="The YAML configuration file")]) -> None:
    """Validate a configuration file; report every error with file, line and column."""
    from logisync.config.check import check_config_command

    raise typer.Exit(check_config_command(path))


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout")] = None,
    contracts: Annotated[
        bool, typer.Option("--contracts", help="The WMS/TMS message contracts instead")
    ] = False,
) -> None:
    """Export the JSON Schema of every event type (the envelope with its payload)."""
    from logisync.model.schema import export_schemas_json

    text = export_schemas_json()
    if contracts:
        from logisync.connectors.contract_schemas import export_contract_schemas

        text = json.dumps(export_contract_schemas(), indent=2, sort_keys=True)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n")


@app.command()
def demo(
    db: Annotated[
        Path | None, typer.Option(help="SQLite file (default: a fresh temporary one)")
    ] = None,
    orders: Annotated[int, typer.Option(min=1, help="Orders the shop takes in the day")] = 40,
    speed: Annotated[
        float, typer.Option(min=1, help="Simulated seconds per wall-clock second")
    ] = 400.0,
    seed: Annotated[int, typer.Option(help="Seed of the day and its troubles")] = 7,
    serve: Annotated[
        bool, typer.Option("--serve/--exit", help="Keep the hub serving after the report")
    ] = True,
    summary: Annotated[Path | None, typer.Option(help="Also write the report as JSON")] = None,
) -> None:
    """A business day through the whole system (hub, Odoo, WMS, carriers, shop) on embedded
    SQLite, with the field's troubles, checked at the end and compared with point-to-point."""
    from rich.console import Console

    from logisync.demo.run import DemoOptions, run_demo

    options = DemoOptions(
        orders=orders, speed=speed, seed=seed, db=db, serve=serve, summary=summary
    )
    raise typer.Exit(run_demo(Console(), options))


@app.command()
def process(
    config: Annotated[Path, typer.Option(help="Configuration file")],
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    until_idle: Annotated[bool, typer.Option(help="Stop when nothing is pending")] = False,
    batch: Annotated[int, typer.Option(help="Entities claimed per batch")] = 500,
    lease: Annotated[float, typer.Option(help="Claim lease in seconds")] = 30.0,
) -> None:
    """Run the processor: journal -> projections, conflicts and deliveries."""
    import signal
    from datetime import UTC, datetime

    from logisync.config import load_config
    from logisync.config.audit import record_config
    from logisync.core.processor import Processor, ProcessorSettings
    from logisync.logs import configure_logging
    from logisync.store import open_store

    configure_logging()
    settings = load_config(config)
    hub = open_store(store or settings.store)
    record_config(hub, settings, config, "process", datetime.now(UTC))
    processor = Processor(
        hub,
        settings.rules(),
        settings=ProcessorSettings(entities_per_batch=batch, lease_seconds=lease),
    )
    if until_idle:
        typer.echo(f"processed {processor.run_until_idle()} events")
        return
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    _collect_garbage_less_often()
    processor.run_forever(lambda: stopping)


def _collect_garbage_less_often() -> None:
    """Tune the cyclic garbage collector for a worker process, once its startup is done.

    A batch keeps thousands of records and projections alive until its commit, so the
    collector's default thresholds run full collections again and again over them and over
    every imported module: 5-10% of the processor's time (see bench/RESULTS.md). The objects of
    startup (modules, classes, configuration) live as long as the process: frozen, no collection
    looks at them again. Collecting the young generation every 10,000 allocations instead of 700
    costs little memory: the hub's data hardly makes reference cycles, reference counting frees
    it.
    """
    import gc

    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def _open(config: Path | None, store: str | None) -> Store:
    from logisync.cli_api import store_url
    from logisync.store import open_store

    return open_store(store_url(config, store))


@app.command()
def status(
    config: Annotated[Path | None, typer.Option(help="Configuration file")] = None,
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
) -> None:
    """Show the journal, processing backlog, deliveries and conflicts at a glance."""
    from rich.console import Console
    from rich.table import Table

    counts = _open(config, store).counts()
    table = Table("what", "count", title="logisync status")
    for label, value in (
        ("events journaled", counts.journal),
        ("events waiting for processing", counts.pending_events),
        ("entities waiting", counts.pending_entities),
        ("entities parked at a poison event", counts.parked_entities),
        ("entities", counts.entities),
        ("deliveries pending", counts.deliveries_pending),
        ("open conflicts", counts.conflicts_open),
    ):
        table.add_row(label, f"{value:,}")
    Console().print(table)


@app.command()
def parked(
    config: Annotated[Path | None, typer.Option(help="Configuration file")] = None,
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    release: Annotated[
        str | None, typer.Option(help="Let workers retry this entity (after fixing the cause)")
    ] = None,
) -> None:
    """List entities stopped at an event that could not be processed, or release one."""
    hub = _open(config, store)
    if release is not None:
        if not hub.unpark(release):
            typer.echo(f"{release} is not parked", err=True)
            raise typer.Exit(1)
        typer.echo(f"released {release}: workers will retry it from its parked event")
        return
    entries = hub.parked()
    for entry in entries:
        typer.echo(
            f"{entry.entity_key}\tjournal #{entry.first_seq}\t{entry.parked_at}\t{entry.reason}"
        )
    if not entries:
        typer.echo("no parked entities")


@app.command()
def conflicts(
    config: Annotated[Path | None, typer.Option(help="Configuration file")] = None,
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    entity: Annotated[str | None, typer.Option(help="Only this entity key")] = None,
) -> None:
    """List writes that governance refused (conflicts) or queued for a steward (proposals)."""
    from rich.console import Console
    from rich.table import Table

    table = Table("entity", "field", "kind", "proposed by", "proposed", "kept", "set by", "event")
    for c in _open(config, store).conflicts(entity):
        table.add_row(
            c.entity_key,
            c.field,
            c.kind,
            c.proposed_by,
            repr(c.proposed_value),
            repr(c.current_value),
            c.current_source or "",
            c.event_id,
        )
    Console().print(table)


_register_delivery_commands()
_register_api_commands()
_register_source_commands()
_register_file_commands()
_register_odoo_sim_command()
_register_carrier_sim_command()
