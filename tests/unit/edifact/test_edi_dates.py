"""EDI dates and times are read one way in X12 and EDIFACT envelopes and X12 sets: exact
widths, digits only, a real calendar day and clock time; anything else is refused with the
reason, never padded."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logisync.connectors.edi.dates import CCYYMMDD, YYMMDD, edi_date, edi_time


@pytest.mark.parametrize(
    ("text", "widths", "expected"),
    [
        ("20260301", (CCYYMMDD,), date(2026, 3, 1)),
        ("260301", (YYMMDD,), date(2026, 3, 1)),
        ("680101", (CCYYMMDD, YYMMDD), date(2068, 1, 1)),
        ("690101", (CCYYMMDD, YYMMDD), date(1969, 1, 1)),
        ("20240229", (CCYYMMDD,), date(2024, 2, 29)),
    ],
)
def test_dates_of_the_allowed_widths_are_read(
    text: str, widths: tuple[int, ...], expected: date
) -> None:
    assert edi_date(text, widths) == expected


@pytest.mark.parametrize(
    ("text", "widths", "message"),
    [
        ("202601 1", (CCYYMMDD,), "'202601 1' is not a date (CCYYMMDD)"),
        ("260301", (CCYYMMDD,), "'260301' is not a date (CCYYMMDD)"),
        ("20260301", (YYMMDD,), "'20260301' is not a date (YYMMDD)"),
        ("2026031", (CCYYMMDD, YYMMDD), "'2026031' is not a date (CCYYMMDD or YYMMDD)"),
        ("20260230", (CCYYMMDD,), "'20260230' is not a date (CCYYMMDD): day is out of range"),
        ("261301", (YYMMDD,), "'261301' is not a date (YYMMDD): month must be in 1..12"),
        ("\uff12\uff10\uff12\uff160301", (CCYYMMDD,), "is not a date (CCYYMMDD)"),  # full-width
    ],
)
def test_anything_else_is_refused_with_the_reason(
    text: str, widths: tuple[int, ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        edi_date(text, widths)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0930", time(9, 30)),
        ("093015", time(9, 30, 15)),
        ("0930151", time(9, 30, 15, 100_000)),
        ("09301512", time(9, 30, 15, 120_000)),
    ],
)
def test_times_of_every_tm_length_are_read(text: str, expected: time) -> None:
    assert edi_time(text) == expected


@pytest.mark.parametrize("text", ["93", "930", "9", "09:30", "0930 ", "093015123", "2400", "0960"])
def test_short_long_or_impossible_times_are_refused_not_padded(text: str) -> None:
    with pytest.raises(ValueError, match="is not a time"):
        edi_time(text)


def test_a_field_of_fixed_length_names_only_that_length() -> None:
    with pytest.raises(ValueError, match=r"'093015' is not a time \(HHMM\)$"):
        edi_time("093015", (4,))


@given(st.dates(min_value=date(1000, 1, 1)))
def test_every_calendar_day_reads_back(day: date) -> None:
    assert edi_date(day.strftime("%Y%m%d")) == day
