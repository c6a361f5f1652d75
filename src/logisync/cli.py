"""The ``logisync`` command line. Commands import their machinery lazily to start fast."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, help="logisync: the sync hub for Odoo and logistics.")


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
) -> None:
    """Export the JSON Schema of every event type (the envelope with its payload)."""
    from logisync.model.schema import export_schemas_json

    text = export_schemas_json()
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n")
