"""Monitors' store reads and the alerts table, shared by every backend: facts go through the
real journal and processor, so the reads see projections as the hub writes them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from logisync.core.clock import ManualClock
from logisync.core.journal import Journal
from logisync.core.ports import Breach, Store
from logisync.core.processor import Processor
from logisync.core.rules import Rules
from logisync.model import new_event

from .store_contract import NOW


def journal(store: Store, *facts: tuple[str, dict[str, Any], str, str]) -> None:
    """Journal and process ``(type, data, source, time)`` facts, one event each."""
    events = [
        new_event(kind, data, source=source, id=f"{source}-{i}-{kind}", time=at)
        for i, (kind, data, source, at) in enumerate(facts)
    ]
    clock = ManualClock(NOW)
    Journal(store, clock).append(events)
    Processor(store, Rules(), clock=clock).run_until_idle()


def delivered(number: str, order: str, at: str) -> list[tuple[str, dict[str, Any], str, str]]:
    return [
        ("shipment.created", {"number": number, "order_number": order}, "odoo", at),
        (
            "shipment.milestone_recorded",
            {"shipment_number": number, "milestone": "delivered", "occurred_at": at},
            "ups",
            at,
        ),
    ]


def posted(number: str, order: str, at: str) -> tuple[str, dict[str, Any], str, str]:
    return ("invoice.posted", {"number": number, "order_number": order}, "odoo", at)


class AlertContract:
    @pytest.fixture
    def store(self) -> Store:
        raise NotImplementedError

    def test_stuck_entities_are_those_in_the_status_before_the_cutoff_without_the_related_one(
        self, store: Store
    ) -> None:
        journal(
            store,
            *delivered("SH1", "SO1", "2026-03-01T08:00:00Z"),  # old, not invoiced: stuck
            *delivered("SH2", "SO2", "2026-03-01T08:30:00Z"),  # old, invoiced: fine
            posted("INV2", "SO2", "2026-03-01T09:00:00Z"),
            *delivered("SH3", "SO3", "2026-03-01T11:30:00Z"),  # too recent
            *delivered("SH4", "SO4", "2026-03-01T07:00:00Z"),  # only a draft invoice
            (
                "invoice.created",
                {"number": "INV4", "order_number": "SO4"},
                "odoo",
                "2026-03-01T08:00:00Z",
            ),
        )
        stuck = store.stuck_entities(
            "shipment",
            "delivered",
            "2026-03-01T10:00:00.000000Z",
            limit=10,
            missing=("invoice", ("posted", "paid")),
        )
        assert [(s.entity_key, s.order_number) for s in stuck] == [
            ("shipment:SH4", "SO4"),
            ("shipment:SH1", "SO1"),
        ]
        assert stuck[0].status == "delivered" and stuck[0].since.startswith("2026-03-01T07:00")
        every = store.stuck_entities("shipment", "delivered", "2026-03-01T12:00:00Z", limit=2)
        assert len(every) == 2  # the limit holds

    def test_an_order_reported_by_the_named_system_is_no_longer_stuck(self, store: Store) -> None:
        journal(
            store,
            ("sales_order.placed", {"number": "SO1"}, "shop", "2026-03-01T09:00:00Z"),
            ("sales_order.released", {"number": "SO1"}, "odoo", "2026-03-01T09:10:00Z"),
            ("sales_order.placed", {"number": "SO2"}, "shop", "2026-03-01T09:00:00Z"),
            ("sales_order.released", {"number": "SO2"}, "odoo", "2026-03-01T09:10:00Z"),
            ("sales_order.fulfilment_accepted", {"number": "SO2"}, "wms", "2026-03-01T09:12:00Z"),
        )
        stuck = store.stuck_entities(
            "sales_order", "released", "2026-03-01T11:45:00Z", limit=10, not_set_by="wms"
        )
        assert [s.entity_key for s in stuck] == ["sales_order:SO1"]
        assert stuck[0].order_number == "SO1"

    def test_last_heard_is_the_newest_journaled_event_of_a_source(self, store: Store) -> None:
        assert store.last_heard("ups") is None
        journal(store, *delivered("SH1", "SO1", "2026-03-01T08:00:00Z"))
        assert store.last_heard("ups") == "2026-03-01T12:00:00.000000Z"  # received, not said
        assert store.last_heard("fedex") is None

    def test_alerts_raise_once_clear_by_themselves_and_raise_again(self, store: Store) -> None:
        breach = Breach("late", "shipment:SH1", "late")
        first = store.record_alerts(["late"], [breach], NOW)
        assert [a.subject for a in first.raised] == ["shipment:SH1"] and not first.cleared
        again = store.record_alerts(["late"], [breach], NOW + timedelta(minutes=1))
        assert again.raised == again.cleared == ()
        assert [a.raised_at for a in store.active_alerts()] == ["2026-03-01T12:00:00.000000Z"]
        gone = store.record_alerts(["late"], [], NOW + timedelta(minutes=2))
        assert [a.cleared_at for a in gone.cleared] == ["2026-03-01T12:02:00.000000Z"]
        assert store.active_alerts() == []
        back = store.record_alerts(["late"], [breach], NOW + timedelta(minutes=3))
        assert len(back.raised) == 1 and back.raised[0].id != first.raised[0].id
        assert [a.id for a in store.active_alerts("late")] == [back.raised[0].id]
        assert store.active_alerts("other") == []

    def test_only_the_named_monitors_alerts_are_cleared(self, store: Store) -> None:
        store.record_alerts(["a", "b"], [Breach("a", "x", ""), Breach("b", "x", "")], NOW)
        changes = store.record_alerts(["a"], [], NOW)  # b was not evaluated completely
        assert [a.monitor for a in changes.cleared] == ["a"]
        assert [a.monitor for a in store.active_alerts()] == ["b"]

    def test_notices_are_queued_for_notifying_monitors_and_finished(self, store: Store) -> None:
        store.record_alerts(["a", "b"], [Breach("a", "x", ""), Breach("b", "x", "")], NOW, ["a"])
        [due] = store.alerts_to_notify()
        assert (due.monitor, due.notice, due.notice_attempts) == ("a", "raise", 0)
        store.finish_notice(due.id, "raise", sent=False, give_up=False)
        assert store.alerts_to_notify()[0].notice_attempts == 1
        store.finish_notice(due.id, "raise", sent=True, give_up=False)
        assert store.alerts_to_notify() == []
        store.record_alerts(["a"], [], NOW, ["a"])
        [clear] = store.alerts_to_notify()
        assert clear.notice == "clear" and clear.cleared_at is not None
        store.finish_notice(clear.id, "raise", sent=True, give_up=False)  # not the due one
        assert store.alerts_to_notify() == [clear]
        store.finish_notice(clear.id, "clear", sent=False, give_up=True)
        assert store.alerts_to_notify() == []

    def test_a_clear_before_its_raise_was_sent_tells_nobody(self, store: Store) -> None:
        store.record_alerts(["a"], [Breach("a", "x", "")], NOW, ["a"])
        store.record_alerts(["a"], [], NOW, ["a"])
        assert store.alerts_to_notify() == []
