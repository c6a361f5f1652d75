"""Writing X12: segments joined with our separators, wrapped in ISA/GS/ST envelopes.

X12 has no escape character, so a value that contains a separator cannot be written at all;
it is refused (``PermanentDeliveryError``) rather than silently altered, since a changed
address or reference would be worse than a delivery an operator sees failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from typing import Any, Literal

from logisync.connectors.x12.syntax import Separators
from logisync.errors import PermanentDeliveryError
from logisync.model.values import date_text, in_zone

Element = str | Sequence[str]  # a composite is a sequence of components
SegmentData = Sequence[Element]  # [tag, element 01, element 02, ...]

OUR_SEPARATORS = Separators("*", ">", "~", "^")
GS_VERSIONS = {"00401": "004010", "00501": "005010"}


@dataclass(frozen=True)
class OutboundSet:
    """One transaction set to send: its code (``856``) and its segments between ST and SE."""

    code: str
    segments: list[SegmentData]


@dataclass(frozen=True)
class OutboundGroup:
    functional_id: str  # GS01: SH for 856, IN for 810...
    control: int
    sets: list[tuple[int, OutboundSet]] = field(default_factory=list)


@dataclass(frozen=True)
class EnvelopeHeader:
    """Who sends to whom, in which version: from our settings for the partner."""

    sender_id: str
    receiver_id: str
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    version: Literal["00401", "00501"] = "00401"
    usage: Literal["P", "T"] = "P"
    acknowledgement_requested: bool = False
    separators: Separators = OUR_SEPARATORS


def write_interchange(
    header: EnvelopeHeader, control: int, groups: Sequence[OutboundGroup], at: datetime
) -> bytes:
    """The interchange as bytes: one segment a line (the terminator followed by a newline)."""
    seps = header.separators
    repetition = (seps.repetition or "^") if header.version >= "00501" else "U"
    isa: list[Element] = [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        header.sender_qualifier,
        header.sender_id.ljust(15),
        header.receiver_qualifier,
        header.receiver_id.ljust(15),
        at.strftime("%y%m%d"),
        at.strftime("%H%M"),
        repetition,
        header.version,
        f"{control:09d}",
        "1" if header.acknowledgement_requested else "0",
        header.usage,
        seps.component,
    ]
    lines = [seps.element.join(str(e) for e in isa)]
    for group in groups:
        lines.append(
            _segment(
                [
                    "GS",
                    group.functional_id,
                    header.sender_id,
                    header.receiver_id,
                    date_text(at, "%Y%m%d"),
                    at.strftime("%H%M"),
                    str(group.control),
                    "X",
                    GS_VERSIONS[header.version],
                ],
                seps,
            )
        )
        for set_control, outbound in group.sets:
            number = f"{set_control:04d}"
            body = [_segment(s, seps) for s in outbound.segments]
            lines.append(_segment(["ST", outbound.code, number], seps))
            lines.extend(body)
            lines.append(_segment(["SE", str(len(body) + 2), number], seps))
        lines.append(_segment(["GE", str(len(group.sets)), str(group.control)], seps))
    lines.append(_segment(["IEA", str(len(groups)), f"{control:09d}"], seps))
    return "".join(line + seps.segment + "\n" for line in lines).encode("utf-8")


def _segment(data: SegmentData, seps: Separators) -> str:
    values = [_element(e, seps) for e in data]
    while len(values) > 1 and values[-1] == "":  # trailing empty elements are not written
        values.pop()
    return seps.element.join(values)


def _element(value: Element, seps: Separators) -> str:
    parts = [value] if isinstance(value, str) else list(value)
    forbidden = {seps.element, seps.component, seps.segment, seps.repetition, "\r", "\n"}
    for part in parts:
        found = forbidden.intersection(part)
        if found:
            raise PermanentDeliveryError(
                f"{part!r} contains {''.join(sorted(c for c in found if c))!r}, a separator of "
                "this interchange; X12 cannot escape it: change the value or the separators"
            )
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return seps.component.join(parts)


def date_time(value: Any, zone: tzinfo = UTC) -> tuple[str, str]:
    """CCYYMMDD and HHMM of an ISO instant, in the partner's zone; blank when unknown."""
    if not value:
        return "", ""
    stored = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    moment = in_zone(stored, zone, PermanentDeliveryError)
    return date_text(moment, "%Y%m%d"), moment.strftime("%H%M")


def number_text(value: Any) -> str:
    """A decimal as X12 writes it: no exponent, and the digits it was given (``4.50`` stays
    ``4.50``, so a price reads back exactly as it was sent)."""
    return format(Decimal(str(value)), "f")


def check_writable(outbound: OutboundSet, separators: Separators = OUR_SEPARATORS) -> None:
    """Raise ``PermanentDeliveryError`` now if a value of ``outbound`` cannot be written, so
    that one bad item fails alone instead of the whole interchange."""
    for segment in outbound.segments:
        _segment(segment, separators)
