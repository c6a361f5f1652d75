"""SQLite passes the storage contract, plus the failures only a file database has."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from logisync.core.journal import Journal
from logisync.core.ports import Store
from logisync.errors import StoreBusy, StoreUnavailable
from logisync.store.sqlite import SqliteStore
from logisync.store.sqlite.migrations import available

from .alert_contract import AlertContract
from .dashboard_contract import DashboardContract
from .delivery_contract import DeliveryContract
from .read_contract import ReadContract
from .store_contract import NOW, StoreContract, order_event


class TestSqliteStore(StoreContract):
    @pytest.fixture
    def path(self, tmp_path: Path) -> Path:
        return tmp_path / "hub.db"

    @pytest.fixture
    def store(self, path: Path) -> Store:
        store = SqliteStore(path)
        yield store  # type: ignore[misc]
        store.close()

    @pytest.fixture
    def reopen(self, path: Path) -> Callable[[], Store]:
        return lambda: SqliteStore(path)


def test_disk_full_refuses_the_batch_and_keeps_nothing(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    journal = Journal(store)
    journal.append([order_event("SO0", "0")])
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full
    big = [order_event(f"SO{i}", str(i)) for i in range(1, 2000)]
    with pytest.raises(StoreUnavailable, match="full"):
        journal.append(big)
    store._conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.counts().journal == 1
    assert journal.append([order_event("SO1", "1")])[0].duplicate is False


def test_a_writer_holding_the_lock_makes_append_busy_not_half_done(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    store = SqliteStore(path)
    store._conn.execute("PRAGMA busy_timeout = 50")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusy):
            Journal(store).append([order_event("SO1", "1")])
    finally:
        blocker.execute("ROLLBACK")
    assert store.counts().journal == 0


def test_schema_reached_by_migrations_equals_the_schema_file(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    rows = store._conn.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY type DESC, name"
    ).fetchall()
    migrated = ";\n".join(row[0] for row in rows) + ";\n"
    schema_file = Path(__file__).parents[2] / "src/logisync/store/sqlite/schema.sql"
    assert migrated == schema_file.read_text(), (
        "schema.sql is out of date: regenerate it with `python -m logisync.store.sqlite.schema`"
    )


# Numbers reserved by branches not merged yet (issue 8: 0016 is another helper's, this branch
# adds 0017); the lead empties this set once they are merged.
IN_FLIGHT: set[int] = set()


def test_migrations_are_numbered_without_gaps() -> None:
    numbers = [number for number, _name, _sql in available()]
    expected = [n for n in range(1, len(numbers) + len(IN_FLIGHT) + 1) if n not in IN_FLIGHT]
    assert numbers == expected or numbers == list(range(1, len(numbers) + 1))


def _open_and_append(path: str, n: int, start: object) -> int:
    start.wait()  # type: ignore[attr-defined]
    store = SqliteStore(path)
    Journal(store).append([order_event(f"SO{n}", str(n))])
    return store.counts().journal


def test_processes_opening_a_new_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    import multiprocessing

    path = str(tmp_path / "hub.db")
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        start = manager.Barrier(4)
        with context.Pool(4) as pool:
            results = pool.starmap(_open_and_append, [(path, n, start) for n in range(4)])
    assert max(results) == 4
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(available())
    assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == 4


def test_migrations_split_into_complete_statements() -> None:
    from logisync.store.sqlite.migrations import statements

    for _number, name, script in available():
        parts = statements(script)
        assert parts, name
        assert all(sqlite3.complete_statement(part) for part in parts)


def test_a_broken_migration_is_refused_before_it_takes_the_write_lock(tmp_path: Path) -> None:
    from logisync.store.sqlite.connection import connect
    from logisync.store.sqlite.migrations import migrate

    conn = connect(tmp_path / "hub.db")
    broken = [(1, "0001_broken.sql", "CREATE TABLE t (a INTEGER);\nCREATE TABLE u (")]
    with pytest.raises(ValueError, match="incomplete statement"):
        migrate(conn, broken)
    assert not conn.in_transaction
    other = sqlite3.connect(tmp_path / "hub.db", isolation_level=None, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")  # nobody holds the write lock
    other.execute("ROLLBACK")


class TestSqliteDeliveries(DeliveryContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Store:
        return SqliteStore(tmp_path / "hub.db")


class TestSqliteDashboard(DashboardContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Store:
        return SqliteStore(tmp_path / "hub.db")


class TestSqliteReads(ReadContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Store:
        return SqliteStore(tmp_path / "hub.db")


def test_a_journal_written_before_the_entity_index_is_indexed_by_the_migration(
    tmp_path: Path,
) -> None:
    """Migration 0006 moved the per-entity index out of the journal: a file written by the
    earlier append (journal rows plus pending marks) keeps every event reachable."""
    from logisync.core.journal import journal_entry
    from logisync.store.sqlite.connection import connect
    from logisync.store.sqlite.migrations import migrate
    from logisync.store.sqlite.queries import q

    path = tmp_path / "hub.db"
    conn = connect(path)
    migrate(conn, [m for m in available() if m[0] <= 5])
    events = [order_event(f"SO{n % 3}", str(n)) for n in range(6)]
    conn.execute("BEGIN IMMEDIATE")
    # The insert of that time: the columns before 0013's trace context.
    old_insert = (
        q("insert_journal").replace(", traceparent, tracestate", "").replace(", ?, ?)", ")")
    )
    conn.executemany(old_insert, [journal_entry(e, "2026-03-01T10:00:00Z")[:14] for e in events])
    conn.execute(
        "INSERT INTO pending_entities (entity_key, first_seq) "
        "SELECT subject, min(seq) FROM journal WHERE seq > 3 GROUP BY subject"
    )
    conn.execute("COMMIT")
    conn.close()

    store = SqliteStore(path)  # applies 0006
    assert [r.event_id for r in store.events_for("sales_order:SO1")] == ["1", "4"]
    assert store.counts().pending_entities == 3
    claim = store.claim_entities("w", 10, 30, NOW)
    assert claim is not None
    work = {w.entity_key: [r.event_id for r in w.events] for w in store.load_work(claim, 100)}
    assert work == {"sales_order:SO0": ["3"], "sales_order:SO1": ["4"], "sales_order:SO2": ["5"]}
    store.close()


def test_events_not_yet_indexed_are_seen_by_reads_and_counts(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    Journal(store).append([order_event("SO1", "1"), order_event("SO2", "2")])
    Journal(store).append([order_event("SO1", "3")])
    indexed = store._conn.execute("SELECT seq FROM journal_indexed").fetchone()[0]
    assert indexed == 0  # appending leaves the per-entity index to the processor
    assert [r.event_id for r in store.events_for("sales_order:SO1")] == ["1", "3"]
    counts = store.counts()
    assert (counts.pending_events, counts.pending_entities) == (3, 2)
    claim = store.claim_entities("w", 1, 30, NOW)
    assert claim is not None and claim.entity_keys == ("sales_order:SO1",)
    Journal(store).append([order_event("SO2", "4")])
    assert [r.event_id for r in store.events_for("sales_order:SO2")] == ["2", "4"]
    counts = store.counts()
    assert (counts.pending_events, counts.pending_entities) == (4, 2)
    store.close()


@pytest.mark.parametrize(
    ("query", "params", "index"),
    [
        ("find_source_ids", {"pairs": "[]"}, "journal_event_id"),
        ("get_event_by_source_id", ("shop", "1"), "journal_event_id"),
        ("events_with_id", ("1",), "journal_event_id"),
        ("events_for_correlation", {"cid": "T1"}, "correlation_events"),
        ("deliveries_for_correlation", {"cid": "T1"}, "deliveries_correlation"),
        (
            "target_deliveries_in_state",
            {"target": "odoo", "state": "dead", "after": 0, "limit": 9},
            "deliveries_queue",
        ),
    ],
)
def test_the_read_apis_look_ups_search_an_index(
    tmp_path: Path, query: str, params: Any, index: str
) -> None:
    """Migration 0008: looking events up by id or correlation adds no index to the journal (its
    dedup index is turned around instead) and scans neither the journal nor the deliveries."""
    from logisync.store.sqlite.queries import q

    store = SqliteStore(tmp_path / "hub.db")
    rows = store._conn.execute(f"EXPLAIN QUERY PLAN {q(query)}", params).fetchall()
    store.close()
    plan = " | ".join(row[3] for row in rows)
    assert index in plan, plan
    assert not re.search(r"SCAN (journal|deliveries|d)\b", plan), plan


def test_the_journal_keeps_one_dedup_index_and_the_idempotency_index(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    indexes = {row[1] for row in store._conn.execute("PRAGMA index_list(journal)")}
    store.close()
    assert indexes == {"journal_event_id", "journal_idempotency"}


class TestSqliteAlerts(AlertContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Store:
        return SqliteStore(tmp_path / "hub.db")


@pytest.mark.parametrize(
    ("query", "index"),
    [("stuck_entities", "entities_status"), ("open_alerts_of", "alerts_open")],
)
def test_monitor_reads_search_an_index_not_the_table(
    tmp_path: Path, query: str, index: str
) -> None:
    """A monitor tick must not scan every entity of a 100k-entity store."""
    from logisync.store.sqlite.queries import q

    store = SqliteStore(tmp_path / "hub.db")
    params = {
        "domain": "shipment",
        "status": "delivered",
        "before": "2026",
        "limit": 10,
        "not_set_by": None,
        "missing_domain": "invoice",
        "missing_statuses": '["posted"]',
        "monitors": '["a"]',
    }
    plan = " | ".join(
        row[3] for row in store._conn.execute("EXPLAIN QUERY PLAN " + q(query), params)
    )
    store.close()
    assert f"USING INDEX {index}" in plan or f"USING COVERING INDEX {index}" in plan, plan
    assert "SCAN entities" not in plan and "SCAN alerts" not in plan, plan
    if query == "stuck_entities":
        assert "entities_order" in plan, plan


@pytest.mark.parametrize(
    ("query", "params", "must_use"),
    [
        ("history", ("shipment:S1",), "processed_events_seq"),
        ("processing_of", {"seqs": "[1, 2]"}, "processed_events_seq"),
        ("events_for_entities", {"keys": '["shipment:S1"]'}, "entity_events"),
        ("open_conflicts", {"after": 0, "limit": 9}, "conflicts_state_id"),
        ("all_conflicts", {"after": 0, "limit": 9}, "INTEGER PRIMARY KEY"),
        (
            "entity_conflicts",
            {"entity_key": "partner:C1", "after": 0, "limit": 9},
            "conflicts_entity",
        ),
        ("received_per_minute", {"first": 1, "since": "2026"}, "INTEGER PRIMARY KEY"),
        ("deliveries_per_minute", {"since": "2026"}, "PRIMARY KEY"),
        (
            "deliveries_of_entity",
            {"entity_key": "shipment:S1", "target": None, "limit": 9},
            "deliveries_entity",
        ),
        ("stage_counts", {"start": "x:", "end": "x;"}, "PRIMARY KEY"),
        (
            "documents_of_orders",
            {"domain": "shipment", "values": '["SO1"]', "limit": 9},
            "entities_order",
        ),
        (
            "undelivered_to_target",
            {
                "start": "x:",
                "end": "x;",
                "target": "odoo",
                "stages": "[]",
                "before": "z",
                "limit": 9,
            },
            "deliveries_queue",
        ),
    ],
)
def test_the_dashboards_reads_search_an_index_or_a_key_range(
    tmp_path: Path, query: str, params: Any, must_use: str
) -> None:
    """Migrations 0014 and 0019: the dashboard's and an entity's reads search a window or a
    key range, never a whole table (processed markers are in arrival order: by seq only
    through their index)."""
    from logisync.store.sqlite.queries import q

    store = SqliteStore(tmp_path / "hub.db")
    rows = store._conn.execute(f"EXPLAIN QUERY PLAN {q(query)}", params).fetchall()
    store.close()
    plan = " | ".join(row[3] for row in rows)
    assert must_use in plan, plan
    tables = r"journal|deliveries|d|entities|e|entity_events|conflicts|processed_events|p"
    assert not re.search(rf"SCAN ({tables})\b", plan), plan


def test_a_search_by_external_id_reads_the_crosswalk_index(tmp_path: Path) -> None:
    """Migration 0012: `logisync trace 1Z…` and the dashboard's search, without a system."""
    from logisync.store.sqlite.queries import q

    store = SqliteStore(tmp_path / "hub.db")
    rows = store._conn.execute(
        f"EXPLAIN QUERY PLAN {q('links_of_external_id')}", ("42", 9)
    ).fetchall()
    store.close()
    plan = " | ".join(row[3] for row in rows)
    assert "crosswalk_external_id" in plan, plan


def test_source_activity_reads_its_own_table_not_the_journal(tmp_path: Path) -> None:
    """Migration 0016: `logisync status` counts each source's events from the per-source
    table that every append keeps (migration 0013), not by a pass over the whole journal."""
    from logisync.store.sqlite.queries import q

    store = SqliteStore(tmp_path / "hub.db")
    plan = " | ".join(
        row[3] for row in store._conn.execute(f"EXPLAIN QUERY PLAN {q('source_activity')}")
    )
    journal = Journal(store)
    journal.append([order_event("SO1", "1"), order_event("SO2", "2", source="edi")])
    journal.append([order_event("SO1", "1"), order_event("SO3", "3")])  # one repeat
    counted = [(a.source, a.events) for a in store.source_activity()]
    store.close()
    assert "journal" not in plan, plan
    assert counted == [("edi", 1), ("shop", 2)]


def test_the_source_counts_of_a_journal_written_before_0016_are_carried_over(
    tmp_path: Path,
) -> None:
    from logisync.core.journal import journal_entry
    from logisync.store.sqlite.connection import connect
    from logisync.store.sqlite.migrations import migrate
    from logisync.store.sqlite.queries import q

    path = tmp_path / "hub.db"
    conn = connect(path)
    migrate(conn, [m for m in available() if m[0] <= 15])
    events = [order_event("SO1", "1"), order_event("SO2", "2", source="edi")]
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        q("insert_journal"), [journal_entry(e, "2026-03-01T10:00:00Z") for e in events]
    )
    conn.execute(  # what the append of that time kept: no counts
        "INSERT INTO source_activity SELECT source, max(seq), max(received_at) FROM journal "
        "GROUP BY source"
    )
    conn.execute("COMMIT")
    conn.close()
    store = SqliteStore(path)  # applies 0016
    Journal(store).append([order_event("SO3", "3")])
    assert [(a.source, a.events) for a in store.source_activity()] == [("edi", 1), ("shop", 2)]
    store.close()


@pytest.mark.parametrize(
    ("query", "params", "must_use"),
    [
        ("order_documents", {"orders": '["SO1"]'}, "entities_order"),
        ("order_stage_counts", {}, "COVERING INDEX order_stages_by_stage"),
        ("order_stage_median", {"stage": "paid", "offset": 9}, "order_stages_by_stage"),
        (
            "orders_at_stages",
            {"stages": '["dispatched", "delivered"]', "before": "2026", "limit": 50},
            "order_stages_by_stage (stage=? AND since<?)",
        ),
    ],
)
def test_the_order_to_cash_view_reads_an_index_not_the_projections(
    tmp_path: Path, query: str, params: Any, must_use: str
) -> None:
    """Migration 0016: each order's stage is kept in order_stages by the processing commit
    (its documents found by key and through entities_order), and the business view reads that
    table's index: 100k orders cost an index pass, not a parse of every projection."""
    from logisync.store.sqlite.queries import q

    store = SqliteStore(tmp_path / "hub.db")
    rows = store._conn.execute(f"EXPLAIN QUERY PLAN {q(query)}", params).fetchall()
    store.close()
    plan = " | ".join(row[3] for row in rows)
    assert must_use in plan, plan
    assert not re.search(r"SCAN (entities|e)\b", plan), plan
    if query == "order_documents":
        assert "USING PRIMARY KEY" in plan, plan
        # the documents by order number, not every shipment and invoice of the domain
        assert "entities_order (domain=? AND <expr>=?)" in plan, plan


def test_migration_0016_places_the_orders_already_projected(tmp_path: Path) -> None:
    from logisync.store.sqlite.connection import connect
    from logisync.store.sqlite.migrations import migrate
    from logisync.store.sqlite.queries import q

    path = tmp_path / "hub.db"
    conn = connect(path)
    migrate(conn, [m for m in available() if m[0] <= 15])
    status = b'{"status": {"time": "2026-03-01T09:00:00Z"}}'
    rows = [
        ("sales_order:SO1", "sales_order", 1, b'{"number": "SO1", "status": "confirmed"}'),
        ("sales_order:SO2", "sales_order", 1, b'{"number": "SO2", "status": "confirmed"}'),
        (
            "shipment:SH1",
            "shipment",
            1,
            b'{"order_number": "SO1", "status": {"milestone": "delivered"}}',
        ),
        ("partner:C1", "partner", 1, b'{"ref": "C1"}'),
    ]
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        q("upsert_projection"), [(*row, status, b"{}", "2026-03-01T12:00:00Z") for row in rows]
    )
    conn.execute("COMMIT")
    conn.close()
    store = SqliteStore(path)  # applies 0016
    counts = {(s.stage, s.orders) for s in store.order_stages()}
    store.close()
    assert counts == {("confirmed", 1), ("delivered", 1)}
