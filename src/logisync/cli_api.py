"""``logisync serve`` and ``logisync keys create|list|rotate|revoke``."""

from __future__ import annotations

import getpass
import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from logisync.cli_exit import ExitCode, fail
from logisync.cli_output import JsonOption, print_json

keys_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode="markdown",
    help="API keys: create, list, rotate, revoke.",
)

ConfigOption = Annotated[Path | None, typer.Option(help="Configuration file")]
StoreOption = Annotated[str | None, typer.Option(help="Store URL (default: the config's)")]
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class JournalWriter(StrEnum):
    """Where ``logisync serve`` commits intake appends."""

    AUTO = "auto"
    PROCESS = "process"
    THREAD = "thread"


def duration(text: str) -> timedelta:
    """``90s``, ``15m``, ``24h``, ``90d``."""
    match = re.fullmatch(r"\s*([0-9]+)\s*([smhd])\s*", text)
    if not match:
        raise typer.BadParameter(f"{text!r} is not a duration such as 90s, 15m, 24h or 30d")
    return timedelta(seconds=int(match[1]) * _UNITS[match[2]])


def store_url(config: Path | None, store: str | None) -> str:
    """``--store``, else the configuration's ``store`` (every command that opens the store)."""
    from logisync.config import load_config

    if store is None and config is None:
        raise typer.BadParameter("give --config or --store")
    return store or load_config(config).store  # type: ignore[arg-type]


def serve(
    config: ConfigOption = None,
    store: StoreOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8080,
    journal_writer: Annotated[
        JournalWriter,
        typer.Option(
            case_sensitive=False,
            help="Where intake appends are committed: 'process' (a process of their own, the "
            "default on SQLite: the commit runs on another core), or 'thread' (a thread of this "
            "process, the default on PostgreSQL, whose server already does the work elsewhere)",
        ),
    ] = JournalWriter.AUTO,
) -> None:
    """Serve the HTTP API (intake, webhooks, read API, probes) until stopped."""
    import uvicorn

    from logisync.api.app import create_app
    from logisync.logs import configure_logging
    from logisync.store import open_store
    from logisync.store.journal_writer import JournalWriterProcess

    configure_logging()
    url = store_url(config, store)
    webhooks = None
    if config is not None:
        from logisync.api.app import webhook_systems
        from logisync.config import load_config
        from logisync.config.audit import record_config
        from logisync.config.secret_refs import resolve_secret

        settings = load_config(config)
        webhooks = webhook_systems(settings.systems, resolve_secret)
        audit_store = open_store(url)
        record_config(audit_store, settings, config, "serve", datetime.now(UTC))
        audit_store.close()
    app = create_app(
        lambda: open_store(url),
        webhooks=webhooks,
        journal_writer=JournalWriterProcess(url) if _writer_process(journal_writer, url) else None,
    )
    from logisync.cli_process import collect_garbage_less_often

    collect_garbage_less_often()  # intake p99 37 -> 12 ms (bench/intake.py)
    # log_config=None: uvicorn logs through configure_logging's handler (no payload values)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False, log_config=None)


def _writer_process(choice: JournalWriter, url: str) -> bool:
    if choice is JournalWriter.AUTO:
        return url.startswith("sqlite:")
    return choice is JournalWriter.PROCESS


def _audit_entry(action: str, subject: str, reason: str, detail: dict[str, object]):  # type: ignore[no-untyped-def]
    from logisync.core.clock import utc_text
    from logisync.core.ports import AuditEntry

    actor = f"cli:{getpass.getuser()}"
    return AuditEntry(utc_text(datetime.now(UTC)), actor, action, subject, reason, detail, "cli")


@keys_app.command("create")
def keys_create(
    system: Annotated[
        str | None, typer.Option(help="The system the key submits for (events:submit)")
    ] = None,
    scope: Annotated[
        list[str], typer.Option(help="events:submit, events:read, pii:read or admin; repeatable")
    ] = ["events:submit"],  # noqa: B006
    event_type: Annotated[
        list[str] | None, typer.Option(help="Event types it may submit (patterns); repeatable")
    ] = None,
    label: Annotated[str, typer.Option(help="What the key is for")] = "",
    expires_in: Annotated[str | None, typer.Option(help="e.g. 90d; default: never")] = None,
    rate: Annotated[float | None, typer.Option(help="Requests/s allowed to this key")] = None,
    config: ConfigOption = None,
    store: StoreOption = None,
) -> None:
    """Create a key and print it once: only a hash of it is kept."""
    from logisync.cli import open_hub
    from logisync.core.keys import new_key

    try:
        token, key = new_key(
            system=system,
            scopes=frozenset(scope),
            event_types=tuple(event_type or ()),
            label=label,
            now=datetime.now(UTC),
            expires_in=duration(expires_in) if expires_in else None,
            rate_limit=rate,
        )
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    hub = open_hub(config, store)
    detail = {"system": system, "scopes": sorted(key.scopes), "event_types": key.event_types}
    hub.save_api_keys([key], _audit_entry("key.create", f"key:{key.key_id}", label, detail))
    typer.echo(token)
    typer.echo(
        f"key {key.key_id} created; store the line above now, it is not shown again", err=True
    )


@keys_app.command("list")
def keys_list(
    config: ConfigOption = None, store: StoreOption = None, as_json: JsonOption = False
) -> None:
    """Every key with its system, scopes and state (never a secret)."""
    from logisync.cli import open_hub

    now = datetime.now(UTC)
    keys = open_hub(config, store).api_keys()
    if as_json:
        print_json(
            {
                "keys": [
                    {
                        "key_id": key.key_id,
                        "state": key.state(now),
                        "system": key.system,
                        "scopes": sorted(key.scopes),
                        "event_types": list(key.event_types),
                        "expires_at": key.expires_at,
                        "revoked_at": key.revoked_at,
                        "label": key.label,
                    }
                    for key in keys
                ]
            }
        )
        return
    for key in keys:
        typer.echo(
            "\t".join(
                [
                    key.key_id,
                    key.state(now),
                    key.system or "-",
                    ",".join(sorted(key.scopes)),
                    ",".join(key.event_types) or "*",
                    f"expires {key.expires_at}" if key.expires_at else "no expiry",
                    key.label,
                ]
            )
        )


@keys_app.command("rotate")
def keys_rotate(
    key_id: Annotated[str, typer.Argument(help="The key to replace")],
    overlap: Annotated[str, typer.Option(help="How long the old key keeps working")] = "24h",
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log)")] = "rotation",
    config: ConfigOption = None,
    store: StoreOption = None,
) -> None:
    """Issue a successor with the same rights; the old key expires after the overlap."""
    from logisync.cli import open_hub
    from logisync.core.keys import rotated

    hub = open_hub(config, store)
    old = _usable(hub.api_key(key_id), key_id)
    token, successor, old = rotated(old, now=datetime.now(UTC), overlap=duration(overlap))
    detail = {"successor": successor.key_id, "old_expires_at": old.expires_at}
    hub.save_api_keys([successor, old], _audit_entry("key.rotate", f"key:{key_id}", reason, detail))
    typer.echo(token)
    typer.echo(
        f"key {successor.key_id} replaces {key_id}, which stops working at {old.expires_at}",
        err=True,
    )


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key to revoke")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log)")],
    config: ConfigOption = None,
    store: StoreOption = None,
) -> None:
    """Stop a key (a running API refuses it within a second)."""
    from dataclasses import replace

    from logisync.cli import open_hub
    from logisync.core.clock import utc_text

    hub = open_hub(config, store)
    key = _usable(hub.api_key(key_id), key_id)
    revoked = replace(key, revoked_at=utc_text(datetime.now(UTC)))
    hub.save_api_keys([revoked], _audit_entry("key.revoke", f"key:{key_id}", reason, {}))
    typer.echo(f"key {key_id} revoked")


def _usable(key, key_id: str):  # type: ignore[no-untyped-def]
    if key is None:
        fail(ExitCode.NOT_FOUND, f"no key {key_id}; see `logisync keys list`")
    if key.revoked_at is not None:
        fail(ExitCode.FAILED, f"key {key_id} was already revoked at {key.revoked_at}")
    return key
