"""Numbered SQL migrations: ``migrations/NNNN_name.sql``, each applied once, atomically."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from importlib.resources import files

from logisync.store.sqlite.connection import translate

_FILE = re.compile(r"^(\d{4})_(\w+)\.sql$")


def available() -> list[tuple[int, str, str]]:
    folder = files(__package__).joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text()))
    return sorted(found)


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet applied; each with its bookkeeping row in one script."""
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        applied = []
        for version, name, script in available():
            if version in done:
                continue
            stamp = datetime.now(UTC).isoformat()
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\n"
                f"INSERT INTO schema_migrations VALUES ({version}, '{name}', '{stamp}');\n"
                "COMMIT;"
            )
            applied.append(name)
    except sqlite3.Error as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise translate(error) from error
    return applied
