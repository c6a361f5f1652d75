"""Value objects: times are aware UTC instants; money and quantities stay exact decimals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from logisync.model.values import AwareDatetime, Dimensions, Money, Quantity, date_text

_AWARE = TypeAdapter(AwareDatetime)


@pytest.mark.parametrize("naive", [datetime(2024, 5, 1, 14, 2), "2024-05-01T14:02:00"])
def test_naive_time_is_refused(naive: object) -> None:
    with pytest.raises(ValidationError, match="naive local time is ambiguous"):
        _AWARE.validate_python(naive)


@pytest.mark.parametrize(
    "aware",
    [
        "2024-05-01T14:02:00+02:00",
        "2024-05-01T12:02:00Z",
        datetime(2024, 5, 1, 7, 2, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_aware_time_is_normalised_to_utc(aware: object) -> None:
    instant = _AWARE.validate_python(aware)
    assert instant == datetime(2024, 5, 1, 12, 2, tzinfo=UTC)
    assert instant.utcoffset() == timedelta(0)
    assert instant.tzinfo is UTC


@pytest.mark.parametrize("edge", ["0001-01-01T00:00:03+02:00", "9999-12-31T23:00:00-02:00"])
def test_a_time_that_leaves_the_calendar_in_utc_is_refused_not_a_crash(edge: str) -> None:
    """Found by the API fuzzer: converting to UTC overflowed (500) instead of a 422."""
    with pytest.raises(ValidationError, match="outside the years 1 to 9999 in UTC"):
        _AWARE.validate_python(edge)


def test_money_amounts_are_decimals_that_add_up_exactly() -> None:
    a = Money(amount=Decimal("0.1"), currency="EUR")
    b = Money.model_validate({"amount": "0.2", "currency": "eur"})
    assert isinstance(b.amount, Decimal)
    assert a.amount + b.amount == Decimal("0.3")
    assert b.currency == "EUR"


def test_money_keeps_its_digits_as_text_in_json_never_a_float() -> None:
    money = Money.model_validate({"amount": "19.90", "currency": "EUR"})
    dumped = money.model_dump(mode="json")
    assert dumped == {"amount": "19.90", "currency": "EUR"}
    assert Money.model_validate_json(money.model_dump_json()) == money


def test_many_cents_sum_without_drift() -> None:
    cent = Money.model_validate({"amount": "0.01", "currency": "EUR"})
    assert sum((cent.amount for _ in range(1000)), Decimal(0)) == Decimal("10.00")


def test_money_without_currency_is_refused() -> None:
    with pytest.raises(ValidationError, match="currency"):
        Money.model_validate({"amount": "1.00"})


def test_quantity_is_exact_and_defaults_to_pieces() -> None:
    quantity = Quantity.model_validate({"value": "1.005"})
    assert quantity.value == Decimal("1.005")
    assert quantity.unit == "H87"
    assert quantity.model_dump(mode="json") == {"value": "1.005", "unit": "H87"}


def test_value_objects_refuse_unknown_keys_and_are_frozen() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Quantity.model_validate({"value": "1", "uom": "kg"})
    quantity = Quantity.model_validate({"value": "1"})
    with pytest.raises(ValidationError, match="frozen"):
        quantity.value = Decimal(2)  # type: ignore[misc]


def test_dimensions_must_be_positive() -> None:
    with pytest.raises(ValidationError, match="greater than 0"):
        Dimensions.model_validate({"length": "0", "width": "1", "height": "1"})


@pytest.mark.parametrize(
    ("moment", "pattern", "text"),
    [
        (datetime(1, 1, 1, 0, 30), "%Y-%m-%dT%H:%M:%SZ", "0001-01-01T00:30:00Z"),
        (datetime(999, 12, 31), "%Y%m%d", "09991231"),
        (datetime(2026, 3, 1, 11), "%Y-%m-%d %H:%M:%S", "2026-03-01 11:00:00"),
        (datetime(7, 2, 3), "%y%m%d", "070203"),
        (datetime(7, 2, 3), "%%Y %%%Y %Y%%", "%Y %0007 0007%"),
    ],
)
def test_date_text_writes_every_year_with_four_digits(
    moment: datetime, pattern: str, text: str
) -> None:
    """glibc's strftime does not pad %Y: year 1 is "1" there."""
    assert date_text(moment, pattern) == text
