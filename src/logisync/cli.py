"""The ``logisync`` command line."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="logisync: the sync hub for Odoo and logistics.")


@app.command()
def version() -> None:
    """Print the version."""
    from logisync import __version__

    typer.echo(__version__)
