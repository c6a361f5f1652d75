"""The delivery half of the storage contract: claims per target, order per entity, outcomes."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from logisync.core.clock import utc_text
from logisync.core.journal import Journal
from logisync.core.ports import (
    DeliveryOutcome,
    EntityResult,
    NewDelivery,
    NextBatch,
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

    def test_retries_holding_back_more_deliveries_than_a_claim_reads_are_still_claimed(
        self, store: Store
    ) -> None:
        """A claim reads a window of the queue (ten times its batch, at least 200 rows). 25
        entities' first deliveries are retried; the 225 behind them fill any window taken in
        due order (they fell due first), so the retries must still be found when due."""
        queue(store, *[(f"E{n}", "event", 1) for n in range(25)] * 10)
        heads = store.claim_deliveries("odoo", "w", 25, 30, NOW)
        assert heads is not None and len(heads.deliveries) == 25
        later = utc_text(LATER)
        retries = [DeliveryOutcome(d.id, "retry", "503", later) for d in heads.deliveries]
        store.finish_deliveries(heads, retries, NOW)
        again = store.claim_deliveries("odoo", "w", 1, 30, LATER)
        assert again is not None
        assert again.deliveries[0].id in {d.id for d in heads.deliveries}

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

    def test_outcomes_for_a_delivery_the_claim_does_not_hold_record_nothing(
        self, store: Store
    ) -> None:
        queue(store, ("A", "event", 1), ("B", "event", 1))
        mine = store.claim_deliveries("odoo", "w1", 1, 30, NOW)
        theirs = store.claim_deliveries("odoo", "w2", 1, 30, NOW)
        assert mine is not None and theirs is not None
        outcomes = [
            DeliveryOutcome(mine.deliveries[0].id, "delivered"),
            DeliveryOutcome(theirs.deliveries[0].id, "delivered"),
        ]
        soon = NOW + timedelta(seconds=1)
        with pytest.raises(LeaseLost):
            store.finish_deliveries(mine, outcomes, soon)
        untouched = store.delivery(mine.deliveries[0].id)
        assert untouched is not None
        assert (untouched.state, untouched.attempts) == ("claimed", 0)  # nothing was written
        store.finish_deliveries(theirs, [outcomes[1]], soon)  # theirs is still theirs
        store.finish_deliveries(mine, [outcomes[0]], soon)

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
        assert again.deliveries[0].first_attempt_at == utc_text(LATER)  # its age starts again
        [entry] = store.audit_log()
        assert (entry.actor, entry.action, entry.reason) == ("ops@acme", "dlq.replay", "fixed")
        assert not store.replay_dead_letter(
            dead_id, current=False, actor="x", reason="twice", now=LATER
        )

    def test_a_replayed_delivery_can_die_again_and_be_replayed_again(self, store: Store) -> None:
        queue(store, ("A", "event", 1))
        for attempt in range(2):
            claim = store.claim_deliveries("odoo", "w", 10, 30, LATER)
            assert claim is not None
            dead_id = claim.deliveries[0].id
            error = f"422 ({attempt})"
            store.finish_deliveries(claim, [DeliveryOutcome(dead_id, "dead", error)], LATER)
            [letter] = store.dead_letters("odoo")
            assert (letter.delivery_id, letter.last_error) == (dead_id, error)
            assert store.replay_dead_letter(
                dead_id, current=False, actor="ops", reason="again", now=LATER
            )
        outcomes = [outcome for _n, _at, outcome, _detail in store.attempts(dead_id)]
        assert outcomes == ["permanent", "permanent"]

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

    def test_a_first_try_success_shows_as_one_attempt_told_by_the_delivery_row(
        self, store: Store
    ) -> None:
        queue(store, ("A", "event", 1))
        claim = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert claim is not None
        done = claim.deliveries[0].id
        store.finish_deliveries(claim, [DeliveryOutcome(done, "delivered", target_ref="42")], NOW)
        assert store.attempts(done) == [(1, utc_text(NOW), "delivered", "42")]
        [row] = store.deliveries("odoo")
        assert (row.state, row.attempts) == ("delivered", 1)

    def test_the_targets_id_for_a_delivered_entity_is_linked_in_the_crosswalk(
        self, store: Store
    ) -> None:
        queue(store, ("A", "event", 1), ("B", "event", 1))
        claim = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert claim is not None
        first, second = (d.id for d in claim.deliveries)
        outcomes = [
            DeliveryOutcome(first, "delivered", target_ref="x", external_id="sale.order,7"),
            DeliveryOutcome(second, "retry", error="503", due_at=utc_text(LATER)),
        ]
        store.finish_deliveries(claim, outcomes, NOW)
        assert store.resolve("odoo", "sale.order,7") == "sales_order:A"
        assert store.identifiers("sales_order:B") == []

    def test_failed_attempts_and_the_success_after_them_are_all_in_the_history(
        self, store: Store
    ) -> None:
        queue(store, ("A", "event", 1))
        claim = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert claim is not None
        done = claim.deliveries[0].id
        due = utc_text(NOW + timedelta(minutes=1))
        store.finish_deliveries(claim, [DeliveryOutcome(done, "retry", "503", due)], NOW)
        again = store.claim_deliveries("odoo", "w", 10, 30, LATER)
        assert again is not None
        store.finish_deliveries(again, [DeliveryOutcome(done, "delivered", target_ref="7")], LATER)
        assert store.attempts(done) == [
            (1, utc_text(NOW), "transient", "503"),
            (2, utc_text(LATER), "delivered", "7"),
        ]

    def test_a_replayed_dead_letter_that_goes_through_continues_its_history(
        self, store: Store
    ) -> None:
        queue(store, ("A", "event", 1))
        dead_id = self._kill_first(store)
        store.replay_dead_letter(dead_id, current=False, actor="ops", reason="fixed", now=LATER)
        again = store.claim_deliveries("odoo", "w", 10, 30, LATER)
        assert again is not None and again.deliveries[0].attempts == 0
        store.finish_deliveries(
            again, [DeliveryOutcome(dead_id, "delivered", target_ref="9")], LATER
        )
        assert [(n, outcome) for n, _at, outcome, _detail in store.attempts(dead_id)] == [
            (1, "permanent"),
            (2, "delivered"),
        ]

    def test_finishing_a_batch_claims_the_next_in_the_same_transaction(self, store: Store) -> None:
        queue(store, ("A", "event", 1), ("B", "event", 1), ("A", "event", 1))
        first = store.claim_deliveries("odoo", "w", 10, 30, NOW)
        assert first is not None and len(first.deliveries) == 2  # A's second waits for A's first
        outcomes = [DeliveryOutcome(d.id, "delivered") for d in first.deliveries]
        following = store.finish_deliveries(first, outcomes, NOW, NextBatch(10, 30))
        assert following is not None and following.owner == "w"
        assert [d.entity_key for d in following.deliveries] == ["sales_order:A"]
        assert following.deliveries[0].id > max(d.id for d in first.deliveries)
        last = [DeliveryOutcome(following.deliveries[0].id, "delivered")]
        assert store.finish_deliveries(following, last, NOW, NextBatch(10, 30)) is None

    def test_a_next_batch_respects_the_in_flight_limit_and_a_lost_lease_claims_nothing(
        self, store: Store
    ) -> None:
        queue(store, ("A", "event", 1), ("B", "event", 1), ("C", "event", 1), ("D", "event", 1))
        mine = store.claim_deliveries("odoo", "w1", 1, 30, NOW)
        theirs = store.claim_deliveries("odoo", "w2", 1, 30, NOW)
        assert mine is not None and theirs is not None
        done = [DeliveryOutcome(mine.deliveries[0].id, "delivered")]
        assert store.finish_deliveries(mine, done, NOW, NextBatch(1, 30, max_in_flight=1)) is None
        stale = store.claim_deliveries("odoo", "w3", 1, 5, NOW)
        assert stale is not None
        assert store.claim_deliveries("odoo", "w4", 1, 30, NOW + timedelta(seconds=6))
        with pytest.raises(LeaseLost):
            store.finish_deliveries(
                stale,
                [DeliveryOutcome(stale.deliveries[0].id, "delivered")],
                NOW + timedelta(seconds=7),
                NextBatch(10, 30),
            )
        states = sorted(d.state for d in store.deliveries("odoo"))
        assert states == ["claimed", "claimed", "delivered", "pending"]  # D was not claimed
