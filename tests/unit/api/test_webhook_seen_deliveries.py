"""The memory of delivery ids: atomic first sightings, per system, forgotten after their time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from logisync.api.webhooks import InMemorySeenDeliveries

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=6)


def test_the_first_sighting_is_new_and_later_ones_name_it() -> None:
    seen = InMemorySeenDeliveries()
    first = seen.record("shop", "d-1", NOW, LATER)
    again = seen.record("shop", "d-1", NOW + timedelta(seconds=3), LATER)
    assert (first.is_new, first.first_seen_at) == (True, NOW)
    assert (again.is_new, again.first_seen_at) == (False, NOW)


def test_ids_are_kept_per_system() -> None:
    seen = InMemorySeenDeliveries()
    seen.record("shop", "d-1", NOW, LATER)
    assert seen.record("tms", "d-1", NOW, LATER).is_new


def test_an_id_is_forgotten_once_its_time_has_passed() -> None:
    seen = InMemorySeenDeliveries()
    seen.record("shop", "d-1", NOW, LATER)
    seen.record("shop", "d-2", NOW, LATER + timedelta(hours=1))
    assert not seen.record("shop", "d-1", LATER - timedelta(seconds=1), LATER).is_new
    assert seen.record("shop", "d-1", LATER, LATER + timedelta(minutes=6)).is_new
    assert len(seen) == 2


def test_forget_lets_the_next_copy_count_as_new() -> None:
    seen = InMemorySeenDeliveries()
    seen.record("shop", "d-1", NOW, LATER)
    seen.forget("shop", "d-1")
    seen.forget("shop", "never-seen")
    sighting = seen.record("shop", "d-1", NOW + timedelta(seconds=1), LATER + timedelta(hours=1))
    assert sighting.is_new
    # The first deadline no longer applies to the re-recorded id.
    assert not seen.record("shop", "d-1", LATER + timedelta(seconds=1), LATER).is_new


def test_copies_arriving_at_once_make_exactly_one_new_sighting() -> None:
    seen = InMemorySeenDeliveries()
    start = threading.Barrier(8)
    results: list[bool] = []

    def deliver() -> None:
        start.wait()
        results.append(seen.record("shop", "d-1", NOW, LATER).is_new)

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 600)), max_size=40))
def test_for_any_arrivals_an_id_is_new_exactly_when_not_remembered(
    arrivals: list[tuple[str, int]],
) -> None:
    """Arrivals in time order; each id is kept 300 s from its first sighting."""
    seen = InMemorySeenDeliveries()
    kept_until: dict[str, datetime] = {}
    for delivery_id, offset in sorted(arrivals, key=lambda arrival: arrival[1]):
        at = NOW + timedelta(seconds=offset)
        remembered = delivery_id in kept_until and at < kept_until[delivery_id]
        sighting = seen.record("shop", delivery_id, at, at + timedelta(seconds=300))
        assert sighting.is_new is not remembered
        if sighting.is_new:
            kept_until[delivery_id] = at + timedelta(seconds=300)
