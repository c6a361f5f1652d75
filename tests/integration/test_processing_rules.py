"""The processor through a real store: ordering, governance, lifecycle, routing, crosswalk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from logisync.core.clock import ManualClock
from logisync.core.journal import Journal
from logisync.core.processor import Processor, ProcessorSettings
from logisync.core.rules import DomainOwnership, FieldRule, Flow, OwnershipMap, Rules
from logisync.errors import LeaseLost
from logisync.model import new_event
from logisync.model.envelope import Event
from logisync.store.sqlite import SqliteStore

RULES = Rules(
    ownership=OwnershipMap(
        {
            "partner": DomainOwnership(
                FieldRule(frozenset({"odoo"})),
                {
                    "email": FieldRule(frozenset({"odoo"}), "fill_if_empty"),
                    "phone": FieldRule(frozenset({"odoo"}), "propose"),
                },
            ),
            "shipment": DomainOwnership(
                FieldRule(frozenset({"wms"})), {"status": FieldRule(frozenset({"ups", "tms"}))}
            ),
        }
    ),
    flows=(
        Flow("partners to shop", ("partner.*",), "shop", "state"),
        Flow("partners to odoo", ("partner.*",), "odoo", "state"),
        Flow("milestones to shop", ("shipment.milestone_*",), "shop", "event"),
        Flow("shipments to odoo", ("shipment.*",), "odoo", "state"),
    ),
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "hub.db")
    yield store
    store.close()


def _feed(store: SqliteStore, *events: Event) -> None:
    Journal(store).append(list(events))
    Processor(store, RULES, clock=ManualClock()).run_until_idle()


def partner(source: str, n: int, minute: int, **fields: Any) -> Event:
    return new_event(
        "partner.changed",
        {"ref": "C1", **fields},
        source=source,
        id=f"{source}-{n}",
        time=f"2026-03-01T10:{minute:02d}:00Z",
    )


def milestone(source: str, n: int, hour: int, code: str, corrected: bool = False) -> Event:
    kind = "shipment.milestone_corrected" if corrected else "shipment.milestone_recorded"
    return new_event(
        kind,
        {
            "shipment_number": "S1",
            "milestone": code,
            "occurred_at": f"2026-03-01T{hour:02d}:00:00Z",
        },
        source=source,
        id=f"{source}-{n}",
        time=f"2026-03-01T{hour:02d}:00:00Z",
    )


def state(store: SqliteStore, key: str) -> dict[str, Any]:
    projection = store.get_projection(key)
    assert projection is not None
    return projection.state


def test_an_owner_write_applies_and_a_stranger_write_becomes_a_conflict(store: SqliteStore) -> None:
    _feed(store, partner("odoo", 1, 0, name="Acme"), partner("shop", 1, 5, name="ACME!!"))
    assert state(store, "partner:C1")["name"] == "Acme"
    [conflict] = store.conflicts("partner:C1")
    assert (conflict.field, conflict.kind, conflict.policy) == ("name", "conflict", "owner_only")
    assert (conflict.proposed_value, conflict.proposed_by) == ("ACME!!", "shop")
    assert (conflict.current_value, conflict.current_source) == ("Acme", "odoo")
    assert [h.outcome for h in store.history("partner:C1")] == ["applied", "conflict"]


def test_a_stranger_agreeing_with_the_current_value_is_not_a_conflict(store: SqliteStore) -> None:
    _feed(store, partner("odoo", 1, 0, name="Acme"), partner("shop", 1, 5, name="Acme"))
    assert store.conflicts() == []


def test_fill_if_empty_fills_until_the_owner_speaks_whatever_the_times(store: SqliteStore) -> None:
    _feed(store, partner("shop", 1, 30, email="a@shop.example"))
    assert state(store, "partner:C1")["email"] == "a@shop.example"
    _feed(store, partner("odoo", 1, 10, email="billing@acme.example"))  # older, but the owner
    assert state(store, "partner:C1")["email"] == "billing@acme.example"
    _feed(store, partner("shop", 2, 40, email="b@shop.example"))
    assert state(store, "partner:C1")["email"] == "billing@acme.example"
    assert [c.field for c in store.conflicts()] == ["email"]


def test_propose_queues_for_a_steward_without_applying(store: SqliteStore) -> None:
    _feed(store, partner("odoo", 1, 0, phone="+31 20 1"), partner("shop", 1, 5, phone="+31 20 2"))
    assert state(store, "partner:C1")["phone"] == "+31 20 1"
    [proposal] = store.conflicts()
    assert (proposal.kind, proposal.proposed_value) == ("proposal", "+31 20 2")


def test_a_domain_nobody_owns_is_open_to_every_system(store: SqliteStore) -> None:
    product = {"sku": "P1", "name": "Chair"}
    _feed(
        store,
        new_event("product.changed", product, source="shop", id="1", time="2026-03-01T10:00:00Z"),
    )
    assert state(store, "product:P1")["name"] == "Chair"


def test_a_late_scan_never_moves_a_delivered_shipment_back(store: SqliteStore) -> None:
    _feed(store, milestone("ups", 1, 9, "in_transit"), milestone("ups", 2, 15, "delivered"))
    _feed(store, milestone("ups", 3, 12, "out_for_delivery"))
    assert state(store, "shipment:S1")["status"]["milestone"] == "delivered"
    last = store.history("shipment:S1")[-1]
    assert last.outcome == "superseded"
    assert "back from delivered to out_for_delivery" in last.detail["superseded"]["status"]


def test_a_newer_scan_after_an_exception_resumes_the_journey(store: SqliteStore) -> None:
    _feed(store, milestone("ups", 1, 9, "exception"), milestone("ups", 2, 11, "in_transit"))
    assert state(store, "shipment:S1")["status"]["milestone"] == "in_transit"


def test_an_owner_correction_moves_back_and_supersedes_what_it_corrected(
    store: SqliteStore,
) -> None:
    _feed(store, milestone("ups", 1, 15, "delivered"))
    _feed(store, milestone("ups", 2, 16, "in_transit", corrected=True))
    assert state(store, "shipment:S1")["status"]["milestone"] == "in_transit"
    assert store.history("shipment:S1")[-1].outcome == "corrected"
    _feed(store, milestone("ups", 3, 14, "out_for_delivery"))  # older than the correction
    assert state(store, "shipment:S1")["status"]["milestone"] == "in_transit"
    _feed(store, milestone("ups", 4, 18, "delivered"))  # newer: the journey goes on
    assert state(store, "shipment:S1")["status"]["milestone"] == "delivered"


def test_a_correction_from_a_system_that_does_not_own_the_status_is_refused(
    store: SqliteStore,
) -> None:
    _feed(store, milestone("ups", 1, 15, "delivered"), milestone("wms", 1, 16, "in_transit", True))
    assert state(store, "shipment:S1")["status"]["milestone"] == "delivered"
    assert store.conflicts()[0].proposed_by == "wms"


def test_facts_are_not_echoed_back_to_their_source(store: SqliteStore) -> None:
    _feed(store, partner("odoo", 1, 0, name="Acme"))
    assert {d.target for d in store.deliveries()} == {"shop"}


def test_event_mode_routes_each_applied_event_and_nothing_stale(store: SqliteStore) -> None:
    _feed(
        store,
        milestone("ups", 1, 9, "in_transit"),
        milestone("ups", 2, 15, "delivered"),
        milestone("ups", 3, 12, "out_for_delivery"),
    )
    to_shop = store.deliveries(target="shop")
    assert [(d.mode, d.event_id) for d in to_shop] == [("event", "ups-1"), ("event", "ups-2")]


def test_state_mode_coalesces_changes_into_one_delivery_of_the_latest_version(
    store: SqliteStore,
) -> None:
    _feed(store, milestone("ups", 1, 9, "picked_up"), milestone("ups", 2, 10, "in_transit"))
    _feed(store, milestone("ups", 3, 15, "delivered"))
    [to_odoo] = store.deliveries(target="odoo")
    assert (to_odoo.mode, to_odoo.entity_version, to_odoo.coalesced) == ("state", 3, 2)


def test_duplicates_are_journaled_once_and_processed_once(store: SqliteStore) -> None:
    event = partner("odoo", 1, 0, name="Acme")
    _feed(store, event, event)
    _feed(store, event)
    assert len(store.history("partner:C1")) == 1
    assert store.get_projection("partner:C1").version == 1  # type: ignore[union-attr]


def test_external_ids_and_tracking_numbers_resolve_to_the_entity(store: SqliteStore) -> None:
    shipment = {
        "number": "S1",
        "carrier": "ups",
        "tracking_number": "1Z1",
        "external_ids": {"odoo": "stock.picking,7"},
    }
    _feed(
        store,
        new_event("shipment.created", shipment, source="wms", id="1", time="2026-03-01T08:00:00Z"),
    )
    assert store.resolve("ups", "1Z1") == "shipment:S1"
    assert store.resolve("odoo", "stock.picking,7") == "shipment:S1"
    other = {"number": "S2", "carrier": "ups", "tracking_number": "1Z1"}
    _feed(
        store,
        new_event("shipment.created", other, source="wms", id="2", time="2026-03-01T08:00:00Z"),
    )
    assert store.resolve("ups", "1Z1") == "shipment:S1"  # first link stands; never silently moved


def test_stock_deltas_count_once_and_reports_absorb_older_deltas(store: SqliteStore) -> None:
    def report(n: int, minute: int, qty: str) -> Event:
        data = {"location": "WH1", "sku": "A", "on_hand": {"value": qty, "unit": "H87"}}
        return new_event(
            "stock.level_reported",
            data,
            source="wms",
            id=f"r{n}",
            time=f"2026-03-01T10:{minute:02d}:00Z",
            sourceversion=minute,
        )

    def adjust(n: int, minute: int, adjustment: str, qty: str) -> Event:
        data = {
            "adjustment_id": adjustment,
            "location": "WH1",
            "sku": "A",
            "reason": "damaged",
            "delta": {"value": qty, "unit": "H87"},
            "occurred_at": f"2026-03-01T10:{minute:02d}:00Z",
        }
        return new_event(
            "stock.adjusted",
            data,
            source="wms",
            id=f"a{n}",
            time=f"2026-03-01T10:{minute:02d}:00Z",
            sourceversion=minute,
        )

    _feed(store, report(1, 0, "10"), adjust(1, 5, "ADJ1", "-2"), adjust(2, 6, "ADJ1", "-2"))
    assert state(store, "stock_level:WH1/A")["on_hand"]["value"] == "8"
    _feed(store, adjust(3, 20, "ADJ2", "5"), report(2, 10, "7"))  # report at :10 counts ADJ1
    assert state(store, "stock_level:WH1/A")["on_hand"]["value"] == "12"


def test_a_worker_that_outlived_its_lease_cannot_commit_over_its_successor(
    store: SqliteStore,
) -> None:
    Journal(store).append([partner("odoo", 1, 0, name="Acme")])
    clock = ManualClock()
    settings = ProcessorSettings(lease_seconds=5)
    slow = Processor(store, RULES, clock=clock, settings=settings, name="slow")
    claim = store.claim_entities(slow.name, 10, 5, clock.now())
    assert claim is not None
    work = store.load_work(claim, 100)
    results = [slow.process_entity(item, "2026-03-01T10:00:00.000000Z") for item in work]
    clock.advance(6)
    assert Processor(store, RULES, clock=clock, settings=settings, name="fast").run_once() == 1
    with pytest.raises(LeaseLost):
        store.commit_processing(claim, results, clock.now())
    assert len(store.history("partner:C1")) == 1


def _scan(source: str, event_id: str, minute: int, code: str, corrected: bool = False) -> Event:
    kind = "shipment.milestone_corrected" if corrected else "shipment.milestone_recorded"
    return new_event(
        kind,
        {
            "shipment_number": "S9",
            "milestone": code,
            "occurred_at": f"2026-03-01T10:{minute:02d}:00Z",
        },
        source=source,
        id=event_id,
        time=f"2026-03-01T10:{minute:02d}:00Z",
    )


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_two_systems_may_use_the_same_event_id(tmp_path: Path, order: tuple[int, int]) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    facts = [_scan("ups", "1", 0, "pre_transit", corrected=True), _scan("tms", "1", 1, "delivered")]
    _feed(store, *(facts[i] for i in order))
    assert state(store, "shipment:S9")["status"]["milestone"] == "delivered"


def test_a_correction_that_reopens_the_status_is_recorded_as_a_correction(
    store: SqliteStore,
) -> None:
    _feed(store, _scan("ups", "a", 1, "delivered"), _scan("ups", "b", 3, "in_transit"))
    _feed(store, _scan("ups", "c", 2, "picked_up", corrected=True))
    # reopened by the correction; the newer scan after it now leads
    assert state(store, "shipment:S9")["status"]["milestone"] == "in_transit"
    assert store.history("shipment:S9")[-1].outcome == "corrected"


def test_catching_up_does_not_stop_at_a_batch_of_parked_entities(store: SqliteStore) -> None:
    from logisync.core.journal import journal_entry

    first = new_event(
        "product.changed",
        {"sku": "P1", "name": "x"},
        source="odoo",
        id="1",
        time="2026-03-01T10:00:00Z",
    )
    store.append([journal_entry(first, "t")._replace(type="product.teleported")])
    Journal(store).append(
        [
            new_event(
                "product.changed",
                {"sku": "P2", "name": "y"},
                source="odoo",
                id="2",
                time="2026-03-01T10:00:00Z",
            )
        ]
    )
    settings = ProcessorSettings(entities_per_batch=1)
    Processor(store, RULES, clock=ManualClock(), settings=settings).run_until_idle()
    assert state(store, "product:P2")["name"] == "y"
    assert [p.entity_key for p in store.parked()] == ["product:P1"]
