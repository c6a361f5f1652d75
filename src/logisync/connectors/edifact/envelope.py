"""Reading an interchange: UNA/UNB..UNZ, optional UNG..UNE, UNH..UNT, every count and reference.

``read_interchange`` never raises. It returns what it could read and a ``Fault`` for each
thing wrong, at the level it spoils: a fault of the interchange (its header or trailer, a
segment outside any message) rejects everything; a group's rejects its messages; a message's
rejects that message only. Faults carry the CONTRL syntax error code (0085) so that the
acknowledgement can point at them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from logisync.connectors.edi.dates import CCYYMMDD, HHMM, YYMMDD, edi_date, edi_time
from logisync.connectors.edifact.syntax import (
    ENCODINGS,
    UNOA_CHARACTERS,
    Segment,
    Separators,
    SyntaxFault,
    tokenize,
)

FaultLevel = Literal["interchange", "group", "message"]


@dataclass(frozen=True)
class Fault:
    """One thing wrong. ``segment`` is the segment's position in the interchange (0 when the
    text could not be split); ``in_message`` its position in its message (UNH = 1)."""

    level: FaultLevel
    code: str
    message: str
    segment: int = 0
    tag: str = ""
    in_message: int | None = None
    element: int | None = None
    component: int | None = None


@dataclass
class Message:
    """UNH..UNT: ``segments`` includes both."""

    index: int
    reference: str
    type: str
    version: str
    release: str
    agency: str
    segments: list[Segment]
    group: Group | None = None
    faults: list[Fault] = field(default_factory=list)

    def fault(
        self,
        code: str,
        text: str,
        segment: Segment | None = None,
        element: int | None = None,
        component: int | None = None,
    ) -> None:
        """Record a fault of this message at ``segment`` (the UNH when none is given)."""
        at = segment or self.segments[0]
        self.faults.append(
            Fault(
                "message",
                code,
                text,
                at.position,
                at.tag,
                at.position - self.segments[0].position + 1,
                element,
                component,
            )
        )


@dataclass
class Group:
    """UNG..UNE."""

    index: int
    reference: str
    type: str
    sender: str
    recipient: str
    header: Segment
    messages: list[Message] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    start: int = 0
    end: int = 0


@dataclass
class Interchange:
    """One interchange as read; empty fields where the text did not say."""

    text: str = ""
    separators: Separators = field(default_factory=Separators)
    syntax: str = ""
    version: str = ""
    sender: str = ""
    sender_qualifier: str = ""
    recipient: str = ""
    recipient_qualifier: str = ""
    prepared: str = ""  # date:time as written in UNB S004
    prepared_at: datetime | None = None  # the same as a date and time (no zone); None if none
    reference: str = ""
    acknowledgement_requested: bool = False
    test: bool = False
    groups: list[Group] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(self.faults)


def read_interchange(raw: bytes) -> Interchange:
    """Read ``raw`` (one interchange) into an ``Interchange``; faults instead of exceptions."""
    read = Interchange()
    try:
        read.text, read.separators, body_start = _decode(raw)
        read.separators.check()
        segments = tokenize(read.text, read.separators, body_start)
    except SyntaxFault as fault:
        read.faults.append(
            Fault("interchange", fault.code, fault.message, fault.segment, "", None, fault.element)
        )
        return read
    _Walker(read, segments).walk()
    return read


def _decode(raw: bytes) -> tuple[str, Separators, int]:
    """The text, its separators and where the first segment after UNA starts."""
    head = raw.lstrip(b"\xef\xbb\xbf\r\n\t ")
    if head.startswith(b"UNA"):
        if len(head) < 9:
            raise SyntaxFault("18", "UNA must be followed by its six service characters")
        try:
            chars = head[3:9].decode("ascii")
        except UnicodeDecodeError:
            raise SyntaxFault("20", "UNA's service characters must be ASCII") from None
        release = "" if chars[3] == " " else chars[3]
        separators = Separators(chars[0], chars[1], chars[2], release, chars[4], chars[5])
        unb_at = 9
    else:
        if not head.startswith(b"UNB"):
            raise SyntaxFault("18", "an interchange starts with UNA or UNB")
        level_b = head[3:4] == b"\x1d"
        separators = Separators.of_level("UNOB" if level_b else "UNOA")
        unb_at = 0
    syntax = head[unb_at + 4 : unb_at + 8].decode("ascii", errors="replace")
    encoding = ENCODINGS.get(syntax, "latin-1")
    try:
        text = head.decode(encoding)
    except UnicodeDecodeError as error:
        position = head[: error.start].count(separators.terminator.encode("latin-1")) + 1
        raise SyntaxFault(
            "21",
            f"byte {error.start} is not a character of {syntax} ({encoding})",
            position,
        ) from None
    return text, separators, unb_at


class _Walker:
    """Walks the segments once, checking the envelope structure."""

    def __init__(self, read: Interchange, segments: list[Segment]) -> None:
        self.read = read
        self.segments = segments
        self.index = 0
        self.message_refs: set[str] = set()

    def fault(
        self,
        code: str,
        text: str,
        at: Segment | None,
        element: int | None = None,
        component: int | None = None,
    ) -> None:
        position, tag = (at.position, at.tag) if at else (0, "")
        self.read.faults.append(
            Fault("interchange", code, text, position, tag, None, element, component)
        )

    def walk(self) -> None:
        read, segments = self.read, self.segments
        if not segments or segments[0].tag != "UNB":
            self.fault("13", "the interchange has no UNB header", segments[0] if segments else None)
            return
        self.header(segments[0])
        if segments[-1].tag != "UNZ":
            self.fault("13", "the interchange has no UNZ trailer", segments[-1])
            body = segments[1:]
        else:
            body = segments[1:-1]
        kinds = self.body(body)
        if segments[-1].tag == "UNZ":
            self.trailer(segments[-1], kinds)
        if read.syntax == "UNOA":
            self.check_unoa()

    def header(self, unb: Segment) -> None:
        read = self.read
        read.syntax, read.version = unb.value(1, 1), unb.value(1, 2)
        if read.syntax not in ENCODINGS:
            self.fault("2", f"syntax identifier {read.syntax!r} is not supported", unb, 1)
        if read.version not in ("1", "2", "3", "4"):
            self.fault("2", f"syntax version {read.version!r} is not 1-4", unb, 1)
        read.sender, read.sender_qualifier = unb.value(2, 1), unb.value(2, 2)
        read.recipient, read.recipient_qualifier = unb.value(3, 1), unb.value(3, 2)
        read.prepared = f"{unb.value(4, 1)}:{unb.value(4, 2)}"
        read.reference = unb.value(5, 1)
        read.acknowledgement_requested = unb.value(9) == "1"
        read.test = unb.value(11) == "1"
        for number, name in ((2, "sender"), (3, "recipient"), (5, "control reference")):
            if not unb.value(number):
                self.fault("13", f"UNB has no interchange {name}", unb, number)
        prepared, wrong, component = read_preparation(unb.value(4, 1), unb.value(4, 2))
        if wrong is not None:
            self.fault("12", wrong, unb, 4, component)
        read.prepared_at = prepared
        if len(read.reference) > 14:
            self.fault("39", "the interchange control reference is longer than 14", unb, 5)

    def body(self, body: list[Segment]) -> set[str]:
        kinds: set[str] = set()
        position = 0
        while position < len(body):
            segment = body[position]
            if segment.tag == "UNG":
                kinds.add("group")
                position = self.group(body, position)
            elif segment.tag == "UNH":
                kinds.add("message")
                position = self.message(body, position, None)
            else:
                self.fault("33", f"{segment.tag} stands outside any message", segment)
                position += 1
        if kinds == {"group", "message"}:
            self.fault("30", "functional groups and lone messages are mixed", body[0])
        return kinds

    def group(self, body: list[Segment], position: int) -> int:
        ung = body[position]
        group = Group(
            len(self.read.groups) + 1,
            ung.value(5),
            ung.value(1),
            ung.value(2, 1),
            ung.value(3, 1),
            ung,
            start=ung.start,
        )
        self.read.groups.append(group)
        if not group.reference:
            group.faults.append(Fault("group", "13", "UNG has no group reference", 0, "UNG"))
        _, wrong, component = read_preparation(ung.value(4, 1), ung.value(4, 2))
        if wrong is not None:
            group.faults.append(
                Fault("group", "12", wrong, ung.position, "UNG", None, 4, component)
            )
        position += 1
        while position < len(body) and body[position].tag == "UNH":
            position = self.message(body, position, group)
        if position >= len(body) or body[position].tag != "UNE":
            at = body[position] if position < len(body) else ung
            group.faults.append(
                Fault("group", "13", "the group has no UNE trailer", at.position, at.tag)
            )
            return position
        une = body[position]
        group.end = une.end
        if une.value(1) != str(len(group.messages)):
            group.faults.append(
                Fault(
                    "group",
                    "29",
                    f"UNE counts {une.value(1)!r} messages, the group has {len(group.messages)}",
                    une.position,
                    "UNE",
                    None,
                    1,
                )
            )
        if une.value(2) != group.reference:
            group.faults.append(
                Fault(
                    "group",
                    "28",
                    f"UNE reference {une.value(2)!r} differs from UNG's {group.reference!r}",
                    une.position,
                    "UNE",
                    None,
                    2,
                )
            )
        return position + 1

    def message(self, body: list[Segment], position: int, group: Group | None) -> int:
        unh = body[position]
        end = position + 1
        while end < len(body) and body[end].tag not in ("UNT", "UNH", "UNE", "UNG"):
            end += 1
        closed = end < len(body) and body[end].tag == "UNT"
        segments = body[position : end + 1] if closed else body[position:end]
        message = Message(
            len(self.read.messages) + 1,
            unh.value(1),
            unh.value(2, 1),
            unh.value(2, 2),
            unh.value(2, 3),
            unh.value(2, 4),
            segments,
            group,
        )
        self.read.messages.append(message)
        if group is not None:
            group.messages.append(message)
        if not message.reference or not message.type:
            message.fault("13", "UNH needs a message reference and a message type", unh, 1)
        elif message.reference in self.message_refs:
            message.fault("26", f"message reference {message.reference!r} is used twice", unh, 1)
        self.message_refs.add(message.reference)
        if not closed:
            message.fault("13", "the message has no UNT trailer", segments[-1])
            return end
        unt = body[end]
        if unt.value(1) != str(len(segments)):
            message.fault(
                "29",
                f"UNT counts {unt.value(1)!r} segments, the message has {len(segments)}",
                unt,
                1,
            )
        if unt.value(2) != message.reference:
            message.fault(
                "28",
                f"UNT reference {unt.value(2)!r} differs from UNH's {message.reference!r}",
                unt,
                2,
            )
        return end + 1

    def trailer(self, unz: Segment, kinds: set[str]) -> None:
        read = self.read
        counted = len(read.groups) if "group" in kinds else len(read.messages)
        if unz.value(1) != str(counted):
            what = "groups" if "group" in kinds else "messages"
            self.fault(
                "29", f"UNZ counts {unz.value(1)!r} {what}, the interchange has {counted}", unz, 1
            )
        if unz.value(2) != read.reference:
            self.fault(
                "28",
                f"UNZ reference {unz.value(2)!r} differs from UNB's {read.reference!r}",
                unz,
                2,
            )

    def check_unoa(self) -> None:
        """Level A allows capitals, digits, space and a few signs; report the first breach."""
        separators = self.read.separators
        allowed = UNOA_CHARACTERS | {
            separators.component,
            separators.element,
            separators.terminator,
            separators.release,
            "\r",
            "\n",
        }
        for segment in self.segments:
            bad = next(
                (c for c in self.read.text[segment.start : segment.end] if c not in allowed), None
            )
            if bad is not None:
                self.fault("21", f"{bad!r} is not a UNOA character (use UNOC for more)", segment)
                return


def read_preparation(date: str, time: str) -> tuple[datetime | None, str | None, int | None]:
    """A UNB's or UNG's date and time of preparation (YYMMDD or CCYYMMDD, and HHMM) as a
    datetime with no zone; or None, what is wrong, and in which component (None: both).

    Digits of the right lengths are not enough: 261317 (month 13) read as 2000-01-01, the time
    of every event without one of its own."""
    if not date or not time:
        return None, "the date and time of preparation must be YYMMDD (or CCYYMMDD) and HHMM", None
    widths = (len(date),) if len(date) in (CCYYMMDD, YYMMDD) else (CCYYMMDD, YYMMDD)
    try:
        day = edi_date(date, widths)
    except ValueError as reason:
        return None, f"the preparation date {reason}", 1
    try:
        clock = edi_time(time, HHMM)
    except ValueError as reason:
        return None, f"the preparation time {reason}", 2
    return datetime.combine(day, clock), None, None
