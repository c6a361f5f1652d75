"""X12 syntax: the separators an interchange declares in its ISA, and its segments.

X12 has no fixed delimiters: every interchange names its own in the fixed-length ISA header.
The element separator is the character right after ``ISA``, the component separator is ISA16
(character 104) and the segment terminator follows it (character 105); from version 00501 on,
ISA11 is the repetition separator. Many partners end each segment with CR/LF as well, so line
breaks around a terminator are tolerated (unless a line break *is* the terminator).
"""

from __future__ import annotations

from dataclasses import dataclass

from logisync.errors import Problem
from logisync.model.identifiers import is_ascii_digits

ISA_LENGTH = 106
# ISA01..ISA16 widths: the ISA is the one fixed-length segment, so a wrong width means the
# separators read from fixed positions would be wrong too.
ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)


@dataclass(frozen=True)
class Separators:
    """The delimiters of one interchange; ``repetition`` is ``None`` before version 00501."""

    element: str = "*"
    component: str = ">"
    segment: str = "~"
    repetition: str | None = None


@dataclass(frozen=True)
class Segment:
    """One segment; ``position`` counts segments from 1 at the ISA of its interchange."""

    position: int
    tag: str
    elements: tuple[str, ...]

    def get(self, number: int) -> str:
        """Element ``number`` (1-based, as X12 numbers them: ``BEG03`` is ``get(3)``), or ""."""
        return self.elements[number - 1] if 0 < number <= len(self.elements) else ""

    def components(self, number: int, separators: Separators) -> list[str]:
        return self.get(number).split(separators.component)

    def where(self, element: int | None = None) -> str:
        """``segment 14 (SE)`` or ``segment 14 (SE), element 01``: how errors name a place."""
        place = f"segment {self.position} ({self.tag})"
        return place if element is None else f"{place}, element {element:02d}"


def decode(raw: bytes) -> str:
    """X12 text is ASCII (basic or extended set); Latin-1 keeps any byte, so a stray accented
    byte becomes a data error in the element that holds it rather than a decoding crash."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def read_separators(isa: str) -> Separators | Problem:
    """The separators declared by an ISA header (the 106 characters from ``ISA``)."""
    if len(isa) < ISA_LENGTH:
        return Problem(
            "segment 1 (ISA)",
            f"the ISA header is {len(isa)} characters, an ISA is exactly {ISA_LENGTH} "
            "(the interchange is cut short)",
        )
    element = isa[3]
    if element.isalnum() or element == " ":
        return Problem("segment 1 (ISA)", f"{element!r} after ISA cannot be an element separator")
    fields = isa[4:ISA_LENGTH].split(element)
    if len(fields) != 16:
        return Problem(
            "segment 1 (ISA)",
            f"the ISA has {len(fields)} elements in its {ISA_LENGTH} characters, it needs 16 "
            "(is it padded to its fixed widths?)",
        )
    for number, (value, width) in enumerate(zip(fields[:-1], ISA_WIDTHS, strict=False), 1):
        if len(value) != width:
            return Problem(
                f"segment 1 (ISA), element {number:02d}",
                f"{value!r} is {len(value)} characters, ISA{number:02d} is fixed at {width}",
            )
    component, segment = isa[104], isa[105]
    version = fields[11]
    repetition = fields[10] if is_ascii_digits(version) and version >= "00501" else None
    separators = Separators(element, component, segment, repetition)
    chosen = [s for s in (element, component, segment, repetition) if s is not None]
    if len(set(chosen)) != len(chosen) or any(s.isalnum() for s in chosen):
        return Problem(
            "segment 1 (ISA)",
            f"the separators {chosen!r} must be distinct and neither letters nor digits",
        )
    return separators


def split_segments(text: str, separators: Separators, first_position: int = 1) -> list[Segment]:
    """The segments of ``text``; blank pieces (line breaks after terminators) are skipped."""
    segments = []
    position = first_position
    for raw_piece in text.split(separators.segment):
        piece = raw_piece.strip("\r\n")
        if not piece.strip():
            continue
        tag, *elements = piece.split(separators.element)
        segments.append(Segment(position, tag.strip(), tuple(elements)))
        position += 1
    return segments
