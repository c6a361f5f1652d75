"""``logisync migrate``: bring a store's schema up to date, and say what was applied.

Every process also migrates the store it opens (behind the backend's lock, so at most one
applies each step); this command does it on purpose, before an upgrade's processes start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from logisync.cli_output import JsonOption, print_json


def migrate(
    config: Annotated[Path | None, typer.Option(help="Configuration file")] = None,
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    as_json: JsonOption = False,
) -> None:
    """Apply the store's migrations not yet applied (SQLite file or PostgreSQL database)."""
    from logisync.cli_api import store_url
    from logisync.store import open_store

    hub = open_store(store_url(config, store), migrate=False)
    try:
        applied = hub.migrate()
    finally:
        hub.close()
    if as_json:
        print_json({"applied": applied})
        return
    for name in applied:
        typer.echo(f"applied {name}")
    typer.echo(f"the store is up to date ({len(applied)} migrations applied now)")
