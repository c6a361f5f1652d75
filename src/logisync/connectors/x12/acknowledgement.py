"""997 functional acknowledgement: written for every group received, read for ours.

AK1 names the group (GS01, GS06); per set an AK2 (ST01, ST02), an AK3 per faulty segment
(with an AK4 per faulty element), and AK5 with A (accepted) or R (rejected) and the codes
why; AK9 closes with A, E (accepted with errors in the group envelope), P (some sets
rejected) or R, and the counts of sets included, received and accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

from logisync.connectors.x12.envelope import FunctionalGroup
from logisync.connectors.x12.reading import SetReader
from logisync.connectors.x12.writer import OutboundSet, SegmentData
from logisync.model.identifiers import is_ascii_digits


def write_997(group: FunctionalGroup) -> OutboundSet:
    segments: list[SegmentData] = [["AK1", _echo(group.functional_id), _echo(group.control)]]
    accepted = 0
    refused = group.prepared is None  # GS04/GS05 are no date and time: no set was read
    for tx in group.sets:
        segments.append(["AK2", _echo(tx.code), _echo(tx.control)])
        for finding in tx.findings[:50]:
            segments.append(
                ["AK3", _echo(finding.tag), str(finding.position or ""), "", finding.segment_code]
            )
            if finding.element is not None:
                segments.append(["AK4", str(finding.element), "", finding.element_code or ""])
        codes = list(dict.fromkeys(tx.rejections))
        if tx.findings and not codes:
            codes = ["5"]
        rejected = bool(codes) or refused  # X12 has no code for a bad GS date: AK5 R alone
        accepted += not rejected
        segments.append(["AK5", "R" if rejected else "A", *codes[:5]])
    total = len(group.sets)
    status = ("E" if group.errors else "A") if accepted == total else ("P" if accepted else "R")
    status = "R" if refused else status
    declared = group.trailer.get(1) if group.trailer is not None else str(total)
    declared = declared if is_ascii_digits(declared) else str(total)
    segments.append(["AK9", status, declared, str(total), str(accepted), *group.errors[:5]])
    return OutboundSet("997", segments)


def _echo(value: str) -> str:
    """A partner's id or control number as the 997 repeats it: these are identifier and
    numeric elements, so only letters and digits; anything else (even one of our separators,
    from a damaged file) is dropped rather than stop the acknowledgement."""
    return "".join(c for c in value if c.isascii() and c.isalnum())[:9]


@dataclass(frozen=True)
class GroupVerdict:
    """What a partner's 997 says about one of our groups."""

    functional_id: str
    group_control: str
    status: str  # AK9-01
    rejected_sets: tuple[str, ...]  # ST02 of sets with AK5 R


def read_997(reader: SetReader) -> GroupVerdict | None:
    ak1, ak9 = reader.require("AK1"), reader.require("AK9")
    if ak1 is None or ak9 is None:
        return None
    rejected: list[str] = []
    last_set = ""
    for segment in reader.tx.body:
        if segment.tag == "AK2":
            last_set = segment.get(2)
        elif segment.tag == "AK5" and segment.get(1) == "R":
            rejected.append(last_set)
    status = ak9.get(1)
    if status not in ("A", "E", "P", "R"):
        reader.fail(ak9, 1, f"{status!r} is not an acknowledgement code (A, E, P, R)", "7")
    return GroupVerdict(ak1.get(1), ak1.get(2), status, tuple(rejected))
