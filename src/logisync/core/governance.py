"""Whether a system may set a field, by the ownership map (see ``core.rules``), and whether a
refused value says anything new.

Systems keep instants at different precisions: Odoo stores an order's date to the second and
without a zone, a shop to the microsecond. When Odoo's read-back repeats the shop's date, it is
the same instant written more coarsely, not a competing value, so ``agrees`` compares two
instants at the coarser precision of the two before governance records a conflict.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from logisync.core.rules import FieldRule
from logisync.model.values import in_zone


class Verdict(Enum):
    OWNER = "owner"  # the writer owns the field (or nobody does): ordering decides
    FILL = "fill"  # a non-owner may fill the field because no owner has set it
    CONFLICT = "conflict"  # refused: recorded with both values and both sources
    PROPOSAL = "proposal"  # refused for now: queued for a data steward


def judge(rule: FieldRule | None, writer: str, provenance: dict[str, Any] | None) -> Verdict:
    """Decide what a write from ``writer`` to a field with ``provenance`` is allowed to be."""
    if rule is None or writer in rule.owners:
        return Verdict.OWNER
    if rule.policy == "propose":
        return Verdict.PROPOSAL
    if rule.policy == "fill_if_empty" and (provenance is None or provenance.get("kind") == "fill"):
        return Verdict.FILL
    return Verdict.CONFLICT


# An ISO 8601 date and time as systems write it: minutes, seconds or a fraction, any zone.
_INSTANT = re.compile(
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?"
    r"(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?$",
    re.IGNORECASE,
)


def agrees(current: Any, proposed: Any) -> bool:
    """Whether ``proposed`` says the same as ``current``: equal values, or the same instant
    written at two precisions (compared at the coarser one; a value without a zone is UTC,
    as the canonical model and Odoo keep it)."""
    if current == proposed:
        return True
    if not isinstance(current, str) or not isinstance(proposed, str):
        return False
    left, right = _instant(current), _instant(proposed)
    if left is None or right is None:
        return False
    digits = min(left[1], right[1])
    return _truncated(left[0], digits) == _truncated(right[0], digits)


def _instant(text: str) -> tuple[datetime, int] | None:
    """The instant ``text`` names and its precision in digits after the minute: -2 for
    minutes, 0 for seconds, 3 for milliseconds...; None if it is not a date and time."""
    match = _INSTANT.match(text.strip())
    if match is None:
        return None
    day, hour, minute, second, fraction, zone = match.groups()
    precision = -2 if second is None else len(fraction or "")
    try:
        moment = datetime.fromisoformat(
            f"{day}T{hour}:{minute}:{second or '00'}.{(fraction or '0')[:6].ljust(6, '0')}"
            + _zone(zone)
        )
        return in_zone(moment, UTC), precision  # no instant in UTC: not an instant either
    except ValueError:
        return None


def _zone(zone: str | None) -> str:
    if zone is None or zone.upper() == "Z":
        return "+00:00"
    if len(zone) == 3:
        return f"{zone}:00"
    return zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"


def _truncated(moment: datetime, digits: int) -> datetime:
    if digits < 0:
        return moment.replace(second=0, microsecond=0)
    keep = 10 ** (6 - min(digits, 6))
    return moment.replace(microsecond=moment.microsecond // keep * keep)
