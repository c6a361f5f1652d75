"""Numbered SQL migrations: ``migrations/NNNN_name.sql``, each applied once, atomically."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.resources import files

from logisync.store.sqlite.connection import translate

_FILE = re.compile(r"^([0-9]{4})_(\w+)\.sql$")


def _fill_order_stages(conn: sqlite3.Connection) -> None:
    from logisync.store.sqlite import order_stages

    order_stages.rebuild(conn)


PYTHON_STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {16: _fill_order_stages}
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


def statements(script: str) -> list[str]:
    """Split a migration into statements, so that they run inside our own transaction
    (``executescript`` would commit on its own)."""
    found, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            found.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise ValueError(f"migration ends with an incomplete statement: {buffer.strip()[:80]}")
    return found


def migrate(
    conn: sqlite3.Connection, migrations: list[tuple[int, str, str]] | None = None
) -> list[str]:
    """Apply every migration not yet applied, all in one write transaction.

    The write lock is taken before reading what was applied, so several processes that open a
    new file at once apply each migration exactly once; the others wait and find it done.
    """
    applied = []
    scripts = [
        (version, name, statements(script))
        for version, name, script in (available() if migrations is None else migrations)
    ]
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for version, name, parts in scripts:
            if version in done:
                continue
            for statement in parts:
                conn.execute(statement)
            if version in PYTHON_STEPS:
                PYTHON_STEPS[version](conn)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                (version, name, datetime.now(UTC).isoformat()),
            )
            applied.append(name)
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise translate(error) from error
    return applied
