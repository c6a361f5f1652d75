"""PostgreSQL with several writers at once, each with its own connections (as processes on
several machines would have): appends, processing and delivery claims interleave for real,
and nothing is lost, done twice or done out of order per entity."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import psycopg
import pytest

from logisync.core.journal import Journal
from logisync.core.ports import (
    DeliveryOutcome,
    EntityClaim,
    EntityResult,
    ProcessedEvent,
    Projection,
)
from logisync.core.processor import Processor
from logisync.core.rules import Rules
from logisync.model import new_event
from logisync.store.postgres import PostgresStore
from logisync.store.postgres.migrations import available
from logisync.testing.postgres import PostgresCluster

from .dashboard_contract import project
from .delivery_contract import queue
from .store_contract import NOW, order_event


class TickingClock:
    """Every reading is a microsecond later than the one before, across threads: a batch's
    processing time then tells the order in which batches took their entities."""

    def __init__(self) -> None:
        self._ticks = itertools.count()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return NOW + timedelta(microseconds=next(self._ticks))


@pytest.fixture
def stores(postgres_url: str) -> Iterator[Callable[[], PostgresStore]]:
    opened: list[PostgresStore] = []

    def open_one() -> PostgresStore:
        opened.append(PostgresStore(postgres_url, migrate_now=False))
        return opened[-1]

    yield open_one
    for store in opened:
        store.close()


def _run_all(*work: Callable[[], None]) -> None:
    errors: list[BaseException] = []

    def run(step: Callable[[], None]) -> None:
        try:
            step()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(step,)) for step in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not [t for t in threads if t.is_alive()], "a worker did not finish"
    assert not errors, errors


def test_appenders_and_processors_at_once_lose_nothing_and_keep_each_entitys_order(
    stores: Callable[[], PostgresStore],
) -> None:
    appenders_done = threading.Event()
    clock = TickingClock()

    def append(name: str) -> Callable[[], None]:
        def run() -> None:
            journal = Journal(stores())
            for batch in range(30):
                journal.append(
                    [
                        order_event(f"SO{n % 7}", f"{name}-{batch}-{n}", source=name)
                        for n in range(5)
                    ]
                )

        return run

    def process() -> None:
        processor = Processor(stores(), Rules(), clock=clock)
        while True:
            finished = appenders_done.is_set()  # read before the last round: nothing after it
            processor.run_until_idle()
            if finished:
                return

    def appenders() -> None:
        _run_all(append("shop"), append("edi"), append("wms"))
        appenders_done.set()

    _run_all(appenders, process, process)

    store = stores()
    counts = store.counts()
    assert (counts.journal, counts.pending_events) == (450, 0)
    seqs = [
        r.seq for key in (f"sales_order:SO{n}" for n in range(7)) for r in store.events_for(key)
    ]
    assert sorted(seqs) == list(range(1, 451))  # dense: appends took turns
    for n in range(7):
        history = store.history(f"sales_order:SO{n}")
        assert len(history) == len({h.seq for h in history})  # each event processed once
        times = [h.processed_at for h in history]  # in seq order
        assert times == sorted(times), f"SO{n} was processed out of journal order"
    assert len(store.processing_of(seqs)) == 450


def test_delivery_workers_at_once_hold_one_delivery_per_entity_and_deliver_in_order(
    stores: Callable[[], PostgresStore],
) -> None:
    setup = stores()
    for _round in range(3):
        queue(setup, *[(f"E{n}", "event", n % 3) for n in range(12)])
    expected = {d.id: d.entity_key for d in setup.deliveries("odoo")}
    earlier = {
        d.id: [e for e, key in expected.items() if key == d.entity_key and e < d.id]
        for d in setup.deliveries("odoo")
    }
    held: set[str] = set()
    delivered: list[int] = []
    guard = threading.Lock()

    def deliver(owner: str) -> Callable[[], None]:
        def run() -> None:
            store = stores()
            while True:
                claim = store.claim_deliveries("odoo", owner, 4, 30, NOW)
                if claim is None:
                    with guard:
                        if len(delivered) == len(expected):
                            return
                    continue
                for d in claim.deliveries:
                    before = [store.delivery(e) for e in earlier[d.id]]
                    assert all(e is not None and e.state == "delivered" for e in before), d
                    with guard:
                        assert d.entity_key not in held, f"{d.entity_key} claimed twice at once"
                        held.add(d.entity_key)
                with guard:
                    held.difference_update(d.entity_key for d in claim.deliveries)
                outcomes = [DeliveryOutcome(d.id, "delivered") for d in claim.deliveries]
                store.finish_deliveries(claim, outcomes, NOW)
                with guard:
                    delivered.extend(d.id for d in claim.deliveries)

        return run

    _run_all(*(deliver(f"w{n}") for n in range(4)))
    assert sorted(delivered) == sorted(expected)  # each exactly once
    assert {d.state for d in setup.deliveries("odoo")} == {"delivered"}


def test_workers_at_once_never_hold_more_batches_of_a_target_than_its_limit(
    stores: Callable[[], PostgresStore],
) -> None:
    """Four workers claim one target with two batches in flight at most: each claim searches
    its rows before it takes its turn to count what is out, and undoes them when over."""
    setup = stores()
    queue(setup, *[(f"E{n}", "event", 0) for n in range(40)])
    out: set[str] = set()  # batches claimed and not yet being finished: in flight at least
    most, delivered = 0, []
    guard = threading.Lock()

    def deliver(owner: str) -> Callable[[], None]:
        def run() -> None:
            store = stores()
            while True:
                claim = store.claim_deliveries("odoo", owner, 2, 30, NOW, max_in_flight=2)
                if claim is None:
                    with guard:
                        if len(delivered) == 40:
                            return
                    continue
                nonlocal most
                with guard:
                    out.add(claim.token)
                    most = max(most, len(out))
                time.sleep(0.005)  # sending
                with guard:
                    out.discard(claim.token)
                outcomes = [DeliveryOutcome(d.id, "delivered") for d in claim.deliveries]
                store.finish_deliveries(claim, outcomes, NOW)
                with guard:
                    delivered.extend(d.id for d in claim.deliveries)

        return run

    _run_all(*(deliver(f"w{n}") for n in range(4)))
    assert most == 2  # the limit was reached, never passed
    assert len(set(delivered)) == len(delivered) == 40
    assert {d.state for d in setup.deliveries("odoo")} == {"delivered"}


def test_a_dead_workers_claims_are_taken_over_after_their_lease(
    stores: Callable[[], PostgresStore],
) -> None:
    """A process that died holding claims (its connections gone) blocks nobody past its
    lease: another process takes its entities and its deliveries over."""
    dead = stores()
    queue(dead, ("A", "event", 1))  # processed: one delivery waits
    Journal(dead).append([order_event("SO2", "2")])
    entities = dead.claim_entities("dead", 10, 30, NOW)
    deliveries = dead.claim_deliveries("odoo", "dead", 10, 30, NOW)
    assert entities is not None and entities.entity_keys == ("sales_order:SO2",)
    assert deliveries is not None and len(deliveries.deliveries) == 1
    dead.close()  # the process is gone

    alive = stores()
    assert alive.claim_entities("alive", 10, 30, NOW + timedelta(seconds=10)) is None
    assert alive.claim_deliveries("odoo", "alive", 10, 30, NOW + timedelta(seconds=10)) is None
    later = NOW + timedelta(seconds=31)
    taken = alive.claim_entities("alive", 10, 30, later)
    assert taken is not None and set(taken.entity_keys) == set(entities.entity_keys)
    over = alive.claim_deliveries("odoo", "alive", 10, 30, later)
    assert over is not None and [d.id for d in over.deliveries] == [
        d.id for d in deliveries.deliveries
    ]


def test_an_idle_worker_blocked_in_wait_is_woken_by_new_deliveries(
    stores: Callable[[], PostgresStore],
) -> None:
    waiter, writer = stores(), stores()
    waiter.wait_for_work(0)  # listening
    woken: list[bool] = []
    thread = threading.Thread(target=lambda: woken.append(waiter.wait_for_work(60)))
    thread.start()
    queue(writer, ("A", "event", 1))  # an append, then a commit that routes a delivery
    thread.join(timeout=90)
    assert woken == [True]


def test_processes_opening_an_empty_database_at_once_migrate_it_once(
    postgres_cluster: PostgresCluster,
) -> None:
    url = postgres_cluster.create_database("migrated_at_once")
    try:
        opened: list[PostgresStore] = []
        start = threading.Barrier(4)

        def open_one() -> None:
            start.wait()
            opened.append(PostgresStore(url))

        _run_all(*[open_one] * 4)
        assert [store.migrate() for store in opened] == [[]] * 4
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT count(*) FROM schema_migrations").fetchone()
        assert row is not None and row[0] == len(available())
        for store in opened:
            store.close()
    finally:
        postgres_cluster.drop_database("migrated_at_once")


HOLD_AFTER_FIRST_STAGE_WRITE = """
CREATE SEQUENCE fuse;
CREATE TABLE go (x int);
CREATE FUNCTION hold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF nextval('fuse') = 1 THEN
        WHILE NOT EXISTS (SELECT FROM go) AND clock_timestamp() < now() + interval '30 s' LOOP
            PERFORM pg_sleep(0.01);
        END LOOP;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER hold AFTER INSERT ON order_stages FOR EACH STATEMENT EXECUTE FUNCTION hold();
"""


def _delivered(store: PostgresStore, claim: EntityClaim, number: str) -> Callable[[], None]:
    """Commit the claimed shipment as delivered (shipment ``number`` of order SO1)."""
    [work] = store.load_work(claim, 10)
    key, seq = work.entity_key, work.events[-1].seq
    state = {"number": number, "order_number": "SO1", "status": {"milestone": "delivered"}}
    provenance = {"status": {"time": "2026-03-01T12:00:00Z"}}
    result = EntityResult(key, Projection(key, 2, state, provenance, {}, "t"), changed=True)
    result.processed.append(ProcessedEvent(seq, key, "applied", 2, {}))
    return lambda: store.commit_processing(claim, [result], NOW)


def test_two_processes_moving_shipments_of_one_order_at_once_leave_its_true_stage(
    stores: Callable[[], PostgresStore], postgres_url: str
) -> None:
    """An order with two parcels is delivered when both are. Two workers commit one parcel
    each at once; neither sees the other's uncommitted projection. The first is held (by a
    trigger) after writing the order's stage until the second has either committed or is seen
    waiting for the order: without the per-order lock, the second would write the stage it saw
    (one parcel still in transit) and ``with_carrier`` would stay for good."""
    setup, first, second = stores(), stores(), stores()
    project(setup, "sales_order.placed", {"number": "SO1"}, {"status": "confirmed"}, "t0")
    for number in ("SH1", "SH2"):
        state = {"number": number, "order_number": "SO1", "status": {"milestone": "in_transit"}}
        project(setup, "shipment.created", {"number": number}, state, "t1")
    assert [s.stage for s in setup.order_stages()] == ["with_carrier"]
    for number in ("SH1", "SH2"):
        Journal(setup).append(
            [
                new_event(
                    "shipment.created", {"number": number}, source="tms", id=f"u{number}", time=NOW
                )
            ]
        )
    one, two = (store.claim_entities(store.url, 1, 60, NOW) for store in (first, second))
    assert one is not None and one.entity_keys == ("shipment:SH1",)
    assert two is not None and two.entity_keys == ("shipment:SH2",)
    commits = [_delivered(first, one, "SH1"), _delivered(second, two, "SH2")]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(HOLD_AFTER_FIRST_STAGE_WRITE.encode())
        held = threading.Thread(target=commits[0])
        held.start()
        _until(conn, "wait_event = 'PgSleep'")  # the first is held, its stage written
        racing = threading.Thread(target=commits[1])
        racing.start()
        _until(conn, "wait_event_type = 'Lock'", done=lambda: not racing.is_alive())
        conn.execute("INSERT INTO go VALUES (1)")
        held.join(timeout=60)
        racing.join(timeout=60)
    assert [(s.stage, s.orders) for s in setup.order_stages()] == [("delivered", 1)]


def _until(
    conn: psycopg.Connection[tuple[object, ...]],
    condition: str,
    done: Callable[[], bool] = lambda: False,
) -> None:
    deadline = time.monotonic() + 30
    query = f"SELECT count(*) FROM pg_stat_activity WHERE {condition}".encode()
    while not done():
        row = conn.execute(query).fetchone()
        if row is not None and row[0]:
            return
        assert time.monotonic() < deadline, f"nobody got to {condition}"
        time.sleep(0.01)
