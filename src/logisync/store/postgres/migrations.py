"""Numbered SQL migrations: ``migrations/NNNN_name.sql``, each applied once, atomically.

PostgreSQL runs DDL in transactions, so every migration not yet applied goes in ONE
transaction, behind an advisory lock: processes that start at once against a new database
apply each migration exactly once; the others wait and find it done.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.resources import files

from logisync.store.postgres.connection import Connection

_FILE = re.compile(r"^([0-9]{4})_(\w+)\.sql$")
MIGRATION_LOCK = 0x6C6F6769  # "logi": the advisory lock id that serialises migrations


def _fill_order_stages(conn: Connection) -> None:
    from logisync.store.postgres import order_stages

    order_stages.rebuild(conn)


PYTHON_STEPS: dict[int, Callable[[Connection], None]] = {3: _fill_order_stages}
"""Work a migration needs that SQL alone cannot do well (the stage of every order is decided
by ``core.order_to_cash``): run after the migration's statements, in its transaction."""


def available() -> list[tuple[int, str, str]]:
    folder = files(__package__).joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text()))
    return sorted(found)


def migrate(conn: Connection, migrations: list[tuple[int, str, str]] | None = None) -> list[str]:
    """Apply, in the caller's transaction, every migration not yet applied; return their
    names."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    applied = []
    for version, name, script in available() if migrations is None else migrations:
        if version in done:
            continue
        conn.execute(script.encode())  # no parameters: several statements in one go
        if version in PYTHON_STEPS:
            PYTHON_STEPS[version](conn)
        conn.execute(
            "INSERT INTO schema_migrations VALUES (%s, %s, %s)",
            (version, name, datetime.now(UTC).isoformat()),
        )
        applied.append(name)
    return applied
