"""The ``logisync`` command line. Commands import their machinery lazily to start fast."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from logisync import cli_migrate, cli_monitors
from logisync.cli_exit import ExitCode, HubGroup, fail
from logisync.cli_output import JsonOption, print_json

if TYPE_CHECKING:
    from logisync.core.ports import Store

app = typer.Typer(
    cls=HubGroup,
    rich_markup_mode="markdown",
    no_args_is_help=True,
    help="logisync: the sync hub for Odoo and logistics. Exit codes: see docs/cli.md.",
)


def _register_delivery_commands() -> None:
    from logisync.cli_deliveries import deliver, dlq_app, redrive, replay

    app.add_typer(dlq_app, name="dlq")
    app.command()(deliver)
    app.command()(redrive)
    app.command()(replay)  # the same function as `dlq replay`


def _register_operator_commands() -> None:
    from logisync.cli_config import init
    from logisync.cli_process import process
    from logisync.cli_status import status
    from logisync.cli_trace import trace
    from logisync.cli_worker import worker

    app.command()(init)
    app.command()(process)
    app.command()(worker)
    app.command()(status)
    app.command()(trace)


def _register_source_commands() -> None:
    from logisync.cli_consume import consume
    from logisync.cli_sources import poll

    app.command()(poll)
    app.command()(consume)


def _register_file_commands() -> None:
    from logisync.cli_files import import_file, watch

    app.command("import")(import_file)
    app.command()(watch)


def _register_api_commands() -> None:
    from logisync.cli_api import keys_app, serve
    from logisync.cli_users import users_app

    app.add_typer(keys_app, name="keys")
    app.command()(serve)
    app.add_typer(users_app, name="users")


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
def check_config(
    path: Annotated[Path, typer.Argument(help="The YAML configuration file")],
    as_json: JsonOption = False,
) -> None:
    """Validate a configuration file; report every error with file, line and column."""
    from logisync.config.check import check_config_command

    if as_json:
        from logisync.cli_config import config_report

        report = config_report(path)
        print_json(report)
        raise typer.Exit(int(ExitCode.OK if report["valid"] else ExitCode.CONFIG_INVALID))
    valid = check_config_command(path) == 0
    raise typer.Exit(int(ExitCode.OK if valid else ExitCode.CONFIG_INVALID))


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
    """A business day through the whole system (hub, Odoo, WMS, TMS, carriers, shop, an EDI
    retailer) on embedded SQLite, with the field's troubles, checked at the end and compared
    with point-to-point."""
    from rich.console import Console

    from logisync.demo.run import DemoOptions, run_demo

    options = DemoOptions(
        orders=orders, speed=speed, seed=seed, db=db, serve=serve, summary=summary
    )
    raise typer.Exit(run_demo(Console(), options))


def open_hub(config: Path | None, store: str | None, *, must_exist: bool = True) -> Store:
    """The store of ``--store`` or of the configuration. A read of an SQLite file that does not
    exist is refused (STORE_UNAVAILABLE) instead of creating an empty store to report on."""
    from logisync.cli_api import store_url
    from logisync.errors import StoreUnavailable
    from logisync.store import open_store

    url = store_url(config, store)
    if must_exist and url.startswith("sqlite:///"):
        from logisync.store.sqlite.store import sqlite_target

        path, _ = sqlite_target(url)
        if not Path(path).exists():
            raise StoreUnavailable(f"no store at {path}; `logisync init` creates one")
    return open_store(url)


@app.command()
def parked(
    config: Annotated[Path | None, typer.Option(help="Configuration file")] = None,
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    release: Annotated[
        str | None, typer.Option(help="Let workers retry this entity (after fixing the cause)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List entities stopped at an event that could not be processed, or release one."""
    hub = open_hub(config, store)
    if release is not None:
        if not hub.unpark(release):
            fail(ExitCode.NOT_FOUND, f"{release} is not parked")
        typer.echo(f"released {release}: workers will retry it from its parked event")
        return
    entries = hub.parked()
    if as_json:
        print_json({"parked": entries})
        return
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
    after: Annotated[int, typer.Option(min=0, help="Only conflicts with a higher id")] = 0,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many")] = 100,
    as_json: JsonOption = False,
) -> None:
    """List writes that governance refused (conflicts) or queued for a steward (proposals),
    oldest first, a page at a time (``--after`` the last id shown)."""
    from rich.console import Console
    from rich.table import Table

    found = open_hub(config, store).conflicts(entity, after=after, limit=limit + 1)
    page, more = found[:limit], len(found) > limit
    next_after = page[-1].id if more else None
    if as_json:
        print_json({"conflicts": page, "next_after": next_after})
        return
    table = Table(
        "id", "entity", "field", "kind", "proposed by", "proposed", "kept", "set by", "event"
    )
    for c in page:
        table.add_row(
            str(c.id),
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
    if next_after is not None:
        typer.echo(f"more: run again with --after {next_after}", err=True)


_register_operator_commands()
_register_delivery_commands()
_register_api_commands()
_register_source_commands()
_register_file_commands()
_register_odoo_sim_command()
_register_carrier_sim_command()
app.command()(cli_monitors.monitor)
app.command()(cli_migrate.migrate)
