"""``logisync init`` (a commented configuration and its database) and the JSON report of
``logisync check-config --json``.

``init`` writes the packaged example (``examples/hub.yaml``), not a second template: a comment
block is put before each top-level section and the store and folders point into the chosen
directory, so what a new user starts from is what the tests check and the demo runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from logisync.cli_exit import ExitCode, fail

CONFIG_NAME = "hub.yaml"
DATABASE_NAME = "logisync.db"

HEADER = """\
# logisync configuration, written by `logisync init` on {today}.
#
# One file declares the systems around Odoo, who owns which data, and where each kind of
# fact flows. Validate it after every change:   logisync check-config {config}
# Every section below is explained above it; docs/cli.md lists the commands that use it.
#
# Secrets are never written here: `env:NAME` reads the environment variable NAME and
# `file:/path` reads a file, when a connector needs them (set them before `logisync worker` or
# `logisync serve`). The environment variable LOGISYNC_STORE, when set, replaces `store`.
#
"""

SECTION_NOTES = {
    "store": """\
# store: where the hub keeps its journal, projections, deliveries and audit log.
#   sqlite:///ABSOLUTE/PATH.db  one file, no server (created and migrated by `logisync init`).
""",
    "systems": """\
# systems: every system the hub talks to, by a name you choose (used in flows and ownership).
#   kind          odoo, wms_http, tms_http, shopify, ups, fedex, dhl, usps, x12, edifact,
#                 csv, xlsx, webhook, null...
#   url           where the hub sends deliveries or polls (a carrier's tracking API)
#   rate_limit    the most the hub sends it: 20/s, 120/min
#   concurrency   deliveries in flight at once
#   verify        how its webhooks are signed: {scheme: hmac_sha256|shopify|..., secret: env:X}
#   inbox/processed/failed/outbox   folders of a file-based partner (`logisync watch`)
#   poll / poll_every   what to poll and how often (`logisync poll`)
""",
    "ownership": """\
# ownership: the system of record of each domain (and, optionally, of single fields).
#   A write from any other system is recorded as a conflict, not applied
#   (`logisync conflicts`), unless a field's policy says otherwise:
#   owner_only (default), fill_if_empty (others may fill an empty field), propose (a
#   steward decides). `shipment.status: {owner: [ups, ...]}` names several owners.
""",
    "flows": """\
# flows: which events go to which target. Each flow:
#   on        event types (patterns: shipment.milestone_*), see `logisync schema`
#   from      only events from these systems (default: any)
#   to        the target system
#   mode      state (default: coalesce to the entity's latest state) or event (every event)
#   priority  high, normal or low: what a busy target gets first
""",
}


def init(
    directory: Annotated[
        Path, typer.Argument(help="Where to write hub.yaml and the database")
    ] = Path(),
    force: Annotated[
        bool, typer.Option(help="Overwrite an existing hub.yaml (an existing database is kept)")
    ] = False,
) -> None:
    """Write a commented example configuration (hub.yaml) and create its SQLite database."""
    from logisync.store import open_store

    directory = directory.resolve()
    config, database = directory / CONFIG_NAME, directory / DATABASE_NAME
    if config.exists() and not force:
        fail(ExitCode.EXISTS, f"{config} exists; --force overwrites it (the database is kept)")
    directory.mkdir(parents=True, exist_ok=True)
    config.write_text(initial_config(directory, config), encoding="utf-8")
    existed = database.exists()
    store = open_store(f"sqlite:///{database}")
    applied = store.migrate()
    store.close()
    for folder in ("in", "done", "failed", "out"):
        (directory / "edi" / folder).mkdir(parents=True, exist_ok=True)
    typer.echo(f"wrote {config}")
    kept = "kept and migrated" if existed else "created"
    typer.echo(f"{kept} {database}" + (f" ({len(applied)} migrations)" if applied else ""))
    typer.echo(
        "\nnext steps:\n"
        f"  1. edit {config}: your systems' URLs, who owns what, your flows\n"
        "  2. export the secrets it names (env:ODOO_USER, env:ODOO_PASSWORD, ...)\n"
        f"  3. logisync check-config {config}\n"
        f"  4. logisync keys create --system shop --config {config}   (an API key per sender)\n"
        f"  5. logisync serve --config {config}    (the HTTP API: intake and webhooks)\n"
        f"     logisync worker --config {config}   (processor, deliveries, pollers, watchers)\n"
        f"  6. logisync status --config {config}"
    )


def initial_config(directory: Path, config: Path) -> str:
    """The packaged example with a note before each section, its store and folders inside
    ``directory``."""
    from datetime import UTC, datetime

    example = Path(__file__).resolve().parent / "examples" / "hub.yaml"
    lines: list[str] = []
    for line in example.read_text(encoding="utf-8").splitlines(keepends=True):
        if not lines and (line.startswith("#") or not line.strip()):
            continue  # the example's own header: replaced by ours
        section = line.split(":", 1)[0]
        if section in SECTION_NOTES and not line.startswith(" "):
            lines.append(SECTION_NOTES[section])
        if section == "store":
            lines.append(f"store: sqlite:///{directory / DATABASE_NAME}\n")
        else:
            lines.append(line.replace("./edi/", f"{directory}/edi/"))
    today = datetime.now(UTC).date().isoformat()
    return HEADER.format(today=today, config=config) + "".join(lines)


def config_report(path: Path) -> dict[str, Any]:
    """``check-config --json``: validity, every problem with its location, and a summary."""
    from logisync.config.check import _store_without_password
    from logisync.config.loader import load_config
    from logisync.errors import InvalidConfig

    try:
        config = load_config(path)
    except InvalidConfig as invalid:
        return {
            "file": str(path),
            "valid": False,
            "problems": [{"location": p.location, "message": p.message} for p in invalid.problems],
            "summary": None,
        }
    return {
        "file": str(path),
        "valid": True,
        "problems": [],
        "summary": {
            "store": _store_without_password(config.store),
            "systems": {name: system.kind for name, system in config.systems.items()},
            "ownership_rules": len(config.ownership),
            "flows": [flow.name for flow in config.flows],
        },
    }
