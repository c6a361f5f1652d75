"""PostgreSQL passes the storage contract, plus the failures only a server database has."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from logisync.core.ports import Store
from logisync.store.postgres import PostgresStore

from .alert_contract import AlertContract
from .dashboard_contract import DashboardContract
from .delivery_contract import DeliveryContract
from .read_contract import ReadContract
from .store_contract import StoreContract


@pytest.fixture
def pg_store(postgres_url: str) -> Iterator[PostgresStore]:
    """A store on a fresh, migrated database of this test's own."""
    store = PostgresStore(postgres_url)
    yield store
    store.close()


class TestPostgresStore(StoreContract):
    @pytest.fixture
    def store(self, pg_store: PostgresStore) -> Store:
        return pg_store

    @pytest.fixture
    def reopen(self, postgres_url: str) -> Iterator[Callable[[], Store]]:
        opened: list[PostgresStore] = []

        def reopen() -> Store:
            opened.append(PostgresStore(postgres_url))
            return opened[-1]

        yield reopen
        for store in opened:
            store.close()


class TestPostgresDeliveries(DeliveryContract):
    @pytest.fixture
    def store(self, pg_store: PostgresStore) -> Store:
        return pg_store


class TestPostgresDashboard(DashboardContract):
    @pytest.fixture
    def store(self, pg_store: PostgresStore) -> Store:
        return pg_store


class TestPostgresReads(ReadContract):
    @pytest.fixture
    def store(self, pg_store: PostgresStore) -> Store:
        return pg_store


class TestPostgresAlerts(AlertContract):
    @pytest.fixture
    def store(self, pg_store: PostgresStore) -> Store:
        return pg_store
