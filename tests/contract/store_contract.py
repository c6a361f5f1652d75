"""The storage contract: every backend's test module subclasses ``StoreContract``.

A subclass provides the ``store`` fixture (a fresh, migrated store) and ``reopen`` (a second
handle on the same data, as another process would have). Everything else is shared, so SQLite
and later PostgreSQL are held to exactly the same behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from logisync.core.journal import Journal
from logisync.core.ports import (
    ConflictRecord,
    CrosswalkLink,
    EntityResult,
    NewDelivery,
    ProcessedEvent,
    Projection,
    Store,
)
from logisync.errors import LeaseLost, StoreError
from logisync.model import new_event
from logisync.model.envelope import Event

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def order_event(number: str, event_id: str, source: str = "shop", **extra: object) -> Event:
    return new_event(
        "sales_order.placed",
        {"number": number, "channel": "web"},
        source=source,
        id=event_id,
        time="2026-03-01T10:00:00Z",
        **extra,
    )


def delivery(entity_key: str, version: int, seq: int, mode: str = "state") -> NewDelivery:
    return NewDelivery(
        target="odoo",
        flow="orders to odoo",
        mode=mode,  # type: ignore[arg-type]
        priority=1,
        entity_key=entity_key,
        entity_version=version,
        event_seq=seq,
        event_id=f"e{seq}",
        correlationid=None,
        created_at="2026-03-01T12:00:00.000000Z",
    )


class StoreContract:
    """Shared behaviour of every ``Store`` implementation."""

    @pytest.fixture
    def store(self) -> Store:
        raise NotImplementedError

    @pytest.fixture
    def reopen(self) -> Callable[[], Store]:
        raise NotImplementedError

    # -- schema ----------------------------------------------------------------------------
    def test_migrate_is_idempotent(self, store: Store) -> None:
        assert store.migrate() == []

    # -- journal ---------------------------------------------------------------------------
    def test_append_assigns_increasing_sequence(self, store: Store) -> None:
        results = Journal(store).append([order_event("SO1", "1"), order_event("SO2", "2")])
        assert [r.duplicate for r in results] == [False, False]
        assert results[0].seq < results[1].seq
        assert [r.event_id for r in results] == ["1", "2"]

    def test_appended_events_survive_reopening(
        self, store: Store, reopen: Callable[[], Store]
    ) -> None:
        Journal(store).append([order_event("SO1", "1")])
        other = reopen()
        record = other.get_event("1", "shop")
        assert record is not None
        assert record.subject == "sales_order:SO1"
        assert record.data == {"number": "SO1", "channel": "web"}

    def test_an_idle_worker_is_woken_by_an_append_from_another_process(
        self, store: Store, reopen: Callable[[], Store]
    ) -> None:
        other = reopen()
        store.wait_for_work(0)  # whatever came before
        assert store.wait_for_work(0.05) is False
        Journal(other).append([order_event("SO1", "1")])
        assert store.wait_for_work(30) is True  # at once, not after the timeout
        assert store.wait_for_work(0.05) is False

    # -- EDI control numbers ---------------------------------------------------------------
    def test_control_numbers_say_new_duplicate_and_gap_across_reopening(
        self, store: Store, reopen: Callable[[], Store]
    ) -> None:
        first = store.record_control_number("acme", "x12", "interchange", 7, "d7")
        assert (first.first_digest, first.highest_before) == (None, None)
        gap = store.record_control_number("acme", "x12", "interchange", 10, "d10")
        assert (gap.first_digest, gap.highest_before) == (None, 7)
        other = reopen()
        again = other.record_control_number("acme", "x12", "interchange", 7, "changed")
        assert again.first_digest == "d7"  # the first content stays recorded
        assert other.record_control_number("acme", "x12", "group", 7, "g").first_digest is None
        assert (
            other.record_control_number("zeta", "x12", "interchange", 7, "z").first_digest is None
        )

    def test_outbound_control_numbers_count_per_partner_and_level_across_reopening(
        self, store: Store, reopen: Callable[[], Store]
    ) -> None:
        taken = [store.next_control_number("acme", "x12", "interchange") for _ in range(3)]
        assert taken == [1, 2, 3]
        assert store.next_control_number("acme", "x12", "group") == 1
        assert store.next_control_number("zeta", "x12", "interchange") == 1
        assert reopen().next_control_number("acme", "x12", "interchange") == 4

    # -- polled sources --------------------------------------------------------------------
    def test_source_cursors_are_kept_per_stream_and_replaced(
        self, store: Store, reopen: Callable[[], Store]
    ) -> None:
        assert store.source_cursor("odoo", "stock.picking") is None
        store.save_source_cursor("odoo", "stock.picking", {"write_date": "2026-01-01 10:00:00"})
        store.save_source_cursor("odoo", "res.partner", {"write_date": "2026-01-01 09:00:00"})
        store.save_source_cursor("odoo", "stock.picking", {"write_date": "2026-01-01 11:00:00"})
        other = reopen()
        assert other.source_cursor("odoo", "stock.picking") == {"write_date": "2026-01-01 11:00:00"}
        assert other.source_cursor("odoo", "res.partner") == {"write_date": "2026-01-01 09:00:00"}
        assert other.source_cursor("wms", "stock.picking") is None

    def test_duplicate_by_source_and_id_stores_nothing(self, store: Store) -> None:
        journal = Journal(store)
        first = journal.append([order_event("SO1", "1")])[0]
        again = journal.append([order_event("SO1", "1")])[0]
        assert again.duplicate and again.same_content
        assert (again.event_id, again.seq) == (first.event_id, first.seq)
        assert store.counts().journal == 1
        assert store.counts().pending_events == 1

    def test_duplicate_by_idempotency_key_answers_with_the_original(self, store: Store) -> None:
        journal = Journal(store)
        first = journal.append([order_event("SO1", "a", idempotencykey="K1")])[0]
        again = journal.append([order_event("SO1", "b", idempotencykey="K1")])[0]
        assert again.duplicate
        assert again.event_id == "a" and again.seq == first.seq
        assert store.counts().journal == 1

    def test_reused_key_with_other_content_is_flagged(self, store: Store) -> None:
        journal = Journal(store)
        journal.append([order_event("SO1", "a", idempotencykey="K1")])
        other = journal.append([order_event("SO2", "b", idempotencykey="K1")])[0]
        assert other.duplicate and not other.same_content

    def test_duplicates_within_one_batch(self, store: Store) -> None:
        results = Journal(store).append(
            [order_event("SO1", "1"), order_event("SO1", "1"), order_event("SO2", "2")]
        )
        assert [r.duplicate for r in results] == [False, True, False]
        assert results[0].seq == results[1].seq
        assert store.counts().journal == 2

    def test_a_batch_mixing_new_and_stored_events_stores_only_the_new_ones(
        self, store: Store
    ) -> None:
        journal = Journal(store)
        first = journal.append([order_event("SO1", "1")])[0]
        results = journal.append(
            [order_event("SO2", "2"), order_event("SO1", "1"), order_event("SO3", "3")]
        )
        assert [r.duplicate for r in results] == [False, True, False]
        assert results[1].seq == first.seq
        assert store.counts().journal == 3
        assert len({r.seq for r in results}) == 3

    def test_raw_payload_is_kept(self, store: Store) -> None:
        result = Journal(store).append([order_event("SO1", "1")], raws=[b'{"raw": true}'])[0]
        assert store.raw_payload(result.seq) == b'{"raw": true}'

    def test_failed_batch_stores_nothing(self, store: Store) -> None:
        good = order_event("SO1", "1")
        entries = [
            journal_entry_with(good, event_id="ok"),
            journal_entry_with(good, event_id="bad", idempotency_key="bad", type=None),
        ]
        with pytest.raises(StoreError):
            store.append(entries)
        assert store.counts().journal == 0
        assert store.claim_entities("w", 10, 30, NOW) is None

    def test_events_for_entity_in_journal_order(self, store: Store) -> None:
        Journal(store).append([order_event("SO1", "1"), order_event("SO2", "2")])
        Journal(store).append([order_event("SO1", "3")])
        assert [r.event_id for r in store.events_for("sales_order:SO1")] == ["1", "3"]

    def test_events_of_several_entities_in_journal_order_indexed_or_not(self, store: Store) -> None:
        journal = Journal(store)
        journal.append([order_event("SO1", "1"), order_event("SO2", "2"), order_event("SO3", "3")])
        assert store.claim_entities("w", 10, 30, NOW) is not None  # a claim indexes them
        journal.append([order_event("SO2", "4"), order_event("SO1", "5")])  # not yet indexed
        found = store.events_for_entities(["sales_order:SO1", "sales_order:SO2", "nothing:X"])
        assert [(r.event_id, r.subject) for r in found] == [
            ("1", "sales_order:SO1"),
            ("2", "sales_order:SO2"),
            ("4", "sales_order:SO2"),
            ("5", "sales_order:SO1"),
        ]
        assert store.events_for_entities([]) == []

    # -- claims ----------------------------------------------------------------------------
    def test_claims_take_oldest_entities_first_and_skip_claimed_ones(self, store: Store) -> None:
        Journal(store).append([order_event(f"SO{i}", str(i)) for i in range(5)])
        first = store.claim_entities("w1", 2, 30, NOW)
        second = store.claim_entities("w2", 10, 30, NOW)
        assert first is not None and second is not None
        assert first.entity_keys == ("sales_order:SO0", "sales_order:SO1")
        assert set(second.entity_keys) == {f"sales_order:SO{i}" for i in (2, 3, 4)}
        assert store.claim_entities("w3", 10, 30, NOW) is None

    def test_expired_claims_are_taken_over_and_the_stale_holder_cannot_commit(
        self, store: Store
    ) -> None:
        Journal(store).append([order_event("SO1", "1")])
        stale = store.claim_entities("w1", 10, 5, NOW)
        later = NOW + timedelta(seconds=6)
        fresh = store.claim_entities("w2", 10, 30, later)
        assert stale is not None and fresh is not None
        assert fresh.entity_keys == stale.entity_keys
        work = store.load_work(stale, 100)
        with pytest.raises(LeaseLost):
            store.commit_processing(stale, [self._result(work[0].entity_key, work)], later)
        assert store.counts().pending_events == 1
        assert store.get_projection("sales_order:SO1") is None

    def test_released_claims_are_claimable_again(self, store: Store) -> None:
        Journal(store).append([order_event("SO1", "1")])
        claim = store.claim_entities("w1", 10, 30, NOW)
        assert claim is not None
        store.release_claim(claim)
        assert store.claim_entities("w2", 10, 30, NOW) is not None

    def test_load_work_gives_pending_events_in_order_up_to_a_limit(self, store: Store) -> None:
        journal = Journal(store)
        for i in range(5):
            journal.append([order_event("SO1", str(i))])
        claim = store.claim_entities("w", 10, 30, NOW)
        assert claim is not None
        work = store.load_work(claim, 3)
        assert [r.event_id for r in work[0].events] == ["0", "1", "2"]
        assert work[0].projection is None

    # -- commit ----------------------------------------------------------------------------
    def _result(self, key: str, work: list, deliveries: list | None = None) -> EntityResult:  # type: ignore[type-arg]
        events = next(w for w in work if w.entity_key == key).events
        projection = Projection(key, 1, {"number": key.split(":")[1]}, {}, {}, "2026-03-01T12")
        return EntityResult(
            key,
            projection,
            processed=[ProcessedEvent(e.seq, key, "applied", 1, {"n": 1}) for e in events],
            deliveries=deliveries or [],
            changed=True,
        )

    def test_commit_writes_projection_markers_and_empties_the_queue(self, store: Store) -> None:
        Journal(store).append([order_event("SO1", "1"), order_event("SO1", "2")])
        claim = store.claim_entities("w", 10, 30, NOW)
        assert claim is not None
        work = store.load_work(claim, 100)
        store.commit_processing(claim, [self._result("sales_order:SO1", work)], NOW)
        projection = store.get_projection("sales_order:SO1")
        assert projection is not None and projection.version == 1
        assert [h.seq for h in store.history("sales_order:SO1")] == [1, 2]
        counts = store.counts()
        assert (counts.pending_events, counts.pending_entities, counts.entities) == (0, 0, 1)
        assert store.claim_entities("w", 10, 30, NOW) is None

    def test_projections_of_a_domain_are_listed_in_key_order_by_page(self, store: Store) -> None:
        Journal(store).append([order_event(n, n) for n in ("SO3", "SO1", "SO2")])
        claim = store.claim_entities("w", 10, 30, NOW)
        assert claim is not None
        work = store.load_work(claim, 100)
        keys = sorted(w.entity_key for w in work)
        store.commit_processing(claim, [self._result(k, work) for k in keys], NOW)
        listed = store.projections_of("sales_order", limit=2)
        assert [p.entity_key for p in listed] == ["sales_order:SO1", "sales_order:SO2"]
        rest = store.projections_of("sales_order", after=listed[-1].entity_key)
        assert [p.entity_key for p in rest] == ["sales_order:SO3"]
        assert rest[0].state == {"number": "SO3"}
        assert store.projections_of("sales") == store.projections_of("shipment") == []

    def test_events_arriving_during_processing_stay_pending(self, store: Store) -> None:
        journal = Journal(store)
        journal.append([order_event("SO1", "1")])
        claim = store.claim_entities("w", 10, 30, NOW)
        assert claim is not None
        work = store.load_work(claim, 100)
        journal.append([order_event("SO1", "2")])
        store.commit_processing(claim, [self._result("sales_order:SO1", work)], NOW)
        again = store.claim_entities("w", 10, 30, NOW)
        assert again is not None
        assert [r.event_id for r in store.load_work(again, 100)[0].events] == ["2"]

    def test_state_deliveries_coalesce_per_target_and_entity(self, store: Store) -> None:
        journal = Journal(store)
        for i, deliveries in enumerate(
            [[delivery("sales_order:SO1", 1, 1)], [delivery("sales_order:SO1", 2, 2)]]
        ):
            journal.append([order_event("SO1", str(i))])
            claim = store.claim_entities("w", 10, 30, NOW)
            assert claim is not None
            work = store.load_work(claim, 100)
            store.commit_processing(claim, [self._result("sales_order:SO1", work, deliveries)], NOW)
        rows = store.deliveries(target="odoo")
        assert len(rows) == 1
        assert (rows[0].entity_version, rows[0].coalesced, rows[0].state) == (2, 1, "pending")

    def test_event_deliveries_are_each_kept(self, store: Store) -> None:
        Journal(store).append([order_event("SO1", "1")])
        claim = store.claim_entities("w", 10, 30, NOW)
        assert claim is not None
        work = store.load_work(claim, 100)
        both = [
            delivery("sales_order:SO1", 1, 1, "event"),
            delivery("sales_order:SO1", 1, 1, "event"),
        ]
        store.commit_processing(claim, [self._result("sales_order:SO1", work, both)], NOW)
        assert len(store.deliveries(entity_key="sales_order:SO1")) == 2

    def test_conflicts_are_recorded(self, store: Store) -> None:
        Journal(store).append([order_event("SO1", "1")])
        claim = store.claim_entities("w", 10, 30, NOW)
        assert claim is not None
        work = store.load_work(claim, 100)
        result = self._result("sales_order:SO1", work)
        conflict = ConflictRecord(
            "sales_order:SO1",
            "channel",
            "conflict",
            "owner_only",
            1,
            "1",
            "shop",
            {"a": 1},
            "web",
            "odoo",
            "2026-03-01T12",
        )
        result.conflicts.append(conflict)
        store.commit_processing(claim, [result], NOW)
        assert store.conflicts("sales_order:SO1") == [conflict]
        assert store.counts().conflicts_open == 1

    def test_a_parked_entity_keeps_its_place_and_is_not_claimed_until_released(
        self, store: Store
    ) -> None:
        journal = Journal(store)
        journal.append([order_event("SO1", "1"), order_event("SO1", "2"), order_event("SO2", "3")])
        claim = store.claim_entities("w", 10, 30, NOW)
        assert claim is not None
        work = store.load_work(claim, 100)
        first = next(w for w in work if w.entity_key == "sales_order:SO1").events[0]
        parked = EntityResult(
            "sales_order:SO1",
            Projection("sales_order:SO1", 1, {"number": "SO1"}, {}, {}, "2026-03-01T12"),
            processed=[ProcessedEvent(first.seq, "sales_order:SO1", "applied", 1, {})],
            changed=True,
            parked="event 2 could not be processed: KeyError",
        )
        store.commit_processing(claim, [parked, self._result("sales_order:SO2", work)], NOW)
        [entity] = store.parked()
        assert (entity.entity_key, entity.reason) == ("sales_order:SO1", parked.parked)
        assert store.counts().parked_entities == 1
        assert store.claim_entities("w", 10, 30, NOW) is None
        assert store.unpark("sales_order:SO1")
        again = store.claim_entities("w", 10, 30, NOW)
        assert again is not None and again.entity_keys == ("sales_order:SO1",)
        assert [e.event_id for e in store.load_work(again, 100)[0].events] == ["2"]

    def test_an_entity_parked_at_its_first_pending_event_does_not_replay_its_history(
        self, store: Store
    ) -> None:
        journal = Journal(store)
        journal.append([order_event("SO1", "1")])
        claim = store.claim_entities("w", 10, 30, NOW)
        assert claim is not None
        store.commit_processing(
            claim, [self._result("sales_order:SO1", store.load_work(claim, 9))], NOW
        )
        journal.append([order_event("SO1", "2")])
        claim = store.claim_entities("w", 10, 30, NOW)
        assert claim is not None
        stuck = EntityResult(
            "sales_order:SO1", Projection("sales_order:SO1", 1, {}, {}, {}, "t"), parked="poison"
        )
        store.commit_processing(claim, [stuck], NOW)
        store.unpark("sales_order:SO1")
        again = store.claim_entities("w", 10, 30, NOW)
        assert again is not None
        assert [e.event_id for e in store.load_work(again, 100)[0].events] == ["2"]

    # -- crosswalk -------------------------------------------------------------------------
    def test_crosswalk_links_resolve_and_refuse_relinking(self, store: Store) -> None:
        assert store.link([CrosswalkLink("ups", "1Z1", "shipment:S1")]) == []
        assert store.link([CrosswalkLink("odoo", "42", "shipment:S1")]) == []
        assert store.resolve("ups", "1Z1") == "shipment:S1"
        assert store.resolve("ups", "nope") is None
        assert {link.system for link in store.identifiers("shipment:S1")} == {"ups", "odoo"}
        clash = store.link([CrosswalkLink("ups", "1Z1", "shipment:S2")])
        assert clash == [CrosswalkLink("ups", "1Z1", "shipment:S1")]
        assert store.resolve("ups", "1Z1") == "shipment:S1"

    def test_crosswalk_finds_an_external_id_in_every_system(self, store: Store) -> None:
        store.link(
            [
                CrosswalkLink("wms", "42", "shipment:S1"),
                CrosswalkLink("odoo", "42", "sales_order:SO9"),
                CrosswalkLink("odoo", "43", "shipment:S1"),
            ]
        )
        assert store.known_as("42") == [
            CrosswalkLink("odoo", "42", "sales_order:SO9"),
            CrosswalkLink("wms", "42", "shipment:S1"),
        ]
        assert store.known_as("42", limit=1) == [CrosswalkLink("odoo", "42", "sales_order:SO9")]
        assert store.known_as("44") == []


def journal_entry_with(event: Event, **changes: object):  # type: ignore[no-untyped-def]
    from logisync.core.journal import journal_entry

    return journal_entry(event, "2026-03-01T12:00:00.000000Z")._replace(**changes)
