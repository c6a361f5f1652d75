"""Storage backends behind the core's ``Store`` port; ``open_store`` picks one by URL."""

from __future__ import annotations

from logisync.core.ports import Store
from logisync.errors import StoreError


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Open the store named by ``url`` (``sqlite:///path/to/hub.db[?busy_timeout_ms=N]`` or
    ``postgresql://user@host:port/database``) and, unless ``migrate=False``, migrate it."""
    if url.startswith("sqlite:///"):
        from logisync.store.sqlite import SqliteStore

        return SqliteStore.from_url(url, migrate_now=migrate)
    if url.startswith(("postgresql://", "postgres://")):
        try:
            from logisync.store.postgres import PostgresStore
        except ImportError as error:  # psycopg is an optional extra
            raise StoreError(
                "the PostgreSQL store needs psycopg: pip install 'logisync[postgres]'"
            ) from error
        return PostgresStore.from_url(url, migrate_now=migrate)
    raise StoreError(
        f"unknown store URL {url!r}: expected sqlite:///PATH or postgresql://HOST/DATABASE"
    )


__all__ = ["open_store"]
