"""The exit codes of every ``logisync`` command, and the one place errors become them.

Scripts and schedulers branch on the exit code, so each code means one thing in every
command and never changes meaning (docs/cli.md lists them). Commands say *which* outcome with
``fail(ExitCode.X, message)``; errors of the hub's own tree that reach the top (an invalid
configuration, a store that cannot be opened) are turned into their code by ``HubGroup``, so
no command needs its own ``try`` for them and the user sees one line, not a traceback.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from logisync.errors import InvalidConfig, StoreError


class ExitCode(IntEnum):
    """Stable: a code is never reused for another meaning."""

    OK = 0
    """Done as asked."""
    FAILED = 1
    """The command ran and its work failed or was refused in part (a file refused, a poll
    failed, some dead letters could not be queued again)."""
    USAGE = 2
    """Wrong arguments or options (typer's own code)."""
    NOT_FOUND = 3
    """What was named does not exist: a delivery, a key, an entity, a transaction, a file."""
    CONFIG_INVALID = 4
    """The configuration file is missing or has errors (each printed with file:line:column)."""
    STORE_UNAVAILABLE = 5
    """The store cannot be opened or used (bad URL, unreadable file, disk full, locked)."""
    AMBIGUOUS = 6
    """The text names several transactions or entities: narrow it (``trace``)."""
    EXISTS = 7
    """Refused to overwrite an existing file (``init`` without ``--force``)."""


def fail(code: ExitCode, message: str) -> NoReturn:
    """Say why on standard error and stop with ``code``."""
    typer.echo(message, err=True)
    raise typer.Exit(int(code))


def code_for(error: BaseException) -> ExitCode | None:
    """The exit code of one of the hub's errors, or None for a bug (shown as a traceback)."""
    if isinstance(error, InvalidConfig):
        return ExitCode.CONFIG_INVALID
    if isinstance(error, StoreError):
        return ExitCode.STORE_UNAVAILABLE
    return None


class HubGroup(TyperGroup):
    """The command group that turns the hub's errors into exit codes (for sub-groups too:
    they run inside this group's ``invoke``)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (InvalidConfig, StoreError) as error:
            code = code_for(error)
            assert code is not None
            typer.echo(str(error), err=True)
            raise typer.Exit(int(code)) from None
