"""The delivery half of the storage contract: claims per target, order per entity, outcomes."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from logisync.core.journal import Journal
from logisync.core.ports import (
    DeliveryOutcome,
    EntityResult,
    NewDelivery,
    ProcessedEvent,
    Projection,
    Store,
)
from logisync.errors import LeaseLost

from .store_contract import NOW, order_event

LATER = NOW + timedelta(minutes=5)
_ids = itertools.count(1)


def queue(
    store: Store, *deliveries: tuple[str, str, int], created_at: str = "2026-03-01T11:00:00.000000Z"
) -> None:
    """Route deliveries (entity number, mode, priority) through a real processing commit."""
    for number, mode, priority in deliveries:
        key = f"sales_order:{number}"
        Journal(store).append([order_event(number, f"event-{next(_ids)}")])
        claim = store.claim_entities("p", 100, 30, NOW)
        assert claim is not None
        work = store.load_work(claim, 100)
        seq = work[0].events[-1].seq
        result = EntityResult(key, Projection(key, seq, {}, {}, {}, "t"), changed=True)
        result.processed.append(ProcessedEvent(seq, key, "applied", seq, {}))
        result.deliveries.append(
            NewDelivery(
                "odoo",
                "f",
                mode,
                priority,
                key,
                seq,
                seq,
                f"e{seq}",
                None,  # type: ignore[arg-type]
                created_at,
            )
        )
        store.commit_processing(claim, [result], NOW)


class DeliveryContract:
    @pytest.fixture
    def store(self) -> Store:
        raise NotImplementedError

    def test_claims_take_the_most_urgent_first_and_one_per_entity(self, store: Store) -> None:
        queue(store, ("A", "event", 1), ("B", "event", 2), ("C", "event", 0), ("A", "event", 0))
        claim = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert claim is not None
        assert [d.entity_key for d in claim.deliveries] == [
            "sales_order:C",
            "sales_order:A",
            "sales_order:B",
        ]
        assert store.claim_deliveries("odoo", "w2", 10, 30, NOW) is None  # A's second waits
        assert store.claim_deliveries("shop", "w", 10, 30, NOW) is None

    def test_an_entitys_next_delivery_goes_only_after_the_previous_one(self, store: Store) -> None:
        queue(store, ("A", "event", 1), ("A", "event", 0))
        first = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert first is not None and len(first.deliveries) == 1
        store.finish_deliveries(
            first, [DeliveryOutcome(first.deliveries[0].id, "delivered", target_ref="42")], NOW
        )
        second = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert second is not None
        assert second.deliveries[0].id > first.deliveries[0].id

    def test_a_retry_waits_for_its_time_and_keeps_later_deliveries_behind_it(
        self, store: Store
    ) -> None:
        queue(store, ("A", "event", 1), ("A", "event", 1))
        claim = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert claim is not None
        retry = DeliveryOutcome(
            claim.deliveries[0].id, "retry", "503 from odoo", "2026-03-01T12:05:00.000000Z"
        )
        store.finish_deliveries(claim, [retry], NOW)
        assert store.claim_deliveries("odoo", "w", 10, 30, NOW) is None
        again = store.claim_deliveries("odoo", "w", 10, 30, LATER)
        assert again is not None and again.deliveries[0].id == claim.deliveries[0].id
        assert again.deliveries[0].attempts == 1

    def test_expired_claims_are_taken_over_and_the_stale_holder_cannot_finish(
        self, store: Store
    ) -> None:
        queue(store, ("A", "event", 1))
        stale = store.claim_deliveries("odoo", "w1", 10, 5, NOW)
        fresh = store.claim_deliveries("odoo", "w2", 10, 30, NOW + timedelta(seconds=6))
        assert stale is not None and fresh is not None
        with pytest.raises(LeaseLost):
            store.finish_deliveries(
                stale, [DeliveryOutcome(stale.deliveries[0].id, "delivered")], LATER
            )

    def test_a_dead_delivery_moves_to_the_dead_letter_queue_and_unblocks_the_next(
        self, store: Store
    ) -> None:
        queue(store, ("A", "event", 1), ("A", "event", 1))
        claim = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert claim is not None
        dead = DeliveryOutcome(claim.deliveries[0].id, "dead", "422: partner has no country")
        store.finish_deliveries(claim, [dead], NOW)
        [letter] = store.dead_letters("odoo")
        assert (letter.delivery_id, letter.last_error, letter.attempts) == (
            claim.deliveries[0].id,
            "422: partner has no country",
            1,
        )
        assert store.claim_deliveries("odoo", "w", 10, 30, NOW) is not None

    def test_a_failed_state_delivery_is_absorbed_by_a_newer_state_keeping_its_backoff(
        self, store: Store
    ) -> None:
        queue(store, ("A", "state", 1))
        claim = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert claim is not None
        queue(store, ("A", "state", 1))  # a newer state while the first is in flight
        backoff = "2026-03-01T12:05:00.000000Z"
        failed = DeliveryOutcome(claim.deliveries[0].id, "retry", "timeout", backoff)
        store.finish_deliveries(claim, [failed], NOW)
        assert store.claim_deliveries("odoo", "w", 10, 30, NOW) is None  # backoff kept
        newer = store.claim_deliveries("odoo", "w", 10, 30, LATER)
        assert newer is not None
        assert newer.deliveries[0].id != claim.deliveries[0].id
        assert newer.deliveries[0].coalesced >= 1

    def _kill_first(self, store: Store) -> int:
        claim = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert claim is not None
        dead_id = claim.deliveries[0].id
        store.finish_deliveries(claim, [DeliveryOutcome(dead_id, "dead", "422")], NOW)
        return dead_id

    def test_a_replayed_dead_letter_is_queued_again_and_audited(self, store: Store) -> None:
        queue(store, ("A", "event", 1))
        dead_id = self._kill_first(store)
        assert store.replay_dead_letter(
            dead_id, current=False, actor="ops@acme", reason="fixed", now=LATER
        )
        assert store.dead_letters("odoo") == []
        assert store.dead_letters("odoo", state="replayed")[0].delivery_id == dead_id
        again = store.claim_deliveries("odoo", "w", 10, 30, LATER)
        assert again is not None
        assert (again.deliveries[0].id, again.deliveries[0].attempts) == (dead_id, 0)
        [entry] = store.audit_log()
        assert (entry.actor, entry.action, entry.reason) == ("ops@acme", "dlq.replay", "fixed")
        assert not store.replay_dead_letter(
            dead_id, current=False, actor="x", reason="twice", now=LATER
        )

    def test_a_dead_event_can_be_replayed_as_the_current_state(self, store: Store) -> None:
        queue(store, ("A", "event", 1))
        dead_id = self._kill_first(store)
        assert store.replay_dead_letter(
            dead_id, current=True, actor="ops", reason="remap", now=LATER
        )
        again = store.claim_deliveries("odoo", "w", 10, 30, LATER)
        assert again is not None and again.deliveries[0].mode == "state"

    def test_redrive_queues_the_current_state_of_every_entity_once(self, store: Store) -> None:
        queue(store, ("A", "event", 1), ("B", "event", 1))
        assert (
            store.redrive("odoo", domain="sales_order", actor="ops", reason="restored", now=LATER)
            == 2
        )
        assert (
            store.redrive("odoo", domain="sales_order", actor="ops", reason="again", now=LATER) == 0
        )  # already queued: coalesced
        assert store.redrive("odoo", domain="partner", actor="ops", reason="none", now=LATER) == 0
        assert [e.action for e in store.audit_log()] == ["redrive", "redrive", "redrive"]

    def test_a_long_waiting_low_priority_delivery_is_not_starved(self, store: Store) -> None:
        queue(store, ("OLD", "event", 2), created_at="2026-03-01T11:00:00.000000Z")
        queue(store, ("NEW", "event", 0), created_at="2026-03-01T11:59:00.000000Z")
        claim = store.claim_deliveries("odoo", "w", 1, 30, NOW)
        assert claim is not None and claim.deliveries[0].entity_key == "sales_order:OLD"

    def test_no_claim_while_the_targets_batches_in_flight_are_at_the_limit(
        self, store: Store
    ) -> None:
        queue(store, ("A", "event", 1), ("B", "event", 1))
        first = store.claim_deliveries("odoo", "w1", 1, 30, NOW, max_in_flight=1)
        assert first is not None
        assert store.claim_deliveries("odoo", "w2", 1, 30, NOW, max_in_flight=1) is None
        assert store.claim_deliveries("odoo", "w2", 1, 30, NOW, max_in_flight=2) is not None
