"""Which of two facts is newer: the rule every field's value rests on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logisync.core.stamps import Stamp, version_key


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("9", "10"),
        ("0009", "10"),
        ("9.5", "10.5"),
        ("10.05", "10.5"),
        ("99999999999999999999999999999999", "100000000000000000000000000000000"),
        ("2026-03-01T10:00:00+02:00", "2026-03-01T09:00:00+00:00"),
        ("2026-03-01T10:00:00Z", "2026-03-01T10:00:00.000001Z"),
    ],
)
def test_source_versions_sort_by_value_not_by_text(older: str, newer: str) -> None:
    assert version_key(older) < version_key(newer)  # type: ignore[operator]


def test_equal_numbers_and_instants_have_one_key() -> None:
    assert version_key("007") == version_key("7")
    assert version_key("1.50") == version_key("1.5")
    assert version_key("2026-03-01T12:00:00+02:00") == version_key("2026-03-01T10:00:00Z")
    assert version_key(None) is None


def test_within_one_system_the_source_version_beats_the_clock() -> None:
    late_clock = Stamp("wms", version_key("41"), "2026-03-01T10:05:00.000000Z", "a")
    early_clock = Stamp("wms", version_key("42"), "2026-03-01T10:00:00.000000Z", "b")
    assert early_clock.newer_than(late_clock)


def test_across_systems_the_event_time_decides() -> None:
    odoo = Stamp("odoo", version_key("999"), "2026-03-01T10:00:00.000000Z", "a")
    shop = Stamp("shop", version_key("1"), "2026-03-01T10:00:01.000000Z", "b")
    assert shop.newer_than(odoo)
    assert not odoo.newer_than(shop)


stamps = st.builds(
    Stamp,
    st.sampled_from(["odoo", "wms", "ups"]),
    st.one_of(st.none(), st.integers(0, 50).map(lambda n: version_key(str(n)))),
    st.sampled_from(["2026-03-01T10:00:00.000000Z", "2026-03-01T11:00:00.000000Z"]),
    st.sampled_from(["e1", "e2", "e3"]),
)


@given(stamps, stamps)
def test_stored_and_live_stamps_compare_alike_and_never_both_newer(a: Stamp, b: Stamp) -> None:
    assert a.newer_than(b) == a.newer_than_json(b.as_json())
    assert not (a.newer_than(b) and b.newer_than(a))
    assert Stamp.from_json(a.as_json()) == a
