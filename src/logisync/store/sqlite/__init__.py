"""The embedded SQLite backend of the storage port."""

from logisync.store.sqlite.store import SqliteStore

__all__ = ["SqliteStore"]
