"""``logisync migrate`` on both backends: it applies what is missing, once, and says so."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from logisync.cli import app
from logisync.store.postgres.migrations import available as postgres_migrations
from logisync.store.sqlite.migrations import available as sqlite_migrations
from logisync.testing.postgres import PostgresCluster

runner = CliRunner()


def _applied(store: str) -> list[str]:
    result = runner.invoke(app, ["migrate", "--store", store, "--json"])
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout)["applied"])


def test_migrate_builds_a_new_sqlite_file_and_then_finds_it_up_to_date(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    assert _applied(url) == [name for _n, name, _sql in sqlite_migrations()]
    assert _applied(url) == []


def test_migrate_builds_an_empty_postgres_database_and_then_finds_it_up_to_date(
    postgres_cluster: PostgresCluster,
) -> None:
    url = postgres_cluster.create_database("migrate_cli")
    try:
        assert _applied(url) == [name for _n, name, _sql in postgres_migrations()]
        result = runner.invoke(app, ["migrate", "--store", url])
        assert result.exit_code == 0 and "up to date (0 migrations" in result.output
    finally:
        postgres_cluster.drop_database("migrate_cli")


def test_a_postgres_database_that_does_not_exist_is_exit_code_5(
    postgres_cluster: PostgresCluster,
) -> None:
    url = postgres_cluster.url("no_such_database")
    result = runner.invoke(app, ["migrate", "--store", url])
    assert result.exit_code == 5, result.output
