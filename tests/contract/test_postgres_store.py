"""PostgreSQL passes the storage contract, plus the failures only a server database has."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from logisync.core.clock import utc_text
from logisync.core.journal import Journal
from logisync.core.ports import EntityResult, ProcessedEvent, Projection, Store
from logisync.errors import StoreUnavailable
from logisync.model.envelope import Event
from logisync.store.postgres import PostgresStore
from logisync.testing.postgres import PostgresCluster, wait_until_accepting

from .alert_contract import AlertContract
from .dashboard_contract import DashboardContract
from .delivery_contract import DeliveryContract
from .read_contract import ReadContract
from .store_contract import NOW, StoreContract, delivery, order_event


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


# -- failures only a server has --------------------------------------------------------------
def _trigger(url: str, table: str, body: str, *, deferred: bool = False) -> None:
    """Install a row trigger on ``table`` that runs ``body`` (PL/pgSQL) inside the store's own
    transaction: a fault injected by the real server, where it would really happen. The
    sequence ``fuse`` counts the firings outside any transaction (nextval is not rolled back).
    """
    kind = "CONSTRAINT TRIGGER" if deferred else "TRIGGER"
    timing = "AFTER INSERT" if deferred else "BEFORE INSERT"
    when = " DEFERRABLE INITIALLY DEFERRED" if deferred else ""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SEQUENCE IF NOT EXISTS fuse")
        conn.execute(
            f"CREATE FUNCTION fault() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {body} RETURN NEW; END $$"
        )
        conn.execute(
            f"CREATE {kind} fault {timing} ON {table}{when} FOR EACH ROW EXECUTE FUNCTION fault()"
        )


KILL_CONNECTION = "PERFORM pg_terminate_backend(pg_backend_pid());"


def _orders(*numbers: str) -> list[Event]:
    return [order_event(number, number) for number in numbers]


def test_a_connection_lost_mid_append_every_time_stores_nothing_and_says_unavailable(
    postgres_url: str, pg_store: PostgresStore
) -> None:
    _trigger(postgres_url, "journal", f"IF NEW.event_id = 'SO2' THEN {KILL_CONNECTION} END IF;")
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        Journal(pg_store).append(_orders("SO1", "SO2", "SO3"))
    assert pg_store.counts().journal == 0
    assert pg_store.claim_entities("w", 10, 30, NOW) is None
    assert Journal(pg_store).append(_orders("SO4"))[0].seq == 1  # the store goes on


def test_a_connection_lost_once_mid_append_is_retried_and_stores_the_batch_once(
    postgres_url: str, pg_store: PostgresStore
) -> None:
    _trigger(postgres_url, "journal", f"IF nextval('fuse') = 2 THEN {KILL_CONNECTION} END IF;")
    results = Journal(pg_store).append(_orders("SO1", "SO2", "SO3"))
    assert [(r.seq, r.duplicate) for r in results] == [(1, False), (2, False), (3, False)]
    assert pg_store.counts().journal == 3
    assert [e.event_id for e in pg_store.events_for("sales_order:SO2")] == ["SO2"]


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])  # serialization failure, deadlock
def test_a_transaction_rolled_back_by_the_server_is_retried_safely(
    postgres_url: str, pg_store: PostgresStore, sqlstate: str
) -> None:
    """Processing commits are what a serialization failure or a deadlock would hit: the retry
    writes the projection, the markers and the delivery once."""
    Journal(pg_store).append(_orders("SO1"))
    claim = pg_store.claim_entities("w", 10, 30, NOW)
    assert claim is not None
    [work] = pg_store.load_work(claim, 10)
    _trigger(
        postgres_url,
        "deliveries",
        f"IF nextval('fuse') = 1 THEN RAISE EXCEPTION 'injected' USING ERRCODE = '{sqlstate}';"
        " END IF;",
    )
    result = EntityResult(
        work.entity_key,
        Projection(work.entity_key, 1, {"number": "SO1"}, {}, {}, "2026-03-01T12"),
        processed=[ProcessedEvent(work.events[0].seq, work.entity_key, "applied", 1, {})],
        deliveries=[delivery(work.entity_key, 1, work.events[0].seq)],
        changed=True,
    )
    pg_store.commit_processing(claim, [result], NOW)
    assert len(pg_store.history("sales_order:SO1")) == 1
    assert len(pg_store.deliveries("odoo")) == 1
    assert pg_store.counts().pending_events == 0


def test_a_connection_lost_mid_processing_commit_leaves_nothing_half_written(
    postgres_url: str, pg_store: PostgresStore
) -> None:
    Journal(pg_store).append(_orders("SO1"))
    claim = pg_store.claim_entities("w", 10, 30, NOW)
    assert claim is not None
    [work] = pg_store.load_work(claim, 10)
    _trigger(postgres_url, "deliveries", KILL_CONNECTION)
    result = EntityResult(
        work.entity_key,
        Projection(work.entity_key, 1, {"number": "SO1"}, {}, {}, "2026-03-01T12"),
        processed=[ProcessedEvent(work.events[0].seq, work.entity_key, "applied", 1, {})],
        deliveries=[delivery(work.entity_key, 1, work.events[0].seq)],
        changed=True,
    )
    with pytest.raises(StoreUnavailable):
        pg_store.commit_processing(claim, [result], NOW)
    assert pg_store.get_projection("sales_order:SO1") is None
    assert pg_store.history("sales_order:SO1") == []
    assert pg_store.deliveries() == []
    assert pg_store.counts().pending_events == 1


def test_a_connection_lost_during_commit_is_reported_not_guessed(
    postgres_url: str, pg_store: PostgresStore
) -> None:
    """The server died while committing: whether the batch was stored is unknown to the
    client, so the store says so instead of retrying; the sender's retry is then absorbed by
    the journal's idempotency whichever way it went."""
    _trigger(
        postgres_url,
        "journal",
        f"IF nextval('fuse') = 1 THEN {KILL_CONNECTION} END IF;",
        deferred=True,
    )
    with pytest.raises(StoreUnavailable, match="unknown"):
        Journal(pg_store).append(_orders("SO1"))
    assert pg_store.counts().journal == 0  # here it was not: the trigger ran before the commit
    assert Journal(pg_store).append(_orders("SO1"))[0].duplicate is False


def test_a_serialization_failure_at_commit_is_a_rollback_and_is_retried(
    postgres_url: str, pg_store: PostgresStore
) -> None:
    _trigger(
        postgres_url,
        "journal",
        "IF nextval('fuse') = 1 THEN RAISE EXCEPTION 'injected' USING ERRCODE = '40001'; END IF;",
        deferred=True,
    )
    [result] = Journal(pg_store).append(_orders("SO1"))
    assert (result.seq, result.duplicate) == (1, False)
    assert pg_store.counts().journal == 1


def test_a_read_only_database_fails_the_readiness_check_and_refuses_writes(
    postgres_url: str, pg_store: PostgresStore
) -> None:
    pg_store.check_writable()
    name = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'.encode())
    read_only = PostgresStore(postgres_url, migrate_now=False)  # new sessions are read-only
    try:
        with pytest.raises(StoreUnavailable, match="read-only"):
            read_only.check_writable()
        with pytest.raises(StoreUnavailable):
            Journal(read_only).append(_orders("SO1"))
        assert read_only.counts().journal == 0
    finally:
        read_only.close()


def test_an_idle_loop_is_woken_by_its_own_kind_of_work_only(
    pg_store: PostgresStore, postgres_url: str
) -> None:
    """A delivery loop is not woken by every journal append, nor a processor by new
    deliveries; a notice of the other kind is kept for whoever waits for it next."""
    waiter = PostgresStore(postgres_url, migrate_now=False)
    try:
        assert waiter.wait_for_work(0) is False  # listening from now on
        Journal(pg_store).append(_orders("SO1"))
        started = time.monotonic()
        assert waiter.wait_for_work(0.3, "deliveries") is False
        assert time.monotonic() - started >= 0.3
        assert waiter.wait_for_work(0, "events") is True  # the append's notice was kept
        assert waiter.wait_for_work(0, "events") is False  # and answered once
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute("SELECT pg_notify('logisync_work', 'deliveries')")
        assert waiter.wait_for_work(0.2, "events") is False
        assert waiter.wait_for_work(5, "deliveries") is True
        Journal(pg_store).append(_orders("SO2"))
        assert waiter.wait_for_work(5) is True  # "any"
    finally:
        waiter.close()


def test_the_store_reconnects_after_the_server_restarts(
    postgres_cluster: PostgresCluster, pg_store: PostgresStore
) -> None:
    Journal(pg_store).append(_orders("SO1"))
    assert pg_store.wait_for_work(0) is False  # listening from now on
    postgres_cluster.restart()  # every connection of the pool and the listener dies
    wait_until_accepting(postgres_cluster)
    Journal(pg_store).append(_orders("SO2"))
    assert pg_store.counts().journal == 2
    assert pg_store.claim_entities("w", 10, 30, NOW) is not None


def test_a_server_that_is_away_makes_the_store_unavailable_then_it_comes_back(
    postgres_cluster: PostgresCluster, postgres_url: str
) -> None:
    store = PostgresStore(postgres_url, wait_seconds=1)
    postgres_cluster.stop()
    try:
        with pytest.raises(StoreUnavailable):
            Journal(store).append(_orders("SO1"))
    finally:
        postgres_cluster.start()
    deadline = time.monotonic() + 60  # the pool reconnects with its own backoff
    while True:
        try:
            assert Journal(store).append(_orders("SO1"))[0].duplicate is False
            break
        except StoreUnavailable:
            assert time.monotonic() < deadline, "the store did not come back"
    store.close()


PLAN_PARAMS = {
    "sources": ["shop"],
    "ids": ["1"],
    "keys": ["sales_order:SO1"],
    "cid": "T1",
    "token": "t",
    "limit": 9,
    "now": "2026",
    "expires_at": "2027",
    "owner": "w",
    "target": "odoo",
    "state": "dead",
    "after": 0,
    "entity_key": "shipment:S1",
    "domain": "shipment",
    "status": "delivered",
    "before": "2026",
    "not_set_by": None,
    "missing_domain": "invoice",
    "missing_statuses": ["posted"],
    "monitors": ["a"],
    "first": 1,
    "since": "2026",
    "start": "shipment:",
    "end": "shipment;",
    "stages": ["delivered"],
    "window": 200,
    "orders": ["SO1"],
    "values": ["SO1"],
}


@pytest.mark.parametrize(
    ("query", "tables"),
    [
        ("find_source_ids", {"journal"}),
        ("events_for_correlation", {"journal", "correlation_events"}),
        ("events_for_entities", {"journal", "entity_events"}),
        ("pending_for_entity", {"journal", "entity_events"}),
        ("claimable_entities", {"pending_entities"}),
        ("claim_deliveries", {"deliveries"}),
        ("deliveries_for_correlation", {"deliveries"}),
        ("target_deliveries_in_state", {"deliveries"}),
        ("deliveries_of_entity", {"deliveries"}),
        ("undelivered_to_target", {"deliveries", "entities"}),
        ("stuck_entities", {"entities"}),
        ("open_alerts_of", {"alerts"}),
        ("open_conflicts", {"conflicts"}),
        ("received_per_minute", {"journal"}),
        ("stage_counts", {"entities"}),
        ("all_conflicts", {"conflicts"}),
        ("entity_conflicts", {"conflicts"}),
        ("deliveries_per_minute", {"delivery_minutes"}),
        ("prune_delivery_minutes", {"delivery_minutes"}),
        ("order_documents", {"entities"}),
        ("order_stage_counts", {"order_stages"}),
        ("orders_at_stages", {"order_stages"}),
        ("documents_of_orders", {"entities"}),
    ],
)
def test_hot_and_dashboard_queries_can_search_an_index_not_scan_a_table(
    pg_store: PostgresStore, postgres_url: str, query: str, tables: set[str]
) -> None:
    """With sequential scans priced out, the plan still reads these tables through an index:
    an index fits each query (an empty table's plan alone would prove nothing)."""
    from logisync.store.postgres.queries import q

    with psycopg.connect(postgres_url) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(
            row[0] for row in conn.execute(f"EXPLAIN {q(query)}".encode(), PLAN_PARAMS)
        )
    for table in tables:
        assert not re.search(rf"Seq Scan on {table}\b", plan), plan


def _rows_read(node: dict[str, Any]) -> list[tuple[str, float]]:
    """(node, rows it read over all its loops) for a JSON plan node and those below it."""
    read = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * node.get(
        "Actual Loops", 1
    )
    label = f"{node['Node Type']} {node.get('Index Name', node.get('Relation Name', ''))}"
    found = [(label, read)]
    for child in node.get("Plans", []):
        found.extend(_rows_read(child))
    return found


@pytest.mark.parametrize("analyzed_while_empty", [True, False])
def test_a_delivery_claim_reads_its_window_not_the_queue_whatever_the_statistics(
    pg_store: PostgresStore, postgres_url: str, analyzed_while_empty: bool
) -> None:
    """Migration 0004. A queue is empty one minute and deep the next. On statistics taken while
    it was empty, or on none, the planner once read the whole queue once per claim candidate
    (11 s a claim), a partial index it believed empty, or the waiting deliveries from the front
    for each entity (400 ms). With 4,000 deliveries waiting and 50 out, no step of a claim
    with a window of 500 may read more than 1,000 rows."""
    from logisync.core.delivery.connector import NullTarget
    from logisync.core.delivery.worker import DeliveryWorker
    from logisync.core.processor import Processor
    from logisync.core.rules import Flow, Rules
    from logisync.store.postgres.queries import q
    from logisync.testing.workload import product_changes

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        # or autovacuum may analyze at its own moment, and the test would prove nothing
        conn.execute("ALTER TABLE deliveries SET (autovacuum_enabled = off)")
    processor = Processor(pg_store, Rules(flows=(Flow("all", ("*",), "sink", "event"),)))
    journal = Journal(pg_store)
    journal.append(product_changes(0, 2_000, 400, 200))
    processor.run_until_idle()
    DeliveryWorker(pg_store, {"sink": NullTarget()}).run_until_idle()
    if analyzed_while_empty:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute("ANALYZE")  # the queue is empty now
    journal.append(product_changes(2_000, 4_000, 400, 200))
    processor.run_until_idle()  # 4,000 deliveries waiting, 10 per product
    assert pg_store.claim_deliveries("sink", "other", 50, 60, datetime.now(UTC)) is not None
    params = {
        **PLAN_PARAMS,
        "target": "sink",
        "limit": 50,
        "window": 500,
        "now": utc_text(datetime.now(UTC)),
        "expires_at": "2999-01-01T00:01:00.000000Z",
    }
    with psycopg.connect(postgres_url) as conn:
        explained = conn.execute(
            f"EXPLAIN (ANALYZE, FORMAT JSON) {q('claim_deliveries')}".encode(), params
        ).fetchone()
        conn.rollback()
    assert explained is not None
    plan = explained[0][0]["Plan"]
    assert plan["Actual Rows"] > 0, plan  # the window's first entities are out already
    over = [(label, read) for label, read in _rows_read(plan) if read > 1_000]
    assert over == [], over


def test_the_postgres_schema_has_every_table_and_column_of_the_sqlite_schema(
    postgres_url: str, tmp_path: Path
) -> None:
    """The two backends' migrations must not drift apart: a column added to SQLite needs its
    PostgreSQL migration too (a new number in store/postgres/migrations)."""
    import sqlite3

    from logisync.store.sqlite import SqliteStore

    SqliteStore(tmp_path / "hub.db").close()
    lite = sqlite3.connect(tmp_path / "hub.db")
    tables = [r[0] for r in lite.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    sqlite_columns = {
        (table, row[1])
        for table in tables
        if not table.startswith("sqlite_")
        for row in lite.execute(f"PRAGMA table_info({table})")
    }
    lite.close()
    with psycopg.connect(postgres_url) as conn:
        postgres_columns = set(
            conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public'"
            ).fetchall()
        )
    assert sorted(sqlite_columns - postgres_columns) == []
    assert sorted(postgres_columns - sqlite_columns) == []


def test_a_store_url_password_stays_out_of_the_error_and_a_bad_name_is_refused() -> None:
    from logisync.testing.postgres import free_port

    url = f"postgresql://hub:s3cret@127.0.0.1:{free_port()}/hub"  # nobody listens there
    with pytest.raises(StoreUnavailable) as refused:
        PostgresStore(url, wait_seconds=1)
    assert "s3cret" not in str(refused.value) and "hub:***@127.0.0.1" in str(refused.value)


def test_the_cluster_refuses_a_database_name_that_is_not_plain(
    postgres_cluster: PostgresCluster,
) -> None:
    with pytest.raises(ValueError, match="plain"):
        postgres_cluster.create_database('x"; DROP DATABASE postgres; --')


def test_source_activity_reads_its_own_table_not_the_journal(
    pg_store: PostgresStore, postgres_url: str
) -> None:
    """Migration 0003 (SQLite's 0016): `logisync status` counts each source's events from the
    per-source table that every append keeps, not by a pass over the whole journal."""
    from logisync.store.postgres.queries import q

    with psycopg.connect(postgres_url) as conn:
        plan = "\n".join(row[0] for row in conn.execute(f"EXPLAIN {q('source_activity')}"))
    journal = Journal(pg_store)
    journal.append([order_event("SO1", "1"), order_event("SO2", "2", source="edi")])
    journal.append([order_event("SO1", "1"), order_event("SO3", "3")])  # one repeat
    assert "journal" not in plan, plan
    assert [(a.source, a.events) for a in pg_store.source_activity()] == [("edi", 1), ("shop", 2)]


def _migrated_to_0002(url: str) -> None:
    from logisync.store.postgres.migrations import available, migrate

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
        with conn.transaction():
            migrate(conn, [m for m in available() if m[0] <= 2])


def test_the_source_counts_of_a_journal_written_before_0003_are_carried_over(
    postgres_url: str,
) -> None:
    from logisync.core.journal import journal_entry

    _migrated_to_0002(postgres_url)
    events = [order_event("SO1", "1"), order_event("SO2", "2", source="edi")]
    with psycopg.connect(postgres_url) as conn:
        for seq, event in enumerate(events, 1):
            entry = journal_entry(event, "2026-03-01T10:00:00Z")
            conn.execute(
                "INSERT INTO journal (seq, event_id, source, type, subject, time, received_at, "
                "idempotency_key, content_hash, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, "
                "%s, %s)",
                (
                    seq,
                    entry.event_id,
                    entry.source,
                    entry.type,
                    entry.subject,
                    entry.time,
                    entry.received_at,
                    entry.idempotency_key,
                    entry.content_hash,
                    entry.data.decode(),
                ),
            )
        conn.execute(  # what the append of that time kept: no counts
            "INSERT INTO source_activity SELECT source, max(seq), max(received_at) FROM journal "
            "GROUP BY source"
        )
    store = PostgresStore(postgres_url)  # applies 0003
    try:
        Journal(store).append([order_event("SO3", "3")])
        assert [(a.source, a.events) for a in store.source_activity()] == [
            ("edi", 1),
            ("shop", 2),
        ]
    finally:
        store.close()


def test_migration_0003_places_the_orders_already_projected(postgres_url: str) -> None:
    _migrated_to_0002(postgres_url)
    status = '{"status": {"time": "2026-03-01T09:00:00Z"}}'
    rows = [
        ("sales_order:SO1", "sales_order", '{"number": "SO1", "status": "confirmed"}'),
        ("sales_order:SO2", "sales_order", '{"number": "SO2", "status": "confirmed"}'),
        (
            "shipment:SH1",
            "shipment",
            '{"order_number": "SO1", "status": {"milestone": "delivered"}}',
        ),
        ("partner:C1", "partner", '{"ref": "C1"}'),
    ]
    with psycopg.connect(postgres_url) as conn:
        for key, domain, state in rows:
            conn.execute(
                "INSERT INTO entities VALUES (%s, %s, 1, %s, %s, '{}', '2026-03-01T12:00:00Z')",
                (key, domain, state, status),
            )
    store = PostgresStore(postgres_url)  # applies 0003
    try:
        assert {(s.stage, s.orders) for s in store.order_stages()} == {
            ("confirmed", 1),
            ("delivered", 1),
        }
    finally:
        store.close()
