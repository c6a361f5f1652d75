"""X12 envelopes: ISA/IEA around GS/GE groups around ST/SE transaction sets, and their checks.

Each trailer repeats its header's control number and counts what it closes (IEA01 groups,
GE01 sets, SE01 segments including ST and SE). A mismatch means a damaged or truncated
transmission; it is reported at the trailer's segment and element, and a set whose own
envelope is broken is rejected in the 997 (AK5) with the X12 code for what was wrong. A group
whose GS04/GS05 are no date and time is refused whole: that time is the time of every fact
that names none.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time

from logisync.connectors.edi.dates import HHMM, YYMMDD, edi_date, edi_time
from logisync.connectors.x12.syntax import (
    ISA_LENGTH,
    Segment,
    Separators,
    decode,
    read_separators,
    split_segments,
)
from logisync.errors import Problem
from logisync.model.identifiers import is_ascii_digits

# AK5-02 / AK9-05 codes (X12 data elements 718 and 716) for envelope faults.
SET_NOT_SUPPORTED = "1"
SET_TRAILER_MISSING = "2"
SET_CONTROL_MISMATCH = "3"
SET_COUNT_MISMATCH = "4"
SET_SEGMENTS_IN_ERROR = "5"
SET_CONTROL_NOT_UNIQUE = "23"
GROUP_TRAILER_MISSING = "3"
GROUP_CONTROL_MISMATCH = "4"
GROUP_COUNT_MISMATCH = "5"


@dataclass(frozen=True)
class SegmentFinding:
    """What is wrong in a set, located for the 997: AK3 (segment, code 718-style 8/3/2) and,
    when an element is at fault, AK4 (element number and its error code)."""

    problem: Problem
    tag: str
    position: int | None  # within the set, ST = 1; None for a missing segment
    segment_code: str
    element: int | None = None
    element_code: str | None = None


@dataclass
class TransactionSet:
    index: int
    header: Segment
    body: list[Segment] = field(default_factory=list)
    trailer: Segment | None = None
    rejections: list[str] = field(default_factory=list)  # AK5-02 codes
    findings: list[SegmentFinding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.header.get(1)

    @property
    def control(self) -> str:
        return self.header.get(2)

    @property
    def accepted(self) -> bool:
        return not self.rejections and not self.findings


@dataclass
class FunctionalGroup:
    index: int
    header: Segment
    sets: list[TransactionSet] = field(default_factory=list)
    trailer: Segment | None = None
    errors: list[str] = field(default_factory=list)  # AK9-05 codes
    problems: list[Problem] = field(default_factory=list)
    prepared: datetime | None = None  # GS04/GS05 as written (no zone); None: no set is read
    first_with_control: dict[str, int] = field(default_factory=dict)  # ST02 -> set index

    @property
    def functional_id(self) -> str:
        return self.header.get(1)

    @property
    def control(self) -> str:
        return self.header.get(6)


@dataclass
class Interchange:
    index: int
    header: Segment
    separators: Separators
    digest: str
    groups: list[FunctionalGroup] = field(default_factory=list)
    trailer: Segment | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def control(self) -> str:
        return self.header.get(13)

    @property
    def sender(self) -> str:
        return self.header.get(6).strip()

    @property
    def receiver(self) -> str:
        return self.header.get(8).strip()

    @property
    def version(self) -> str:
        return self.header.get(12)


def parse_interchanges(raw: bytes) -> tuple[list[Interchange], list[Problem]]:
    """Every interchange in ``raw`` with its envelope checked; problems that stop reading
    (no ISA, an unreadable header) are returned beside them."""
    text = decode(raw).lstrip("\ufeff \t\r\n")
    interchanges: list[Interchange] = []
    while text.strip():
        index = len(interchanges) + 1
        where = f"/interchange/{index}"
        if not text.startswith("ISA"):
            shown = text[:20]
            return interchanges, [Problem(where, f"expected an ISA header, found {shown!r}")]
        separators = read_separators(text[:ISA_LENGTH])
        if isinstance(separators, Problem):
            return interchanges, [Problem(where, f"{separators.location}: {separators.message}")]
        isa_text, rest = text[: ISA_LENGTH - 1], text[ISA_LENGTH:]
        isa = split_segments(isa_text, separators)[0]
        body_text, rest = _until_trailer(rest, separators)
        digest = hashlib.sha256((isa_text + body_text).encode("utf-8", "replace")).hexdigest()
        interchange = Interchange(index, isa, separators, digest)
        _check_interchange_time(interchange)
        _build(interchange, split_segments(body_text, separators, first_position=2))
        interchanges.append(interchange)
        text = rest.lstrip("\r\n \t")
    if not interchanges:
        return [], [Problem("", "the file is empty: an X12 interchange starts with ISA")]
    return interchanges, []


def _until_trailer(text: str, separators: Separators) -> tuple[str, str]:
    """Split at the end of the IEA segment: the interchange's text, and what follows it."""
    offset = 0
    while True:
        end = text.find(separators.segment, offset)
        if end < 0:
            return text, ""
        if text[offset:end].strip("\r\n \t").startswith("IEA" + separators.element):
            return text[: end + 1], text[end + 1 :]
        offset = end + 1


def _build(interchange: Interchange, segments: list[Segment]) -> None:
    where = f"/interchange/{interchange.index}"
    group: FunctionalGroup | None = None
    current: TransactionSet | None = None
    for segment in segments:
        if interchange.trailer is not None:
            interchange.problems.append(
                Problem(where, f"{segment.where()}: comes after the IEA trailer")
            )
            break
        if segment.tag in ("ISA", "GS", "GE", "IEA") and current is not None:
            assert group is not None
            _close_set(group, current, None, where)
            current = None
        if segment.tag == "GS":
            if group is not None:
                _close_group(interchange, group, None)
            group = FunctionalGroup(len(interchange.groups) + 1, segment)
            interchange.groups.append(group)
            _read_group_time(group, where)
        elif segment.tag == "GE" and group is not None:
            _close_group(interchange, group, segment)
            group = None
        elif segment.tag == "IEA":
            if group is not None:
                _close_group(interchange, group, None)
                group = None
            interchange.trailer = segment
        elif segment.tag == "ST" and group is not None:
            if current is not None:
                _close_set(group, current, None, where)
            current = TransactionSet(len(group.sets) + 1, segment)
            group.sets.append(current)
        elif segment.tag == "SE" and current is not None and group is not None:
            _close_set(group, current, segment, where)
            current = None
        elif current is not None:
            current.body.append(segment)
        else:
            interchange.problems.append(
                Problem(where, f"{segment.where()}: a {segment.tag} segment outside any set")
            )
    if current is not None and group is not None:
        _close_set(group, current, None, where)
    if group is not None:
        _close_group(interchange, group, None)
    _check_interchange(interchange)


def _close_set(
    group: FunctionalGroup, tx: TransactionSet, trailer: Segment | None, where: str
) -> None:
    here = f"{where}/group/{group.index}/message/{tx.index}"
    tx.trailer = trailer
    if trailer is None:
        tx.rejections.append(SET_TRAILER_MISSING)
        tx.problems.append(Problem(here, f"{tx.header.where()}: the set has no SE trailer"))
        return
    counted = len(tx.body) + 2
    if trailer.get(1) != str(counted):
        tx.rejections.append(SET_COUNT_MISMATCH)
        tx.problems.append(
            Problem(
                f"{here}/segment/{trailer.position}",
                f"{trailer.where(1)}: says {trailer.get(1) or 'nothing'} segments, "
                f"the set has {counted}",
            )
        )
    if trailer.get(2) != tx.control or not tx.control:
        tx.rejections.append(SET_CONTROL_MISMATCH)
        tx.problems.append(
            Problem(
                f"{here}/segment/{trailer.position}",
                f"{trailer.where(2)}: control number {trailer.get(2)!r} differs from "
                f"ST02 {tx.control!r}",
            )
        )
    _check_control_unique(group, tx, here)


def _check_control_unique(group: FunctionalGroup, tx: TransactionSet, here: str) -> None:
    """A set's events take their ids from its ST02: a second set with the same number in the
    group would be journaled as a repeat of the first, its facts dropped while the 997
    accepted it. Rejected instead (718 code 23), with the set it repeats named."""
    if not tx.control:
        return
    first = group.first_with_control.setdefault(tx.control, tx.index)
    if first == tx.index:
        return
    tx.rejections.append(SET_CONTROL_NOT_UNIQUE)
    tx.problems.append(
        Problem(
            f"{here}/segment/{tx.header.position}",
            f"{tx.header.where(2)}: control number {tx.control!r} is set {first}'s "
            "already; each set of a group needs its own",
        )
    )


def _check_interchange_time(interchange: Interchange) -> None:
    """ISA09 (YYMMDD) and ISA10 (HHMM) must be a real date and time, as for GS04/05: a
    partner's translator that writes garbage there is refused before any of its data is read
    (X12's TA1 names these 014 and 015)."""
    isa = interchange.header
    for element, read in ((9, _isa_date), (10, _isa_time)):
        try:
            read(isa.get(element))
        except ValueError as reason:
            where = f"/interchange/{interchange.index}"
            interchange.problems.append(Problem(where, f"{isa.where(element)}: {reason}"))


def _isa_date(text: str) -> date:
    return edi_date(text, (YYMMDD,))


def _isa_time(text: str) -> time:
    return edi_time(text, HHMM)


def _read_group_time(group: FunctionalGroup, where: str) -> None:
    """GS04 and GS05 as the group's ``prepared`` time, or a problem of the group naming the
    element and why: 20261317 (month 13) was read as 1970-01-01, the time of every fact in
    the group without one of its own."""
    header = group.header
    try:
        day = edi_date(header.get(4))
    except ValueError as reason:
        wrong = f"{header.where(4)}: {reason}"
    else:
        try:
            group.prepared = datetime.combine(day, edi_time(header.get(5)))
            return
        except ValueError as reason:
            wrong = f"{header.where(5)}: {reason}"
    group.problems.append(
        Problem(f"{where}/group/{group.index}", f"{wrong}; none of the group's sets is read")
    )


def _close_group(interchange: Interchange, group: FunctionalGroup, trailer: Segment | None) -> None:
    here = f"/interchange/{interchange.index}/group/{group.index}"
    group.trailer = trailer
    if trailer is None:
        group.errors.append(GROUP_TRAILER_MISSING)
        group.problems.append(Problem(here, f"{group.header.where()}: the group has no GE"))
        return
    if trailer.get(1) != str(len(group.sets)):
        group.errors.append(GROUP_COUNT_MISMATCH)
        group.problems.append(
            Problem(
                here,
                f"{trailer.where(1)}: says {trailer.get(1) or 'nothing'} sets, "
                f"the group has {len(group.sets)}",
            )
        )
    if trailer.get(2) != group.control or not group.control:
        group.errors.append(GROUP_CONTROL_MISMATCH)
        group.problems.append(
            Problem(
                here,
                f"{trailer.where(2)}: control number {trailer.get(2)!r} differs from "
                f"GS06 {group.control!r}",
            )
        )


def _check_interchange(interchange: Interchange) -> None:
    here = f"/interchange/{interchange.index}"
    trailer = interchange.trailer
    if not is_ascii_digits(interchange.control) or len(interchange.control) != 9:
        interchange.problems.append(
            Problem(
                here,
                f"{interchange.header.where(13)}: {interchange.control!r} is not a "
                "nine-digit control number",
            )
        )
    if trailer is None:
        interchange.problems.append(
            Problem(here, "the interchange has no IEA trailer: it may be cut short")
        )
        return
    if trailer.get(1) != str(len(interchange.groups)):
        interchange.problems.append(
            Problem(
                here,
                f"{trailer.where(1)}: says {trailer.get(1) or 'nothing'} groups, "
                f"the interchange has {len(interchange.groups)}",
            )
        )
    if trailer.get(2) != interchange.control:
        interchange.problems.append(
            Problem(
                here,
                f"{trailer.where(2)}: control number {trailer.get(2)!r} differs from "
                f"ISA13 {interchange.control!r}",
            )
        )
