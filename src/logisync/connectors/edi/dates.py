"""EDI dates and times, read one way everywhere: X12 envelopes (ISA, GS) and sets, EDIFACT
UNB and UNG alike.

A date is CCYYMMDD, or YYMMDD where the standard allows it (X12's ISA09 and versions before
4010, EDIFACT's UNB/UNG); a time is HHMM, HHMMSS, HHMMSSD or HHMMSSDD (X12's TM; EDIFACT's
envelopes take HHMM only). Anything else is refused with the reason, never padded or guessed:
a ``93`` read as 09:30, or a date with a blank in it read as the first of the month, would
date a delivery by a guess.
"""

from __future__ import annotations

from datetime import date, time

from logisync.model.identifiers import is_ascii_digits

CCYYMMDD = 8
YYMMDD = 6
_FORMATS = {CCYYMMDD: "CCYYMMDD", YYMMDD: "YYMMDD"}
TIMES = (4, 6, 7, 8)
"""TM lengths: HHMM, HHMMSS, HHMMSSD, HHMMSSDD."""
HHMM = (4,)
"""The one time length envelopes take (ISA10, EDIFACT's UNB and UNG)."""


def edi_date(text: str, widths: tuple[int, ...] = (CCYYMMDD,)) -> date:
    """``text`` as a date of one of ``widths`` digits; ValueError saying why otherwise. A
    two-digit year is 2000-2068 or 1969-1999, as ``strptime``'s ``%y`` reads it."""
    expected = " or ".join(_FORMATS[width] for width in widths)
    if not (is_ascii_digits(text) and len(text) in widths):
        raise ValueError(f"{text!r} is not a date ({expected})")
    if len(text) == YYMMDD:
        short = int(text[:2])
        year = (2000 if short < 69 else 1900) + short
        month, day = int(text[2:4]), int(text[4:])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    try:
        return date(year, month, day)
    except ValueError as reason:
        raise ValueError(f"{text!r} is not a date ({expected}): {reason}") from None


def edi_time(text: str, lengths: tuple[int, ...] = TIMES) -> time:
    """``text`` as a time of one of ``lengths`` digits (tenths and hundredths of a second
    kept); ValueError saying why otherwise."""
    expected = ", ".join(("HHMM", "HHMMSS", "HHMMSSD", "HHMMSSDD")[TIMES.index(n)] for n in lengths)
    expected = " or ".join(expected.rsplit(", ", 1))
    if not (is_ascii_digits(text) and len(text) in lengths):
        raise ValueError(f"{text!r} is not a time ({expected})")
    fraction = int(text[6:].ljust(6, "0"))  # D or DD: tenths or hundredths, as microseconds
    try:
        return time(int(text[:2]), int(text[2:4]), int(text[4:6] or 0), fraction)
    except ValueError as reason:
        raise ValueError(f"{text!r} is not a time ({expected}): {reason}") from None
