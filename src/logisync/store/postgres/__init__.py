"""The PostgreSQL backend of the storage port: many hub processes on many machines share one
database (``pip install 'logisync[postgres]'``)."""

from logisync.store.postgres.store import PostgresStore

__all__ = ["PostgresStore"]
