"""ISO 9735 syntax: service characters, tokenizing segments, and writing them back.

Why not pydifact (0.2.3, evaluated): it drops the last segment silently when the text ends on
a release character, raises ``IndexError`` on ``UNB'``, knows no level-B separators (IS1/IS3/
IS4 when UNA is absent under UNOB), defaults the decimal mark to a comma where ISO 9735's
default service string is ``:+.? '``, reports errors by line and column only, and warns on
every service segment. We need segment positions and element numbers for CONTRL, and a
tokenizer that never raises anything but ``SyntaxFault``: the one below is ~100 lines.

Positions: segments count from 1 in the interchange; data elements count from 1 after the
tag (CONTRL's 0098 counts the tag as 1, so it adds one); components count from 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from logisync.model.identifiers import is_ascii_digits

LEVEL_A = (":", "+", ".", "?", " ", "'")
# Level B has no release character and uses the information separators IS1, IS3 and IS4.
LEVEL_B = ("\x1f", "\x1d", ".", "", "\x1e", "\x1c")

ENCODINGS: dict[str, str] = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "latin-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}
"""Syntax identifiers (0001) and the character sets they name."""

UNOA_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-()/='+:?!\"%&*;<>")


@dataclass(frozen=True)
class SyntaxFault(Exception):
    """The text breaks the syntax at ``segment`` (1-based; 0 = before any segment)."""

    code: str  # CONTRL syntax error code (0085)
    message: str
    segment: int = 0
    element: int | None = None
    component: int | None = None


@dataclass(frozen=True)
class Separators:
    """The service characters of one interchange (from UNA, else the level's defaults)."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = " "
    terminator: str = "'"

    @classmethod
    def of_level(cls, syntax: str) -> Separators:
        return cls(*(LEVEL_B if syntax == "UNOB" else LEVEL_A))

    @property
    def una(self) -> str:
        release = self.release or " "
        return f"UNA{self.component}{self.element}{self.decimal}{release}{self.repetition}" + (
            self.terminator
        )

    def check(self) -> None:
        """Separators must differ from each other and from letters and digits."""
        used = [self.component, self.element, self.terminator] + (
            [self.release] if self.release else []
        )
        if len(set(used)) != len(used):
            raise SyntaxFault("22", "UNA names the same character for two different services")
        if any(c.isalnum() for c in used):
            raise SyntaxFault("20", "UNA names a letter or digit as a service character")
        if self.decimal not in ".,":
            raise SyntaxFault("19", f"decimal mark {self.decimal!r} must be '.' or ','")


@dataclass(frozen=True)
class Segment:
    """One segment: its tag and its data elements, each a tuple of components."""

    tag: str
    elements: tuple[tuple[str, ...], ...] = ()
    position: int = 0
    start: int = 0  # character offset of the tag in the text
    end: int = 0  # offset just past the terminator

    def value(self, element: int, component: int = 1) -> str:
        """The text of a component ("" when absent); both count from 1."""
        if element < 1 or element > len(self.elements):
            return ""
        parts = self.elements[element - 1]
        return parts[component - 1] if 1 <= component <= len(parts) else ""


def tokenize(text: str, separators: Separators, start: int = 0) -> list[Segment]:
    """Split ``text[start:]`` into segments; raise ``SyntaxFault`` at the first break."""
    segments: list[Segment] = []
    element, component, release = separators.element, separators.component, separators.release
    terminator = separators.terminator
    elements: list[tuple[str, ...]] = []
    components: list[str] = []
    chars: list[str] = []
    position, index, n = 1, start, len(text)
    begin = _skip_line_breaks(text, index)
    index = begin
    while index < n:
        char = text[index]
        if release and char == release:
            if index + 1 >= n:
                raise SyntaxFault("22", "the text ends on a release character", position)
            chars.append(text[index + 1])
            index += 2
            continue
        if char == component:
            components.append("".join(chars))
            chars = []
        elif char == element:
            components.append("".join(chars))
            elements.append(tuple(components))
            components, chars = [], []
        elif char == terminator:
            components.append("".join(chars))
            elements.append(tuple(components))
            segments.append(_segment(elements, position, begin, index + 1))
            position += 1
            elements, components, chars = [], [], []
            index = begin = _skip_line_breaks(text, index + 1)
            continue
        else:
            chars.append(char)
        index += 1
    if elements or components or chars:
        raise SyntaxFault("18", "the last segment has no segment terminator", position)
    return segments


def _skip_line_breaks(text: str, index: int) -> int:
    while index < len(text) and text[index] in "\r\n":
        index += 1
    return index


def _segment(elements: list[tuple[str, ...]], position: int, start: int, end: int) -> Segment:
    tag_parts = elements[0]
    tag = tag_parts[0]
    if len(tag) != 3 or not tag.isalnum() or (not tag.isupper() and not is_ascii_digits(tag)):
        raise SyntaxFault("18", f"{tag[:10]!r} is not a segment tag (three capitals)", position)
    return Segment(tag, tuple(elements[1:]), position, start, end)


def serialize(segments: list[Segment], separators: Separators, una: bool = True) -> str:
    """The text of ``segments``, service characters in values released, trailing empty
    components and elements left out."""
    special = {separators.component, separators.element, separators.terminator}
    if separators.release:
        special.add(separators.release)
    parts = [separators.una] if una else []

    def escape(value: str) -> str:
        if not separators.release:
            if any(c in special for c in value):
                raise ValueError(f"{value!r} holds a separator and level B cannot release it")
            return value
        return "".join(separators.release + c if c in special else c for c in value)

    for segment in segments:
        elements = [
            separators.component.join(escape(c) for c in _trim(list(e))) for e in segment.elements
        ]
        text = separators.element.join([segment.tag, *_trim(elements)])
        parts.append(text + separators.terminator)
    return "".join(parts)


def _trim(values: list[str]) -> list[str]:
    while values and values[-1] == "":
        values.pop()
    return values


def parse_decimal(text: str) -> Decimal:
    """A numeric value: either decimal mark is accepted (ISO 9735 allows both; EDIFACT has no
    thousands separator, so a comma can only be the mark), a leading minus sign too."""
    body = text.removeprefix("-")
    if not body or body.count(".") + body.count(",") > 1:
        raise ValueError(f"{text!r} is not a number")
    if body[0] in ".,":
        raise ValueError(f"{text!r} needs a digit before the decimal mark")
    if not all(c in "0123456789.," for c in body):
        raise ValueError(f"{text!r} is not a number")
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None


def format_decimal(value: Decimal, mark: str = ".") -> str:
    """A number as EDIFACT writes it: no exponent, no trailing zeros, the chosen mark."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", mark)
