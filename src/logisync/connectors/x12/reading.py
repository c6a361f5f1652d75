"""Reading one transaction set's segments into canonical values, collecting what is wrong.

Every mapping asks the reader for segments and typed element values; a missing mandatory
segment or an unreadable value becomes a ``SegmentFinding`` (which the 997 reports as AK3/AK4)
instead of an exception, so one bad element never hides the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from logisync.connectors.edi.dates import CCYYMMDD, YYMMDD, edi_date, edi_time
from logisync.connectors.x12.envelope import SegmentFinding, TransactionSet
from logisync.connectors.x12.syntax import Segment, Separators
from logisync.errors import Problem
from logisync.model.values import UNIT_ALIASES, UNIT_CODES, in_zone

# AK3-04 (720) and AK4-03 (723) codes used by the readers.
MANDATORY_SEGMENT_MISSING = "3"
SEGMENT_HAS_ELEMENT_ERRORS = "8"
ELEMENT_MISSING = "1"
INVALID_CHARACTER = "6"
INVALID_CODE = "7"
INVALID_DATE = "8"
INVALID_TIME = "9"

# X12 units (data element 355) that differ from the UN/ECE Rec 20 codes the model keeps.
X12_UNITS = {"CA": "CT", "PL": "PF", "DZ": "DZN", "UN": "C62", "PC": "H87", "LB": "LBR"}
REC20_TO_X12 = {"CT": "CA", "PF": "PL", "DZN": "DZ", "C62": "UN", "H87": "EA", "LBR": "LB"}


class SetReader:
    """The segments of one set, and the findings made while reading them."""

    def __init__(self, tx: TransactionSet, separators: Separators, where: str) -> None:
        self.tx = tx
        self.separators = separators
        self.where = where
        self.findings: list[SegmentFinding] = []

    def all(self, tag: str) -> list[Segment]:
        return [s for s in self.tx.body if s.tag == tag]

    def first(self, tag: str) -> Segment | None:
        return next((s for s in self.tx.body if s.tag == tag), None)

    def require(self, tag: str) -> Segment | None:
        found = self.first(tag)
        if found is None:
            self.findings.append(
                SegmentFinding(
                    Problem(self.where, f"the {self.tx.code} has no {tag} segment, it needs one"),
                    tag,
                    None,
                    MANDATORY_SEGMENT_MISSING,
                )
            )
        return found

    def loops(self, tag: str) -> Iterator[list[Segment]]:
        """The body cut into loops, each starting at a ``tag`` segment (N1, LX, HL...)."""
        loop: list[Segment] | None = None
        for segment in self.tx.body:
            if segment.tag == tag:
                if loop is not None:
                    yield loop
                loop = [segment]
            elif loop is not None:
                loop.append(segment)
        if loop is not None:
            yield loop

    def fail(self, segment: Segment, element: int, message: str, code: str) -> None:
        position = segment.position - self.tx.header.position + 1
        self.findings.append(
            SegmentFinding(
                Problem(
                    f"{self.where}/segment/{segment.position}",
                    f"{segment.where(element)}: {message}",
                ),
                segment.tag,
                position,
                SEGMENT_HAS_ELEMENT_ERRORS,
                element,
                code,
            )
        )

    def text(self, segment: Segment, element: int, required: bool = False) -> str | None:
        value = segment.get(element).strip()
        if not value:
            if required:
                self.fail(segment, element, "is empty, it is mandatory", ELEMENT_MISSING)
            return None
        return value

    def decimal(
        self, segment: Segment, element: int, required: bool = False, implied: int = 0
    ) -> Decimal | None:
        value = self.text(segment, element, required)
        if value is None:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or len(value) > 30:
            self.fail(segment, element, f"{value!r} is not a number", INVALID_CHARACTER)
            return None
        return number.scaleb(-implied) if implied else number

    def day(self, segment: Segment, element: int, required: bool = False) -> date | None:
        value = self.text(segment, element, required)
        if value is None:
            return None
        try:
            return edi_date(value, (CCYYMMDD, YYMMDD))
        except ValueError as reason:
            self.fail(segment, element, str(reason), INVALID_DATE)
            return None

    def moment(
        self, segment: Segment, day_element: int, time_element: int, zone: tzinfo
    ) -> datetime | None:
        """A date and an optional HHMM[SS] time, in ``zone``, as an instant in UTC. One with no
        date in UTC is a finding of its date element: the model would refuse it too, but only
        at the ST, without saying which segment held it."""
        day = self.day(segment, day_element, required=True)
        if day is None:
            return None
        value = segment.get(time_element).strip()
        try:
            clock = edi_time(value) if value else time(0)
        except ValueError as reason:
            self.fail(segment, time_element, str(reason), INVALID_TIME)
            return None
        try:
            return in_zone(datetime.combine(day, clock, tzinfo=zone), UTC)
        except ValueError as outside:
            self.fail(segment, day_element, str(outside), INVALID_DATE)
            return None

    def unit(self, segment: Segment, element: int) -> str:
        """The unit of measure as a Rec 20 code the model accepts (``EA`` when absent)."""
        value = (segment.get(element).strip() or "EA").upper()
        code = X12_UNITS.get(value, value)
        code = UNIT_ALIASES.get(code, code)
        if code not in UNIT_CODES:
            self.fail(segment, element, f"{value!r} is not a unit of measure we map", INVALID_CODE)
            return "EA"
        return code


def x12_unit(code: str | None) -> str:
    """A Rec 20 unit as X12 writes it (``CT`` carton is ``CA`` case); ``EA`` when unknown."""
    code = code or "H87"
    return REC20_TO_X12.get(code, code)


def zone_named(name: str | None) -> tzinfo:
    """A partner's configured zone (for envelope times, which carry none); UTC by default."""
    if not name or name.upper() == "UTC":
        return UTC
    return ZoneInfo(name)


# AT7-07 / G62-05 time codes (data element 623): US zones, standard, daylight or local rule.
US_ZONES = {
    "E": ("America/New_York", -5),
    "C": ("America/Chicago", -6),
    "M": ("America/Denver", -7),
    "P": ("America/Los_Angeles", -8),
    "A": ("America/Anchorage", -9),
    "H": ("Pacific/Honolulu", -10),
}


def zone_of_time_code(code: str, local: tzinfo) -> tuple[tzinfo, str | None] | None:
    """The zone a time code names, and its IANA name when it follows a place's rules;
    ``LT`` (local time) is the partner's zone; ``None`` for a code we do not know."""
    code = code.strip().upper()
    if code in ("", "LT"):
        return local, getattr(local, "key", None)
    if code in ("UT", "GM", "UTC", "Z"):
        return UTC, "UTC"
    if len(code) == 2 and code[0] in US_ZONES and code[1] in "TSD":
        name, offset = US_ZONES[code[0]]
        if code[1] == "T":
            return ZoneInfo(name), name
        return timezone(timedelta(hours=offset + (code[1] == "D"))), None
    return None


@dataclass(frozen=True)
class SetContext:
    """What a mapping needs besides the set: who sent it, when (the group's GS04/GS05 date,
    the event time when the set names none), the partner's zone and default currency."""

    partner: str
    at: datetime
    zone: tzinfo
    currency: str


Mapped = list[tuple[str, dict[str, Any]]]
"""What a mapping yields: (event type, payload) pairs, in the order the set states them."""


def product_ids(segment: Segment, first: int) -> dict[str, str]:
    """Qualifier/value pairs from element ``first`` on (PO1-06/07, LIN-02/03...)."""
    ids: dict[str, str] = {}
    for at in range(first, len(segment.elements) + 1, 2):
        qualifier, value = segment.get(at).strip(), segment.get(at + 1).strip()
        if qualifier and value:
            ids.setdefault(qualifier, value)
    return ids


SKU_QUALIFIERS = ("SK", "VP", "VN", "IN", "BP", "MG")
GTIN_QUALIFIERS = ("UK", "EN", "UP", "UA")


def sku_of(ids: dict[str, str]) -> str | None:
    """Our SKU from product ids: a SKU/vendor/buyer part number first, else the GTIN."""
    for qualifier in SKU_QUALIFIERS + GTIN_QUALIFIERS:
        if qualifier in ids:
            return ids[qualifier]
    return None
