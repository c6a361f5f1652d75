"""Writing interchanges for a partner: sets grouped by functional id, our control numbers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from logisync.connectors.edi.receipt import OutboundControlNumbers
from logisync.connectors.x12.settings import X12Partner
from logisync.connectors.x12.writer import (
    EnvelopeHeader,
    OutboundGroup,
    OutboundSet,
    write_interchange,
)

FUNCTIONAL_IDS = {
    "850": "PO",
    "855": "PR",
    "856": "SH",
    "810": "IN",
    "940": "OW",
    "945": "SW",
    "214": "QM",
    "997": "FA",
}
MAX_CONTROL = 999_999_999


def write_x12(
    sets: Sequence[OutboundSet],
    partner: X12Partner,
    numbers: OutboundControlNumbers,
    at: datetime | None = None,
) -> tuple[str, bytes]:
    """One interchange holding ``sets`` (one group per functional id), and its file name.
    ISA13, GS06 and ST02 each come from their own counter for the partner, so no number is
    used twice across files (ST02 need only be unique in its group, but a partner that
    tracks it across files then sees no false duplicates)."""
    at = (at or datetime.now(UTC)).astimezone(UTC)
    control = _next(numbers, partner.name, "interchange")
    groups: dict[str, OutboundGroup] = {}
    for outbound in sets:
        functional_id = FUNCTIONAL_IDS[outbound.code]
        if functional_id not in groups:
            groups[functional_id] = OutboundGroup(
                functional_id, _next(numbers, partner.name, "group")
            )
        group = groups[functional_id]
        group.sets.append((_next(numbers, partner.name, "message"), outbound))
    header = EnvelopeHeader(
        sender_id=partner.sender_id,
        receiver_id=partner.receiver_id,
        sender_qualifier=partner.sender_qualifier,
        receiver_qualifier=partner.receiver_qualifier,
        version=partner.version,
        usage=partner.usage,
        acknowledgement_requested=partner.acknowledgement_requested,
    )
    body = write_interchange(header, control, list(groups.values()), at)
    return f"{partner.name}-{control:09d}.x12", body


def _next(numbers: OutboundControlNumbers, partner: str, level: str) -> int:
    number = numbers.next_control_number(partner, "x12", level)  # type: ignore[arg-type]
    return (number - 1) % MAX_CONTROL + 1
