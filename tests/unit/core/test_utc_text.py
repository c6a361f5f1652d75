"""``utc_text`` is the sort key of every stored time: it must be exactly ISO 8601 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from logisync.core.clock import utc_text

OFFSETS = st.one_of(
    st.none(),
    st.just(UTC),
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    ),
)


@given(
    st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=OFFSETS)
)
def test_utc_text_is_the_isoformat_of_the_same_instant_in_utc(moment: datetime) -> None:
    if moment.tzinfo is None:
        expected = moment.isoformat(timespec="microseconds") + "Z"
    else:
        expected = moment.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"
    assert utc_text(moment) == expected


def test_utc_text_is_fixed_width_so_that_text_order_is_time_order() -> None:
    early = datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC)
    late = datetime(1000, 1, 1, tzinfo=UTC)
    assert utc_text(early) == "0999-12-31T23:59:59.000000Z"
    assert utc_text(early) < utc_text(late)
    assert utc_text(datetime(2026, 3, 1, 12, tzinfo=timezone(timedelta(hours=2)))) == (
        "2026-03-01T10:00:00.000000Z"
    )
