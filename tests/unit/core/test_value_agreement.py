"""A non-owner repeating the current value at another precision is not a conflict."""

from __future__ import annotations

from typing import Any

import pytest

from logisync.core.governance import agrees
from logisync.core.journal import journal_record
from logisync.core.ports import Projection
from logisync.core.rules import DomainOwnership, FieldRule, OwnershipMap, Rules
from logisync.core.sequencing import apply_event
from logisync.model import new_event


@pytest.mark.parametrize(
    ("current", "proposed"),
    [
        ("2026-11-23T09:15:42.123000Z", "2026-11-23T09:15:42Z"),  # shop's vs Odoo's precision
        ("2026-11-23T09:15:42Z", "2026-11-23 09:15:42"),  # Odoo's text: no zone means UTC
        ("2026-11-23T10:15:42.5+01:00", "2026-11-23T09:15:42Z"),  # same instant, other zone
        ("2026-11-23T09:15:42.123456Z", "2026-11-23T09:15:42.123Z"),  # micro vs milliseconds
        ("2026-11-23T09:15:00Z", "2026-11-23T09:15Z"),  # minutes
        ("2026-11-23T09:15:42.999999Z", "2026-11-23T09:15:42Z"),  # Odoo truncates, not rounds
        ("same", "same"),
        (3, 3),
        (None, None),
    ],
)
def test_the_same_value_or_instant_at_two_precisions_agrees(current: Any, proposed: Any) -> None:
    assert agrees(current, proposed)
    assert agrees(proposed, current)


@pytest.mark.parametrize(
    ("current", "proposed"),
    [
        ("2026-11-23T09:15:42.123000Z", "2026-11-23T09:15:43Z"),  # another second
        ("2026-11-23T09:15:42.123Z", "2026-11-23T09:15:42.124Z"),  # same precision, differs
        ("2026-11-23T09:15:42Z", "2026-11-23T10:15:42Z"),
        ("2026-11-23T09:15:42Z", "2026-11-23T09:15:42+01:00"),  # an hour apart
        ("2026-11-23", "2026-11-23T00:00:00Z"),  # a date is not an instant
        ("12:00", "12:00:00"),
        ("a", "b"),
        ("2026-11-23T09:15:42Z", None),
        (1, "1"),
    ],
)
def test_different_values_or_instants_do_not_agree(current: Any, proposed: Any) -> None:
    assert not agrees(current, proposed)
    assert not agrees(proposed, current)


RULES = Rules(
    ownership=OwnershipMap(
        {
            "sales_order": DomainOwnership(
                FieldRule(frozenset({"shop"})), {"status": FieldRule(frozenset({"odoo"}))}
            )
        }
    )
)


def _order(seq: int, source: str, type: str, ordered_at: str) -> Any:
    event = new_event(
        type,
        {"number": "SO1", "ordered_at": ordered_at},
        source=source,
        id=f"{source}-{seq}",
        time=f"2026-11-23T09:{seq:02d}:00Z",
    )
    return journal_record(event, seq, "2026-11-23T10:00:00Z")


def test_odoos_confirmation_repeating_the_order_date_in_seconds_is_no_conflict() -> None:
    projection = Projection("sales_order:SO1")
    apply_event(
        projection, _order(1, "shop", "sales_order.placed", "2026-11-23T10:15:42.123+01:00"), RULES
    )
    confirmed = apply_event(
        projection, _order(2, "odoo", "sales_order.confirmed", "2026-11-23T09:15:42Z"), RULES
    )
    assert confirmed.conflicts == []
    assert confirmed.applied == {"status": "confirmed"}
    assert projection.state["ordered_at"] == "2026-11-23T09:15:42.123000Z"  # the owner's kept


def test_odoo_sending_another_order_date_is_still_a_conflict() -> None:
    projection = Projection("sales_order:SO1")
    apply_event(
        projection, _order(1, "shop", "sales_order.placed", "2026-11-23T09:15:42.123Z"), RULES
    )
    confirmed = apply_event(
        projection, _order(2, "odoo", "sales_order.confirmed", "2026-11-23T09:16:42Z"), RULES
    )
    assert [(c.field, c.proposed, c.current) for c in confirmed.conflicts] == [
        ("ordered_at", "2026-11-23T09:16:42Z", "2026-11-23T09:15:42.123000Z")
    ]


def test_a_time_with_no_instant_in_utc_is_not_an_instant_and_does_not_raise() -> None:
    assert not agrees("0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z")
    assert agrees("0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00+01:00")  # same text
