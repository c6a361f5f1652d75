"""CONTRL: the syntax and service report we send for every interchange we receive, and read
when a partner acknowledges one of ours.

Action codes (0083): 7 = this level (and lower ones not named) acknowledged, 4 = this level
and all lower ones rejected. A rejected interchange is one UCI with the first interchange
fault; otherwise each rejected group is a UCF and each rejected message a UCM, with a UCS per
faulty segment (its position in the message, UNH = 1) and a UCD per faulty data element
(0098 counts the segment tag as 1, so the first data element is 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from logisync.connectors.edifact.envelope import Fault, Group, Interchange, Message
from logisync.connectors.edifact.syntax import Segment

ACKNOWLEDGED, REJECTED = "7", "4"


def contrl_segments(received: Interchange) -> list[Segment]:
    """The CONTRL body (UCI..., without UNH/UNT) answering ``received``."""
    body: list[Segment] = []
    sender = (received.sender, received.sender_qualifier)
    recipient = (received.recipient, received.recipient_qualifier)
    if received.faults:
        first = received.faults[0]
        body.append(
            _seg(
                "UCI",
                (received.reference,),
                sender,
                recipient,
                (REJECTED,),
                (first.code,),
                (first.tag,),
                _s011(first),
            )
        )
        return body
    body.append(_seg("UCI", (received.reference,), sender, recipient, (ACKNOWLEDGED,)))
    lone = [m for m in received.messages if m.group is None]
    body.extend(s for m in lone if m.faults for s in _ucm(m))
    for group in received.groups:
        if group.faults or any(m.faults for m in group.messages):
            body.extend(_ucf(group))
    return body


def _ucf(group: Group) -> list[Segment]:
    if group.faults:
        first = group.faults[0]
        ucf = _seg(
            "UCF",
            (group.reference,),
            (group.sender,),
            (group.recipient,),
            (REJECTED,),
            (first.code,),
            (first.tag,),
            _s011(first),
        )
        return [ucf]
    ucf = _seg("UCF", (group.reference,), (group.sender,), (group.recipient,), (ACKNOWLEDGED,))
    return [ucf, *(s for m in group.messages if m.faults for s in _ucm(m))]


def _ucm(message: Message) -> list[Segment]:
    identifier = (message.type, message.version, message.release, message.agency)
    envelope_fault = next((f for f in message.faults if f.tag in ("UNH", "UNT")), None)
    if envelope_fault is not None:
        return [
            _seg(
                "UCM",
                (message.reference,),
                identifier,
                (REJECTED,),
                (envelope_fault.code,),
                (envelope_fault.tag,),
                _s011(envelope_fault),
            )
        ]
    segments = [_seg("UCM", (message.reference,), identifier, (REJECTED,))]
    by_segment: dict[int, list[Fault]] = {}
    for fault in message.faults:
        by_segment.setdefault(fault.in_message or 1, []).append(fault)
    for position, faults in sorted(by_segment.items()):
        elements = [f for f in faults if f.element is not None]
        code = faults[0].code if not elements else ""
        segments.append(_seg("UCS", (str(position),), (code,)))
        segments.extend(_seg("UCD", (f.code,), _s011(f)) for f in elements)
    return segments


def _s011(fault: Fault) -> tuple[str, ...]:
    if fault.element is None:
        return ("",)
    # A Fault's element counts data elements from 1 after the tag; 0098 counts the tag as 1.
    position = str(fault.element + 1)
    return (position, str(fault.component)) if fault.component else (position,)


def _seg(tag: str, *elements: tuple[str, ...]) -> Segment:
    return Segment(tag, tuple(elements))


@dataclass
class ContrlReport:
    """What a partner's CONTRL says about one of our interchanges."""

    interchange: str
    action: str
    error: str = ""
    rejected_messages: dict[str, str] = field(default_factory=dict)  # reference -> error code

    @property
    def accepted(self) -> bool:
        return self.action in ("7", "8") and not self.rejected_messages


def read_contrl(message: Message) -> ContrlReport | None:
    """The report in a received CONTRL; ``None`` (and a fault) when it has no UCI."""
    body = message.segments[1:-1]
    uci = next((s for s in body if s.tag == "UCI"), None)
    if uci is None:
        message.fault("13", "CONTRL needs a UCI segment")
        return None
    report = ContrlReport(uci.value(1), uci.value(4), uci.value(5))
    for ucm in (s for s in body if s.tag == "UCM"):
        if ucm.value(3) == REJECTED:
            report.rejected_messages[ucm.value(1)] = ucm.value(4)
    return report
