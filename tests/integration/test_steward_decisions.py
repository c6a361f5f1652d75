"""A steward's accept applies the proposed value through the journal; reject closes only.

Through a real store and the processor: the value reaches the projection with the steward's
provenance, is routed to the targets the proposing fact's flows name, survives a rebuild from
the journal, is journaled once however often it is accepted, and never overwrites a value the
owner set after the proposal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from logisync.core.clock import ManualClock
from logisync.core.journal import Journal
from logisync.core.ports import ConflictRecord, JournalRecord
from logisync.core.processor import Processor
from logisync.core.rules import DomainOwnership, FieldRule, Flow, OwnershipMap, Rules
from logisync.core.stewardship import Stewardship, every_conflict
from logisync.errors import DecisionRefused, StaleProposal, StoreError
from logisync.model import new_event, parse_event
from logisync.model.envelope import Event
from logisync.store.sqlite import SqliteStore

RULES = Rules(
    ownership=OwnershipMap(
        {
            "partner": DomainOwnership(
                FieldRule(frozenset({"odoo"})),
                {"phone": FieldRule(frozenset({"odoo"}), "propose")},
            ),
            "sales_order": DomainOwnership(
                FieldRule(frozenset({"shop"})), {"status": FieldRule(frozenset({"odoo"}))}
            ),
            "stock_level": DomainOwnership(FieldRule(frozenset({"wms"}))),
        }
    ),
    flows=(
        Flow(
            "shop customers to odoo", ("partner.*",), "odoo", "state", sources=frozenset({"shop"})
        ),
        Flow("customers to the shop", ("partner.*",), "shop", "state"),
        Flow("customer events to finance", ("partner.changed",), "finance", "event"),
    ),
)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
KEY = "partner:C1"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "hub.db")
    yield store
    store.close()


def feed(store: SqliteStore, *events: Event) -> None:
    Journal(store).append(list(events))
    process(store)


def process(store: SqliteStore) -> None:
    Processor(store, RULES, clock=ManualClock(NOW)).run_until_idle()


def partner(source: str, n: int, minute: int, **fields: Any) -> Event:
    return new_event(
        "partner.changed",
        {"ref": "C1", **fields},
        source=source,
        id=f"{source}-{n}",
        time=f"2026-11-23T10:{minute:02d}:00Z",
        correlationid="customer-C1",
    )


def steward(store: SqliteStore) -> Stewardship:
    return Stewardship(store, ManualClock(NOW))


def conflict_over_the_name(store: SqliteStore) -> ConflictRecord:
    """Odoo owns the customer's name; the shop renames the customer: a conflict."""
    feed(store, partner("odoo", 1, 0, name="Alice Martin"), partner("shop", 1, 5, name="Alice M."))
    [conflict] = store.open_conflicts()
    assert (conflict.field, conflict.proposed_value, conflict.current_value) == (
        "name",
        "Alice M.",
        "Alice Martin",
    )
    return conflict


def accept(store: SqliteStore, conflict: ConflictRecord) -> Any:
    return steward(store).accept(conflict.id, actor="user:ann", reason="customer called")


def state(store: SqliteStore, key: str = KEY) -> dict[str, Any]:
    projection = store.get_projection(key)
    assert projection is not None
    return projection.state


def test_accepting_journals_the_value_and_the_processor_applies_it_as_the_owner_would(
    store: SqliteStore,
) -> None:
    conflict = conflict_over_the_name(store)
    version = store.get_projection(KEY).version  # type: ignore[union-attr]
    accepted = accept(store, conflict)
    assert accepted is not None and not accepted.repeated
    assert state(store)["name"] == "Alice Martin"  # only the journal holds it so far
    process(store)

    projection = store.get_projection(KEY)
    assert projection is not None
    assert projection.state["name"] == "Alice M."
    assert projection.version == version + 1
    provenance = projection.provenance["name"]
    assert (provenance["system"], provenance["event"], provenance["kind"]) == (
        "steward",
        accepted.event_id,
        "owner",
    )
    assert (provenance["proposed_by"], provenance["decided_by"], provenance["conflict"]) == (
        "shop",
        "user:ann",
        conflict.id,
    )
    [record] = [r for r in store.events_for(KEY) if r.source == "steward"]
    assert record.type == "partner.value_accepted"
    assert record.data["values"] == {"name": "Alice M."}
    assert record.data["replaces"] == {"name": "Alice Martin"}
    assert (record.data["proposed_event"], record.data["proposed_type"]) == (
        "shop-1",
        "partner.changed",
    )
    assert record.correlationid == "customer-C1"  # the acceptance joins the proposal's trace
    assert record.causationid == "shop-1"
    assert store.history(KEY)[-1].outcome == "applied"


def test_the_accepted_value_is_routed_as_the_proposing_fact_and_not_back_to_its_proposer(
    store: SqliteStore,
) -> None:
    conflict = conflict_over_the_name(store)
    before = {d.id for d in store.deliveries(entity_key=KEY)}
    accepted = accept(store, conflict)
    process(store)
    new = [d for d in store.deliveries(entity_key=KEY) if d.id not in before]
    # the flow for the shop's customer facts takes it to Odoo, the owner; the proposing
    # shop already holds the value; event-mode consumers of partner.changed get the fact
    assert sorted((d.target, d.mode) for d in new) == [("finance", "event"), ("odoo", "state")]
    assert all(d.event_id == accepted.event_id for d in new)


def test_the_conflict_is_closed_as_accepted_by_whom_and_when(store: SqliteStore) -> None:
    conflict = conflict_over_the_name(store)
    accept(store, conflict)
    [closed] = store.conflicts(KEY)
    assert (closed.state, closed.decided_by, closed.decided_at) == (
        "accepted",
        "user:ann",
        "2026-11-23T12:00:00.000000Z",
    )
    [entry] = [e for e in store.audit_log() if e.action == "conflict.accept"]
    assert (entry.actor, entry.subject, entry.reason) == (
        "user:ann",
        f"conflict:{conflict.id}",
        "customer called",
    )


def test_accepting_twice_journals_once(store: SqliteStore) -> None:
    conflict = conflict_over_the_name(store)
    first = accept(store, conflict)
    assert accept(store, conflict) is None  # no longer open
    acceptances = [r for r in store.events_for(KEY) if r.source == "steward"]
    assert [r.event_id for r in acceptances] == [first.event_id]
    # the acceptance's id is derived from the conflict: journaling it again adds nothing
    [again] = Journal(store).append([as_event(acceptances[0])])
    assert again.duplicate and again.seq == first.seq


def test_an_acceptance_journaled_without_its_decision_is_finished_by_accepting_again(
    store: SqliteStore,
) -> None:
    conflict = conflict_over_the_name(store)
    first = accept(store, conflict)
    process(store)
    # the state an earlier version left when it died between its two transactions: reopen it
    store._conn.execute("UPDATE conflicts SET state = 'open' WHERE id = ?", (conflict.id,))
    with pytest.raises(DecisionRefused, match="accepted already"):  # it would close it as
        steward(store).reject(conflict.id, actor="user:bob", reason="no")  # rejected, applied
    second = accept(store, conflict)  # the value is already there: not stale, no new event
    assert second is not None and second.repeated and second.seq == first.seq
    assert store.open_conflicts() == []


def test_the_owner_changing_the_field_after_the_proposal_refuses_the_acceptance(
    store: SqliteStore,
) -> None:
    conflict = conflict_over_the_name(store)
    feed(store, partner("odoo", 2, 20, name="Alice Martin-Durand"))
    with pytest.raises(StaleProposal, match="Alice Martin-Durand") as refused:
        accept(store, conflict)
    assert "reject" in str(refused.value) and "odoo" in str(refused.value)
    assert [r.source for r in store.events_for(KEY)] == ["odoo", "shop", "odoo"]  # none journaled
    assert [c.id for c in store.open_conflicts()] == [conflict.id]
    assert state(store)["name"] == "Alice Martin-Durand"


def test_an_owner_change_journaled_before_the_acceptance_was_processed_wins_and_reopens(
    store: SqliteStore,
) -> None:
    conflict = conflict_over_the_name(store)
    # Odoo's rename is journaled (not processed yet) when the steward accepts
    Journal(store).append([partner("odoo", 2, 20, name="Alice Martin-Durand")])
    accept(store, conflict)
    process(store)
    assert state(store)["name"] == "Alice Martin-Durand"
    outcomes = [h.outcome for h in store.history(KEY)]
    assert outcomes[-1] == "conflict"
    assert "after the value was proposed" in store.history(KEY)[-1].detail["superseded"]["name"]
    # the steward decides again, on the newer value; the proposer is still the shop
    [again] = store.open_conflicts()
    assert (again.proposed_by, again.proposed_value, again.current_value) == (
        "shop",
        "Alice M.",
        "Alice Martin-Durand",
    )
    accept(store, again)
    process(store)
    projection = store.get_projection(KEY)
    assert projection is not None and projection.state["name"] == "Alice M."
    assert projection.provenance["name"]["proposed_by"] == "shop"
    delivered_to = {d.target for d in store.deliveries(entity_key=KEY)}
    assert "odoo" in delivered_to  # routed as the shop's partner.changed, as the first time


def test_a_later_owner_write_replaces_the_accepted_value_and_an_older_one_does_not(
    store: SqliteStore,
) -> None:
    accept(store, conflict_over_the_name(store))
    process(store)
    feed(store, partner("odoo", 2, 30, name="Too old"))  # 10:30, before the decision at 12:00
    assert state(store)["name"] == "Alice M."
    later = new_event(
        "partner.changed",
        {"ref": "C1", "name": "Alice Durand"},
        source="odoo",
        id="odoo-3",
        time="2026-11-23T13:00:00Z",
    )
    feed(store, later)
    assert state(store)["name"] == "Alice Durand"


def test_rebuilding_the_projection_from_the_journal_gives_the_same_entity(
    store: SqliteStore, tmp_path: Path
) -> None:
    conflict = conflict_over_the_name(store)
    Journal(store).append([partner("shop", 2, 40, phone="+33 1 23")])
    process(store)
    accept(store, conflict)
    [proposal] = [c for c in store.open_conflicts() if c.field == "phone"]
    accept(store, proposal)
    process(store)
    original = store.get_projection(KEY)

    rebuilt = SqliteStore(tmp_path / "rebuilt.db")
    try:
        Journal(rebuilt).append([as_event(r) for r in store.events_for(KEY)])
        process(rebuilt)
        again = rebuilt.get_projection(KEY)
        assert again is not None and original is not None
        assert (again.state, again.provenance, again.version) == (
            original.state,
            original.provenance,
            original.version,
        )
        assert again.state["phone"] == "+33 1 23"
        assert again.provenance["phone"]["system"] == "steward"
    finally:
        rebuilt.close()


def test_rejecting_journals_nothing_and_closes_the_conflict(store: SqliteStore) -> None:
    conflict = conflict_over_the_name(store)
    events = len(store.events_for(KEY))
    assert steward(store).reject(conflict.id, actor="user:bob", reason="odoo is right")
    assert not steward(store).reject(conflict.id, actor="user:bob", reason="again")
    assert len(store.events_for(KEY)) == events
    [closed] = store.conflicts(KEY)
    assert (closed.state, closed.decided_by) == ("rejected", "user:bob")
    assert state(store)["name"] == "Alice Martin"


def test_a_reject_between_reading_the_conflict_and_accepting_it_wins_and_nothing_is_journaled(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two stewards (two API processes) decide the same conflict at once: one decision takes
    effect, never an accepted value under a conflict closed as rejected."""
    conflict = conflict_over_the_name(store)
    events = len(store.events_for(KEY))
    tried = Stewardship._try

    def bob_rejects_meanwhile(self: Stewardship, c: ConflictRecord, event: Event) -> None:
        tried(self, c, event)
        assert steward(store).reject(c.id, actor="user:bob", reason="odoo is right")

    monkeypatch.setattr(Stewardship, "_try", bob_rejects_meanwhile)
    assert accept(store, conflict) is None
    assert len(store.events_for(KEY)) == events  # no acceptance journaled
    [closed] = store.conflicts(KEY)
    assert (closed.state, closed.decided_by) == ("rejected", "user:bob")
    process(store)
    assert state(store)["name"] == "Alice Martin"


def test_a_stock_quantity_cannot_be_accepted(store: SqliteStore) -> None:
    count = new_event(
        "stock.level_reported",
        {"location": "WH", "sku": "MUG", "on_hand": {"value": "10"}},
        source="odoo",
        id="odoo-count",
        time="2026-11-23T10:00:00Z",
    )
    wms = new_event(
        "stock.level_reported",
        {"location": "WH", "sku": "MUG", "on_hand": {"value": "8"}},
        source="wms",
        id="wms-count",
        time="2026-11-23T09:00:00Z",
    )
    feed(store, wms, count)
    [conflict] = store.open_conflicts()
    assert conflict.field == "on_hand"
    with pytest.raises(DecisionRefused, match="counts and adjustments"):
        accept(store, conflict)
    assert [c.id for c in store.open_conflicts()] == [conflict.id]


def test_a_status_that_would_move_back_is_refused_with_the_rule_s_reason(
    store: SqliteStore,
) -> None:
    def order(source: str, n: int, type: str, **fields: Any) -> Event:
        return new_event(
            type,
            {"number": "SO1", **fields},
            source=source,
            id=f"{source}-{n}",
            time=f"2026-11-23T10:0{n}:00Z",
        )

    feed(
        store,
        order("shop", 1, "sales_order.placed"),
        order("odoo", 2, "sales_order.confirmed"),
        order("odoo", 3, "sales_order.shipped"),
        order("shop", 4, "sales_order.status_corrected", status="confirmed"),
    )
    [conflict] = [c for c in store.open_conflicts() if c.proposed_value == "confirmed"]
    assert (conflict.field, conflict.current_value) == ("status", "shipped")
    with pytest.raises(DecisionRefused) as refused:
        accept(store, conflict)
    assert not isinstance(refused.value, StaleProposal)
    assert state(store, "sales_order:SO1")["status"] == "shipped"


def as_event(record: JournalRecord) -> Event:
    """A journaled record as the event that was appended (to rebuild a store from it)."""
    return parse_event(
        {
            "id": record.event_id,
            "source": record.source,
            "type": record.type,
            "subject": record.subject,
            "time": record.time,
            "data": record.data,
            "sourceversion": record.sourceversion,
            "correlationid": record.correlationid,
            "causationid": record.causationid,
        }
    )


def test_every_conflict_of_an_entity_is_read_past_one_page(store: SqliteStore) -> None:
    feed(store, partner("odoo", 1, 0, name="Alice Martin"))
    feed(store, *(partner("shop", n, n, name=f"Alice {n}") for n in range(1, 6)))
    assert [c.proposed_value for c in every_conflict(store, KEY, page=2)] == [
        f"Alice {n}" for n in range(1, 6)
    ]
    assert len(every_conflict(store, page=5)) == 5  # a page exactly full, then an empty one
    assert every_conflict(store, "partner:nobody", page=2) == []


def test_every_conflict_stops_on_a_store_that_does_not_page(store: SqliteStore) -> None:
    feed(store, partner("odoo", 1, 0, name="Alice Martin"))
    feed(store, *(partner("shop", n, n, name=f"Alice {n}") for n in range(1, 4)))

    class Stuck:  # answers the first page whatever ``after`` says
        def conflicts(self, entity_key: str | None, *, after: int, limit: int) -> Any:
            return store.conflicts(entity_key, after=0, limit=limit)

    with pytest.raises(StoreError, match="not paging"):
        every_conflict(Stuck(), page=2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 1"):
        every_conflict(store, page=0)
