"""Lifecycle order of every entity's status, so that a late fact never moves it backwards.

Each status has a rank. A new status replaces the current one only if its rank is higher, or
equal and the fact is newer (an ``exception`` followed by a newer ``in_transit`` scan is a
resumption, not a regression). Terminal states share the top rank. Only an explicit correction
from the owning system may lower the rank.

A shipment of several packages, each with its own tracking number, has a status per package;
the shipment's is that of its least advanced package, so it is delivered only when every
package is (see ``core.status_rule``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from logisync.model.identifiers import tracking_key


@dataclass(frozen=True)
class Lifecycle:
    field: str
    ranks: dict[str, int]
    code_key: str | None = None  # when the status value is an object, where its code is
    parts_field: str | None = None  # a list of parts, each with its own status (packages)
    part_key: str | None = None  # what names a part, in the part and in a status value
    same_part: Callable[[str], str] = str  # how names are compared (tracking numbers: compacted)

    def part_of(self, value: Any) -> str | None:
        """The part a status value is about (a package's tracking number), if any."""
        if self.part_key is None or not isinstance(value, dict):
            return None
        part = value.get(self.part_key)
        return None if part is None else self.same_part(str(part))

    def parts(self, state: dict[str, Any]) -> frozenset[str]:
        """The parts of an entity whose status is derived from theirs: empty unless it has
        two or more (one package is the shipment)."""
        if self.parts_field is None or self.part_key is None:
            return frozenset()
        found = frozenset(
            self.same_part(str(part[self.part_key]))
            for part in state.get(self.parts_field) or ()
            if isinstance(part, dict) and part.get(self.part_key)
        )
        return found if len(found) > 1 else frozenset()

    def whole(self, state: dict[str, Any]) -> str | None:
        """The name the entity as a whole goes by (a shipment's master tracking number):
        a status naming it is about every part."""
        return self.part_of(state)

    @property
    def terminal_rank(self) -> int:
        return max(self.ranks.values())

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
        parts_field="packages",
        part_key="tracking_number",
        same_part=tracking_key,
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
