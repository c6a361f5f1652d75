"""``logisync users create|list|disable``: the dashboard's accounts (see ``core.accounts``).

Passwords are read from the terminal (twice) or, for scripts, from standard input with
``--password-stdin``; never from the command line, where other users could read them."""

from __future__ import annotations

import getpass
import sys
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from logisync.cli_api import ConfigOption, StoreOption
from logisync.cli_exit import ExitCode, fail

if TYPE_CHECKING:
    from logisync.core.ports import AuditEntry, Store

users_app = typer.Typer(no_args_is_help=True, help="Dashboard accounts: create, list, disable.")


def _store(config: ConfigOption, store: StoreOption) -> Store:
    """The existing store: an account in a fresh empty file that no hub serves is a trap."""
    from logisync.cli import open_hub

    return open_hub(config, store)


def _audit(action: str, name: str, detail: dict[str, object]) -> AuditEntry:
    from logisync.core.clock import utc_text
    from logisync.core.ports import AuditEntry

    actor = f"cli:{getpass.getuser()}"
    now = utc_text(datetime.now(UTC))
    return AuditEntry(now, actor, action, f"user:{name}", "", detail, "cli")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise typer.BadParameter("the two passwords differ")
    return first


@users_app.command("create")
def users_create(
    name: Annotated[str, typer.Argument(help="The login name")],
    role: Annotated[str, typer.Option(help="viewer, operator or admin")] = "viewer",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
    config: ConfigOption = None,
    store: StoreOption = None,
) -> None:
    """Create an account (or reset an existing one's role and password)."""
    from logisync.core.accounts import new_user

    hub = _store(config, store)
    try:
        user = new_user(name, role, _password(password_stdin), datetime.now(UTC))
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    known = hub.dashboard_user(name)
    if known is not None:
        user = replace(user, created_at=known.created_at)
    action = "user.create" if known is None else "user.reset"
    hub.save_dashboard_user(user, _audit(action, name, {"role": user.role}))
    typer.echo(f"{'created' if known is None else 'reset'} {name} ({user.role})")


@users_app.command("list")
def users_list(config: ConfigOption = None, store: StoreOption = None) -> None:
    """The accounts, their role and whether they are active."""
    for user in _store(config, store).dashboard_users():
        state = "active" if user.active else f"disabled {user.disabled_at}"
        typer.echo(f"{user.name}\t{user.role}\t{state}\tcreated {user.created_at}")


@users_app.command("disable")
def users_disable(
    name: Annotated[str, typer.Argument(help="The login name")],
    config: ConfigOption = None,
    store: StoreOption = None,
) -> None:
    """Disable an account: its sessions end at their next request."""
    from logisync.core.clock import utc_text

    hub = _store(config, store)
    user = hub.dashboard_user(name)
    if user is None:
        fail(ExitCode.NOT_FOUND, f"no dashboard account is named {name!r}")
    if not user.active:
        typer.echo(f"{name} was already disabled at {user.disabled_at}")
        return
    disabled = replace(user, disabled_at=utc_text(datetime.now(UTC)))
    hub.save_dashboard_user(disabled, _audit("user.disable", name, {"role": user.role}))
    typer.echo(f"disabled {name}")
