"""The reads behind the read API, shared by every backend: events by id and by correlation,
processing outcomes, and deliveries by id, state and correlation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from logisync.core.clock import ManualClock
from logisync.core.journal import Journal
from logisync.core.ports import DeliveryOutcome, EntityResult, ProcessedEvent, Projection, Store

from .delivery_contract import LATER, queue
from .store_contract import NOW, delivery, order_event


def process_all(store: Store, correlated_deliveries: bool = False) -> None:
    """Commit every pending event as applied, each routed to one event delivery."""
    claim = store.claim_entities("p", 100, 30, NOW)
    assert claim is not None
    results = []
    for work in store.load_work(claim, 100):
        key = work.entity_key
        result = EntityResult(key, Projection(key, 1, {}, {}, {}, "2026-03-01T12"), changed=True)
        for record in work.events:
            detail = {"changed": {"status": "placed"}}
            result.processed.append(ProcessedEvent(record.seq, key, "applied", 1, detail))
            if correlated_deliveries:
                routed = delivery(key, 1, record.seq, mode="event")
                result.deliveries.append(routed._replace(correlationid=record.correlationid))
        results.append(result)
    store.commit_processing(claim, results, NOW)


class ReadContract:
    @pytest.fixture
    def store(self) -> Store:
        raise NotImplementedError

    # -- events --------------------------------------------------------------------------
    def test_events_with_an_id_come_from_every_source_that_used_it(self, store: Store) -> None:
        Journal(store).append(
            [
                order_event("SO1", "e1", source="shop"),
                order_event("SO2", "e1", source="edi"),
                order_event("SO3", "e2", source="shop"),
            ]
        )
        assert [(r.source, r.subject) for r in store.events_with_id("e1")] == [
            ("edi", "sales_order:SO2"),
            ("shop", "sales_order:SO1"),
        ]
        assert store.events_with_id("nope") == []
        record = store.get_event("e1", "edi")
        assert record is not None and record.subject == "sales_order:SO2"

    def test_events_of_a_correlation_before_and_after_indexing(self, store: Store) -> None:
        journal = Journal(store)
        journal.append([order_event("SO1", "1", correlationid="T1"), order_event("SO2", "2")])
        journal.append([order_event("SO3", "3", correlationid="T1")])
        assert [r.event_id for r in store.events_for_correlation("T1")] == ["1", "3"]
        process_all(store)  # the claim indexes the journal
        journal.append([order_event("SO1", "4", correlationid="T1")])
        assert [r.event_id for r in store.events_for_correlation("T1")] == ["1", "3", "4"]
        assert store.events_for_correlation("T2") == []

    def test_processing_of_events_and_the_history_say_when(self, store: Store) -> None:
        journal = Journal(store)
        first, second = journal.append([order_event("SO1", "1"), order_event("SO2", "2")])
        process_all(store)
        third = journal.append([order_event("SO1", "3")])[0]
        done = store.processing_of([first.seq, second.seq, third.seq])
        assert sorted(done) == [first.seq, second.seq]
        assert done[first.seq].outcome == "applied"
        assert done[first.seq].detail == {"changed": {"status": "placed"}}
        assert done[first.seq].processed_at == "2026-03-01T12"
        [entry] = store.history("sales_order:SO1")
        assert entry.processed_at == "2026-03-01T12"

    # -- status ----------------------------------------------------------------------------
    def test_the_oldest_pending_event_and_each_sources_last_event(self, store: Store) -> None:
        assert store.oldest_pending_received_at() is None
        assert store.source_activity() == []
        clock = ManualClock(datetime(2026, 3, 1, 10, tzinfo=UTC))
        journal = Journal(store, clock)
        journal.append([order_event("SO1", "1"), order_event("SO2", "2", source="edi")])
        clock.advance(300)
        journal.append([order_event("SO3", "3")])
        assert store.oldest_pending_received_at() == "2026-03-01T10:00:00.000000Z"
        assert [(a.source, a.events, a.last_received_at) for a in store.source_activity()] == [
            ("edi", 1, "2026-03-01T10:00:00.000000Z"),
            ("shop", 2, "2026-03-01T10:05:00.000000Z"),
        ]
        # repeats, in the batch and of earlier batches, are not counted again
        journal.append([order_event("SO4", "5"), order_event("SO4", "5"), order_event("SO3", "3")])
        journal.append([order_event("SO5", "6", source="edi"), order_event("SO2", "2", "edi")])
        assert [(a.source, a.events) for a in store.source_activity()] == [("edi", 2), ("shop", 3)]
        process_all(store)
        assert store.oldest_pending_received_at() is None
        clock.advance(300)
        journal.append([order_event("SO1", "4")])  # not indexed yet: still waiting
        assert store.oldest_pending_received_at() == "2026-03-01T10:10:00.000000Z"

    def test_every_pollers_cursor(self, store: Store) -> None:
        assert store.source_cursors() == []
        store.save_source_cursor("odoo", "sale.order", {"write_date": "2026-03-01 10:00:00"})
        store.save_source_cursor("odoo", "res.partner", {"write_date": "2026-03-01 09:00:00"})
        cursors = store.source_cursors()
        assert [(c.source, c.stream) for c in cursors] == [
            ("odoo", "res.partner"),
            ("odoo", "sale.order"),
        ]
        assert cursors[1].position == {"write_date": "2026-03-01 10:00:00"}
        assert cursors[1].updated_at

    # -- deliveries ------------------------------------------------------------------------
    def test_a_delivery_by_id_tells_its_error_and_when_it_died(self, store: Store) -> None:
        queue(store, ("A", "event", 1), ("B", "event", 1))
        claim = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert claim is not None
        first, second = (d.id for d in claim.deliveries)
        outcomes = [
            DeliveryOutcome(first, "dead", "422: no country"),
            DeliveryOutcome(second, "delivered", target_ref="7"),
        ]
        store.finish_deliveries(claim, outcomes, NOW)
        dead, delivered = store.delivery(first), store.delivery(second)
        assert dead is not None and delivered is not None
        assert (dead.state, dead.last_error, dead.dead_at) == (
            "dead",
            "422: no country",
            "2026-03-01T12:00:00.000000Z",
        )
        assert (delivered.state, delivered.delivered_at) == (
            "delivered",
            "2026-03-01T12:00:00.000000Z",
        )
        assert store.delivery(first + 100) is None

    def test_deliveries_in_a_state_by_target_and_page(self, store: Store) -> None:
        queue(store, ("A", "event", 1), ("B", "event", 1), ("C", "event", 1))
        ids = [d.id for d in store.deliveries_in_state("pending")]
        assert len(ids) == 3 and ids == sorted(ids)
        assert [d.id for d in store.deliveries_in_state("pending", limit=2)] == ids[:2]
        assert [d.id for d in store.deliveries_in_state("pending", after=ids[1])] == ids[2:]
        assert [d.id for d in store.deliveries_in_state("pending", target="odoo")] == ids
        assert store.deliveries_in_state("pending", target="wms") == []
        assert store.deliveries_in_state("dead") == []

    def test_deliveries_of_a_correlation(self, store: Store) -> None:
        Journal(store).append(
            [
                order_event("SO1", "1", correlationid="T1"),
                order_event("SO2", "2", correlationid="T2"),
                order_event("SO3", "3", correlationid="T1"),
            ]
        )
        process_all(store, correlated_deliveries=True)
        found = store.deliveries_for_correlation("T1")
        assert [d.event_id for d in found] == ["e1", "e3"]
        assert store.deliveries_for_correlation("T3") == []

    def test_a_replay_is_audited_with_its_origin(self, store: Store) -> None:
        queue(store, ("A", "event", 1))
        claim = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert claim is not None
        dead_id = claim.deliveries[0].id
        store.finish_deliveries(claim, [DeliveryOutcome(dead_id, "dead", "422")], NOW)
        assert store.replay_dead_letter(
            dead_id, current=False, actor="key:k1", reason="fixed", now=LATER, origin="10.0.0.7"
        )
        [entry] = store.audit_log()
        assert (entry.actor, entry.origin, entry.action) == ("key:k1", "10.0.0.7", "dlq.replay")
        replayed = store.delivery(dead_id)
        assert replayed is not None and (replayed.state, replayed.dead_at) == ("pending", None)
