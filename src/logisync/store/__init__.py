"""Storage backends behind the core's ``Store`` port; ``open_store`` picks one by URL."""

from __future__ import annotations

from logisync.core.ports import Store
from logisync.errors import StoreError


def open_store(url: str) -> Store:
    """Open (and migrate) the store named by ``url``: ``sqlite:///path/to/hub.db``."""
    if url.startswith("sqlite:///"):
        from logisync.store.sqlite import SqliteStore

        return SqliteStore.from_url(url)
    if url.startswith(("postgresql://", "postgres://")):
        raise StoreError("the PostgreSQL backend is not part of this release yet (issue 9)")
    raise StoreError(f"unknown store URL {url!r}: expected sqlite:///PATH")


__all__ = ["open_store"]
