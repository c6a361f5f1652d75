"""Write ``schema.sql``: the schema that the migrations reach, for review and drift tests.

Run ``python -m logisync.store.sqlite.schema`` after adding a migration.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from logisync.store.sqlite.store import SqliteStore


def migrated_schema() -> str:
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "schema.db")
        rows = store._conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY type DESC, name"
        ).fetchall()
        store.close()
    return ";\n".join(row[0] for row in rows) + ";\n"


if __name__ == "__main__":
    target = Path(__file__).with_name("schema.sql")
    target.write_text(migrated_schema())
    print(f"wrote {target}")
