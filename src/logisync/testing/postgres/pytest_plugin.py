"""PostgreSQL fixtures: one throw-away server per test session, one fresh database per test.

Registered as a ``pytest11`` plugin::

    def test_my_query(postgres_url):
        store = PostgresStore(postgres_url)  # an empty, migrated database of its own

The server starts when the first test asks for it. Where PostgreSQL is missing or will not
start, those tests are skipped, except in CI (``CI`` set), where they fail: a backend that was
never tested must not pass for a tested one.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from logisync.testing.postgres import PostgresCluster, PostgresUnavailable

TEMPLATE = "logisync_template"
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """The session's server, on loopback and a free port."""
    try:
        cluster = PostgresCluster().start()
    except PostgresUnavailable as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed in CI and did not start: {error}")
        pytest.skip(f"PostgreSQL is not available here: {error}")
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def postgres_template(postgres_cluster: PostgresCluster) -> str:
    """A database migrated once per session, copied for each test."""
    from logisync.store.postgres import PostgresStore

    PostgresStore(postgres_cluster.create_database(TEMPLATE)).close()
    return TEMPLATE


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster, postgres_template: str) -> Iterator[str]:
    """The URL of a fresh, migrated database for this test, dropped after it."""
    name = f"test_{os.getpid()}_{next(_numbers)}"
    url = postgres_cluster.create_database(name, template=postgres_template)
    try:
        yield url
    finally:
        postgres_cluster.drop_database(name)
