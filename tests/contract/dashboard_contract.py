"""The reads and decisions behind the dashboard, shared by every backend: accounts, open
conflicts and a steward's decision (who and when), per-minute series, lifecycle stages and
undelivered work."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from logisync.core.accounts import new_user
from logisync.core.clock import ManualClock, utc_text
from logisync.core.journal import Journal, journal_entry
from logisync.core.ports import (
    AuditEntry,
    ConflictRecord,
    DeliveryOutcome,
    EntityResult,
    NewDelivery,
    NewJournalEntry,
    ProcessedEvent,
    Projection,
    Store,
)
from logisync.model import new_event

from .store_contract import NOW

_ids = itertools.count(1)
AUDIT = AuditEntry("2026-03-01T12:00:00.000000Z", "cli:test", "user.create", "user:ann", "", None)


def project(
    store: Store,
    type: str,
    data: dict[str, Any],
    state: dict[str, Any],
    since: str,
    *,
    to: str | None = None,
    conflict: ConflictRecord | None = None,
) -> str:
    """Journal one event, then commit it as having set ``state`` (status set at ``since``),
    routed to ``to`` if given: the way processing leaves an entity."""
    event = new_event(type, data, source="odoo", id=f"d{next(_ids)}", time="2026-03-01T10:00:00Z")
    Journal(store).append([event])
    claim = store.claim_entities("p", 10, 30, NOW)
    assert claim is not None
    [work] = store.load_work(claim, 10)
    key, seq = work.entity_key, work.events[-1].seq
    provenance = {"status": {"system": "odoo", "time": since, "event": event.id, "kind": "owner"}}
    result = EntityResult(key, Projection(key, 1, state, provenance, {}, since), changed=True)
    result.processed.append(ProcessedEvent(seq, key, "applied", 1, {}))
    if to is not None:
        result.deliveries.append(
            NewDelivery(to, "f", "state", 1, key, 1, seq, event.id, None, utc_text(NOW))
        )
    if conflict is not None:
        result.conflicts.append(replace(conflict, entity_key=key, event_seq=seq))
    store.commit_processing(claim, [result], NOW)
    return key


def proposal(value: str) -> ConflictRecord:
    return ConflictRecord(
        "x", "channel", "proposal", "propose", 0, "e", "shop", value, "web", "odoo", "t"
    )


class DashboardContract:
    @pytest.fixture
    def store(self) -> Store:
        raise NotImplementedError

    # -- accounts --------------------------------------------------------------------------
    def test_an_account_is_stored_audited_and_disabled(self, store: Store) -> None:
        user = new_user("ann", "operator", "correct horse battery", NOW)
        store.save_dashboard_user(user, AUDIT)
        assert store.dashboard_user("ann") == user
        assert store.dashboard_user("bob") is None
        disabled = replace(user, disabled_at=utc_text(NOW))
        store.save_dashboard_user(disabled, replace(AUDIT, action="user.disable"))
        assert store.dashboard_users() == [disabled]
        assert [e.action for e in store.audit_log()] == ["user.disable", "user.create"]

    # -- conflicts -------------------------------------------------------------------------
    def test_open_conflicts_page_by_id_and_a_decision_closes_one_once(self, store: Store) -> None:
        for n in range(3):
            project(
                store,
                "sales_order.placed",
                {"number": f"SO{n}"},
                {"number": f"SO{n}"},
                "2026-03-01T10:00:00Z",
                conflict=proposal(f"fax{n}"),
            )
        first = store.open_conflicts(limit=2)
        assert [c.proposed_value for c in first] == ["fax0", "fax1"]
        rest = store.open_conflicts(after=first[-1].id)
        assert [c.proposed_value for c in rest] == ["fax2"]
        decided = store.decide_conflict(
            first[0].id, accept=False, actor="user:ann", reason="typo", now=NOW, origin="127.0.0.1"
        )
        assert decided
        assert not store.decide_conflict(
            first[0].id, accept=True, actor="user:ann", reason="again", now=NOW
        )
        assert [c.proposed_value for c in store.open_conflicts()] == ["fax1", "fax2"]
        states = {c.proposed_value: c.state for c in store.conflicts()}
        assert states == {"fax0": "rejected", "fax1": "open", "fax2": "open"}
        decided = {c.proposed_value: (c.decided_by, c.decided_at) for c in store.conflicts()}
        assert decided == {
            "fax0": ("user:ann", utc_text(NOW)),
            "fax1": (None, None),
            "fax2": (None, None),
        }
        [closed] = [c for c in store.conflicts(first[0].entity_key) if c.state != "open"]
        assert (closed.id, closed.decided_by) == (first[0].id, "user:ann")
        [entry] = store.audit_log()
        assert (entry.actor, entry.action, entry.subject, entry.reason, entry.origin) == (
            "user:ann",
            "conflict.reject",
            f"conflict:{first[0].id}",
            "typo",
            "127.0.0.1",
        )
        assert store.counts().conflicts_open == 2

    def test_an_acceptance_is_journaled_with_its_decision_and_never_for_a_closed_conflict(
        self, store: Store
    ) -> None:
        for n in range(2):
            project(
                store,
                "sales_order.placed",
                {"number": f"SO{n}"},
                {"number": f"SO{n}"},
                "2026-03-01T10:00:00Z",
                conflict=proposal(f"fax{n}"),
            )
        first, second = store.open_conflicts()
        journaled = store.counts().journal

        def acceptance(conflict_id: int) -> NewJournalEntry:
            data = {"number": "SO0", "channel": "fax"}
            event = new_event(
                "sales_order.placed", data, source="steward", id=f"a{conflict_id}", time=NOW
            )
            return journal_entry(event, utc_text(NOW))

        assert store.decide_conflict(
            first.id, accept=True, actor="ann", reason="", now=NOW, journal=acceptance(first.id)
        )
        assert store.get_event(f"a{first.id}", "steward") is not None
        assert store.counts().journal == journaled + 1
        store.decide_conflict(second.id, accept=False, actor="bob", reason="", now=NOW)
        assert not store.decide_conflict(
            second.id, accept=True, actor="ann", reason="", now=NOW, journal=acceptance(second.id)
        )
        assert store.get_event(f"a{second.id}", "steward") is None
        assert store.counts().journal == journaled + 1
        states = {c.id: (c.state, c.decided_by) for c in store.conflicts()}
        assert states == {first.id: ("accepted", "ann"), second.id: ("rejected", "bob")}

    def test_every_conflict_open_or_decided_pages_by_id(self, store: Store) -> None:
        keys = [
            project(
                store,
                "sales_order.placed",
                {"number": f"SO{n}"},
                {"number": f"SO{n}"},
                "2026-03-01T10:00:00Z",
                conflict=proposal(f"fax{n}"),
            )
            for n in range(3)
        ]
        first = store.conflicts(limit=2)
        assert [c.proposed_value for c in first] == ["fax0", "fax1"]
        store.decide_conflict(first[0].id, accept=False, actor="a", reason="", now=NOW)
        rest = store.conflicts(after=first[-1].id, limit=2)
        assert [c.proposed_value for c in rest] == ["fax2"]
        assert [c.state for c in store.conflicts(limit=1)] == ["rejected"]
        assert [c.proposed_value for c in store.conflicts(keys[1])] == ["fax1"]
        assert store.conflicts(keys[1], after=first[-1].id) == []

    # -- series ----------------------------------------------------------------------------
    def test_events_received_per_minute_and_source_from_a_time_on(self, store: Store) -> None:
        clock = ManualClock(NOW)
        journal = Journal(store, clock)
        for n in range(5):
            source = "shop" if n % 2 else "odoo"
            event = new_event(
                "sales_order.placed",
                {"number": f"SO{n}"},
                source=source,
                id=f"r{n}",
                time="2026-03-01T10:00:00Z",
            )
            journal.append([event])
            clock.advance(40)
        since = utc_text(NOW + timedelta(seconds=60))
        counts = [(m.minute, m.source, m.received) for m in store.received_per_minute(since)]
        assert counts == [
            ("2026-03-01T12:01", "odoo", 1),  # 12:01:20
            ("2026-03-01T12:02", "odoo", 1),  # 12:02:40
            ("2026-03-01T12:02", "shop", 1),  # 12:02:00
        ]
        assert len(store.received_per_minute("2000-01-01")) == 5
        assert store.received_per_minute("2100-01-01") == []

    def test_delivery_outcomes_are_counted_per_minute_by_the_finishing_transaction(
        self, store: Store
    ) -> None:
        for n in range(3):
            project(store, "sales_order.placed", {"number": f"SO{n}"}, {}, "t", to="odoo")
        later = NOW + timedelta(seconds=90)
        claim = store.claim_deliveries("odoo", "w", 10, 30, later)
        assert claim is not None
        first, second, third = (d.id for d in claim.deliveries)
        outcomes = [
            DeliveryOutcome(first, "delivered", target_ref="r1"),
            DeliveryOutcome(second, "retry", error="503", due_at=utc_text(later)),
            DeliveryOutcome(third, "dead", error="422"),
        ]
        store.finish_deliveries(claim, outcomes, later)
        [minute] = store.deliveries_per_minute(utc_text(NOW))
        assert (minute.minute, minute.target, minute.delivered, minute.retried, minute.dead) == (
            "2026-03-01T12:01",
            "odoo",
            1,
            1,
            1,
        )
        assert minute.latency_seconds == pytest.approx(90)
        assert store.deliveries_per_minute(utc_text(later + timedelta(minutes=1))) == []

    def test_per_minute_outcomes_before_a_time_are_pruned_a_batch_at_a_time(
        self, store: Store
    ) -> None:
        for n in range(3):
            project(store, "sales_order.placed", {"number": f"SO{n}"}, {}, "t", to="odoo")
        for minutes in (0, 1, 2):  # one outcome in each of three minutes
            at = NOW + timedelta(minutes=minutes)
            claim = store.claim_deliveries("odoo", "w", 1, 30, at)
            assert claim is not None
            [delivery] = claim.deliveries
            store.finish_deliveries(claim, [DeliveryOutcome(delivery.id, "dead", error="x")], at)
        keep_from = utc_text(NOW + timedelta(minutes=2))
        assert store.prune_delivery_minutes(keep_from, limit=1) == 1
        assert store.prune_delivery_minutes(keep_from, limit=5) == 1
        assert store.prune_delivery_minutes(keep_from, limit=5) == 0
        kept = store.deliveries_per_minute("2000-01-01")
        assert [m.minute for m in kept] == ["2026-03-01T12:02"]

    # -- business view ---------------------------------------------------------------------
    def test_entities_by_stage_and_the_longest_waiting_first(self, store: Store) -> None:
        for number, status, since in [
            ("SO1", "confirmed", "2026-03-01T09:00:00Z"),
            ("SO2", "confirmed", "2026-03-01T08:00:00Z"),
            ("SO3", "shipped", "2026-03-01T07:00:00Z"),
        ]:
            project(
                store,
                "sales_order.placed",
                {"number": number},
                {"number": number, "status": status},
                since,
            )
        milestone = {"milestone": "delivered", "occurred_at": "2026-03-01T11:00:00Z"}
        project(
            store,
            "shipment.created",
            {"number": "SH1"},
            {"number": "SH1", "order_number": "SO3", "status": milestone},
            "2026-03-01T11:00:00Z",
        )
        stages = {(s.stage, s.entities, s.oldest_since) for s in store.stage_counts("sales_order")}
        assert stages == {
            ("confirmed", 2, "2026-03-01T08:00:00Z"),
            ("shipped", 1, "2026-03-01T07:00:00Z"),
        }
        assert [s.stage for s in store.stage_counts("shipment")] == ["delivered"]
        waiting = store.entities_in_stage("sales_order", ["confirmed", "shipped"])
        assert [p.entity_key for p in waiting] == [
            "sales_order:SO3",
            "sales_order:SO2",
            "sales_order:SO1",
        ]
        before = store.entities_in_stage("sales_order", ["confirmed"], before="2026-03-01T08:30")
        assert [p.entity_key for p in before] == ["sales_order:SO2"]
        found = store.documents_of_orders("shipment", ["SO3", "SO9"])
        assert [p.entity_key for p in found] == ["shipment:SH1"]
        assert store.documents_of_orders("sales_order", ["SO3"]) == []

    def test_each_order_is_counted_once_at_its_furthest_stage(self, store: Store) -> None:
        def order(number: str, status: str, since: str) -> None:
            state = {"number": number, "status": status}
            project(store, "sales_order.placed", {"number": number}, state, since)

        def document(domain: str, number: str, of: str, status: Any, since: str) -> None:
            state = {"number": number, "order_number": of, "status": status}
            project(store, f"{domain}.created", {"number": number}, state, since)

        assert store.order_stages() == []
        order("SO1", "confirmed", "2026-03-01T08:00:00Z")
        document("shipment", "SH1", "SO1", {"milestone": "delivered"}, "2026-03-01T11:00:00Z")
        document("invoice", "INV1", "SO1", "posted", "2026-03-01T12:00:00Z")
        for n, minute in ((2, "10"), (3, "30"), (4, "20")):
            order(f"SO{n}", "confirmed", f"2026-03-01T09:{minute}:00Z")
        document("shipment", "SH9", "SO9", {"milestone": "in_transit"}, "2026-03-01T07:00:00Z")
        document("shipment", "SH8", "", {"milestone": "in_transit"}, "2026-03-01T07:00:00Z")
        stages = {(s.stage, s.orders, s.oldest_since, s.median_since) for s in store.order_stages()}
        assert stages == {
            ("confirmed", 3, "2026-03-01T09:10:00Z", "2026-03-01T09:20:00Z"),
            ("invoiced", 1, "2026-03-01T12:00:00Z", "2026-03-01T12:00:00Z"),
            ("with_carrier", 1, "2026-03-01T07:00:00Z", "2026-03-01T07:00:00Z"),
        }
        # a shipment of SO2 leaves: SO2 moves on, and is no longer counted as confirmed
        document("shipment", "SH2", "SO2", {"milestone": "picked_up"}, "2026-03-01T13:00:00Z")
        counts = {s.stage: s.orders for s in store.order_stages()}
        assert counts == {"confirmed": 2, "invoiced": 1, "with_carrier": 2}

    def test_orders_waiting_at_stages_longest_first_past_any_number_finished(
        self, store: Store
    ) -> None:
        def order(number: str, status: str, since: str) -> None:
            project(
                store,
                "sales_order.placed",
                {"number": number},
                {"number": number, "status": status},
                since,
            )

        def document(domain: str, number: str, of: str, status: Any, since: str) -> None:
            state = {"number": number, "order_number": of, "status": status}
            project(store, f"{domain}.created", {"number": number}, state, since)

        for n in range(3):  # finished orders, older than the waiting one
            order(f"DONE{n}", "confirmed", "2026-03-01T06:00:00Z")
            document(
                "shipment", f"SD{n}", f"DONE{n}", {"milestone": "delivered"}, "2026-03-01T07:00:00Z"
            )
            document("invoice", f"ID{n}", f"DONE{n}", "posted", "2026-03-01T08:00:00Z")
        order("LATE", "confirmed", "2026-03-01T06:00:00Z")
        document("shipment", "SL", "LATE", {"milestone": "in_transit"}, "2026-03-01T09:00:00Z")
        order("FRESH", "confirmed", "2026-03-01T06:00:00Z")
        document("shipment", "SF", "FRESH", {"milestone": "delivered"}, "2026-03-01T11:00:00Z")
        stages = ["dispatched", "with_carrier", "delivered"]
        found = store.orders_at_stages(stages, before="2026-03-01T10:00:00Z", limit=1)
        assert found == [("LATE", "with_carrier", "2026-03-01T09:00:00Z")]
        later = store.orders_at_stages(stages, before="2026-03-01T12:00:00Z", limit=5)
        assert [number for number, _, _ in later] == ["LATE", "FRESH"]

    def test_undelivered_work_of_entities_at_a_stage(self, store: Store) -> None:
        delivered = {"milestone": "delivered", "occurred_at": "2026-03-01T11:00:00Z"}
        moving = {"milestone": "in_transit", "occurred_at": "2026-03-01T11:00:00Z"}
        for number, status in [("SH1", delivered), ("SH2", moving), ("SH3", delivered)]:
            project(
                store,
                "shipment.created",
                {"number": number},
                {"number": number, "status": status},
                "t",
                to="odoo",
            )
        claim = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert claim is not None
        by_key = {d.entity_key: d.id for d in claim.deliveries}
        store.finish_deliveries(
            claim,
            [
                DeliveryOutcome(by_key["shipment:SH1"], "dead", error="422"),
                DeliveryOutcome(by_key["shipment:SH2"], "dead", error="422"),
                DeliveryOutcome(by_key["shipment:SH3"], "delivered", target_ref="r"),
            ],
            NOW,
        )
        project(
            store,
            "shipment.created",
            {"number": "SH4"},
            {"number": "SH4", "status": delivered},
            "t",
            to="odoo",
        )
        later = utc_text(NOW + timedelta(hours=1))
        stuck = store.undelivered("odoo", "shipment", ["delivered"], before=later)
        assert [(d.entity_key, d.state) for d in stuck] == [
            ("shipment:SH1", "dead"),
            ("shipment:SH4", "pending"),
        ]
        # a dead one at once; a queued one only once it has waited past ``before``
        assert [
            d.entity_key
            for d in store.undelivered("odoo", "shipment", ["delivered"], before="2000")
        ] == ["shipment:SH1"]
        assert store.undelivered("wms", "shipment", ["delivered"], before=later) == []
