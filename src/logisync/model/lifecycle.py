"""Lifecycle order of every entity's status, so that a late fact never moves it backwards.

Each status has a rank. A new status replaces the current one only if its rank is higher, or
equal and the fact is newer (an ``exception`` followed by a newer ``in_transit`` scan is a
resumption, not a regression). Terminal states share the top rank. Only an explicit correction
from the owning system may lower the rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Lifecycle:
    field: str
    ranks: dict[str, int]
    code_key: str | None = None  # when the status value is an object, where its code is

    def code(self, value: Any) -> str | None:
        if value is None:
            return None
        if self.code_key is not None and isinstance(value, dict):
            code = value.get(self.code_key)
            return None if code is None else str(code)
        return str(value)

    def rank(self, value: Any) -> int:
        # ``code`` written out: the processor ranks several status values per event
        if self.code_key is not None and isinstance(value, dict):
            value = value.get(self.code_key)
        return -1 if value is None else self.ranks.get(str(value), -1)


_TERMINAL = 100

LIFECYCLES: dict[str, Lifecycle] = {
    "sales_order": Lifecycle(
        "status",
        {
            "draft": 0,
            "placed": 1,
            "confirmed": 2,
            "released": 3,
            "picked": 4,
            "packed": 5,
            "shipped": 6,
            "delivered": 7,
            "cancelled": _TERMINAL,
        },
    ),
    "shipment": Lifecycle(
        "status",
        {
            "unknown": 0,
            "pre_transit": 1,
            "picked_up": 2,
            "in_transit": 3,
            "exception": 3,
            "out_for_delivery": 4,
            "delivery_attempted": 4,
            "available_for_pickup": 5,
            "delivered": _TERMINAL,
            "returned_to_sender": _TERMINAL,
            "cancelled": _TERMINAL,
        },
        code_key="milestone",
    ),
    "invoice": Lifecycle("status", {"draft": 0, "posted": 1, "paid": 2, "cancelled": _TERMINAL}),
    "return": Lifecycle(
        "status",
        {
            "requested": 0,
            "authorized": 1,
            "received": 2,
            "refunded": _TERMINAL,
            "rejected": _TERMINAL,
        },
    ),
}
"""Lifecycle per entity domain; domains without one have no status that orders facts."""
