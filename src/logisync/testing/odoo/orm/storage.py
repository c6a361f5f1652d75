"""Records in memory, kept in a SQLite file, with transactions and savepoints.

Every row lives in a dict (model -> id -> row) so that searching ~20k records is a Python
scan, not a query per record; SQLite only makes the rows durable. The file is read once at
open; a transaction writes the rows it touched when it commits. Rolling back replays an
undo log that holds each row as it was before every change, so a savepoint is just a
position in that log (``load()`` rolls back to one and still commits nothing).

Ids come from per-model counters that, like PostgreSQL sequences, are not rolled back:
an id is never handed out twice, even by a transaction that failed.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import Any

Row = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    model TEXT NOT NULL, id INTEGER NOT NULL, vals TEXT NOT NULL, PRIMARY KEY (model, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class RecordStore:
    """The rows of every model, with indexes on chosen columns: ``indexed`` maps a model to
    the column tuples to index (each many2one, which one2many fields and ``ondelete`` rules
    read, and the lookup keys of external ids)."""

    def __init__(self, path: str, indexed: Mapping[str, Iterable[tuple[str, ...]]]) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.executescript(_SCHEMA)
        self._indexed = {model: tuple(keys) for model, keys in indexed.items()}
        self._rows: dict[str, dict[int, Row]] = defaultdict(dict)
        self._refs: dict[tuple[str, tuple[str, ...]], dict[Hashable, set[int]]] = defaultdict(
            lambda: defaultdict(set)
        )
        self._counters: dict[str, int] = {}
        self._undo: list[tuple[str, int, Row | None]] = []
        self._dirty: set[tuple[str, int]] = set()
        self._load()

    def _load(self) -> None:
        for model, record_id, vals in self._conn.execute("SELECT model, id, vals FROM records"):
            row = json.loads(vals)
            self._rows[model][record_id] = row
            self._index(model, record_id, None, row)
        for name, value in self._conn.execute("SELECT name, value FROM counters"):
            self._counters[name] = value
        for model, rows in self._rows.items():
            key = f"id:{model}"
            self._counters[key] = max(self._counters.get(key, 0), max(rows, default=0))

    def close(self) -> None:
        self._conn.close()

    # -- metadata -------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        found = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if found is None else str(found[0])

    def set_meta(self, key: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- reading --------------------------------------------------------------------------

    def get(self, model: str, record_id: int) -> Row | None:
        """The live row (callers never mutate it: changes go through ``update``)."""
        return self._rows[model].get(record_id)

    def exists(self, model: str, record_id: int) -> bool:
        return record_id in self._rows[model]

    def ids(self, model: str) -> list[int]:
        return sorted(self._rows[model])

    def rows(self, model: str) -> Iterator[Row]:
        """Every row of ``model`` in id order."""
        rows = self._rows[model]
        for record_id in sorted(rows):
            yield rows[record_id]

    def count(self, model: str) -> int:
        return len(self._rows[model])

    def referencing(self, model: str, field: str, target: int) -> set[int]:
        """Ids of ``model`` records whose many2one ``field`` is ``target``."""
        return set(self._refs[(model, (field,))].get(target, ()))

    def lookup(self, model: str, columns: tuple[str, ...], key: tuple[Any, ...]) -> set[int]:
        """Ids of ``model`` records whose ``columns`` hold ``key`` (an indexed tuple)."""
        return set(self._refs[(model, columns)].get(key, ()))

    # -- writing --------------------------------------------------------------------------

    def next_value(self, name: str) -> int:
        """The next number of counter ``name``; never rolled back, like a PostgreSQL
        sequence (Odoo's ``ir.sequence`` "standard" implementation)."""
        value = self._counters.get(name, 0) + 1
        self._counters[name] = value
        return value

    def insert(self, model: str, row: Row) -> int:
        record_id = self.next_value(f"id:{model}")
        stored = dict(row, id=record_id)
        self._rows[model][record_id] = stored
        self._remember(model, record_id, None)
        self._index(model, record_id, None, stored)
        return record_id

    def update(self, model: str, record_id: int, changes: Row) -> None:
        old = self._rows[model][record_id]
        new = dict(old)
        new.update(changes)
        self._rows[model][record_id] = new
        self._remember(model, record_id, old)
        self._index(model, record_id, old, new)

    def delete(self, model: str, record_id: int) -> None:
        old = self._rows[model].pop(record_id, None)
        if old is not None:
            self._remember(model, record_id, old)
            self._index(model, record_id, old, None)

    def _remember(self, model: str, record_id: int, old: Row | None) -> None:
        self._undo.append((model, record_id, old))
        self._dirty.add((model, record_id))

    def _index(self, model: str, record_id: int, old: Row | None, new: Row | None) -> None:
        for columns in self._indexed.get(model, ()):
            before = _key(old, columns)
            after = _key(new, columns)
            if before == after:
                continue
            refs = self._refs[(model, columns)]
            if before is not None:
                refs[before].discard(record_id)
            if after is not None:
                refs[after].add(record_id)

    # -- transactions ---------------------------------------------------------------------

    def savepoint(self) -> int:
        return len(self._undo)

    def rollback_to(self, savepoint: int) -> None:
        """Undo every change made since ``savepoint``, newest first."""
        while len(self._undo) > savepoint:
            model, record_id, old = self._undo.pop()
            current = self._rows[model].get(record_id)
            if old is None:
                self._rows[model].pop(record_id, None)
            else:
                self._rows[model][record_id] = old
            self._index(model, record_id, current, old)

    def rollback(self) -> None:
        self.rollback_to(0)
        self._dirty.clear()
        self._persist_counters()

    def commit(self) -> None:
        """Write the touched rows and the counters in one SQLite transaction; if SQLite
        refuses, the memory is rolled back too so that both still agree."""
        upserts = []
        deletes = []
        for model, record_id in self._dirty:
            row = self._rows[model].get(record_id)
            if row is None:
                deletes.append((model, record_id))
            else:
                upserts.append((model, record_id, json.dumps(row)))
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.executemany("DELETE FROM records WHERE model = ? AND id = ?", deletes)
            self._conn.executemany(
                "INSERT OR REPLACE INTO records (model, id, vals) VALUES (?, ?, ?)", upserts
            )
            self._write_counters()
            self._conn.execute("COMMIT")
        except sqlite3.Error:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            self.rollback()
            raise
        self._undo.clear()
        self._dirty.clear()

    def _persist_counters(self) -> None:
        """Keep the consumed ids of a rolled-back transaction consumed after a reopen."""
        self._conn.execute("BEGIN IMMEDIATE")
        self._write_counters()
        self._conn.execute("COMMIT")

    def _write_counters(self) -> None:
        self._conn.executemany(
            "INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)",
            list(self._counters.items()),
        )


def _key(row: Row | None, columns: tuple[str, ...]) -> Hashable | None:
    """The index key of ``row``: the value of a single column (none when empty), or the
    tuple of several columns."""
    if row is None:
        return None
    if len(columns) == 1:
        value = row.get(columns[0])
        return value if value else None
    return tuple(row.get(column) for column in columns)
