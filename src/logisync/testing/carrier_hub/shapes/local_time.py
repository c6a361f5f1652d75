"""Local times and UTC offsets in the spellings carriers use."""

from __future__ import annotations

from datetime import datetime, timedelta

__all__ = ["offset_text"]


def offset_text(offset: timedelta, *, separator: str = ":", pad_hours: bool = True) -> str:
    """``-05:00`` (UPS Tracking, FedEx), ``-04.00`` (UPS Track Alert), ``-7:00`` (USPS)."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    hour_text = f"{hours:02d}" if pad_hours else str(hours)
    return f"{sign}{hour_text}{separator}{rest:02d}"


def compact_date(moment: datetime) -> str:
    return moment.strftime("%Y%m%d")


def compact_time(moment: datetime) -> str:
    return moment.strftime("%H%M%S")


def naive_iso(moment: datetime) -> str:
    """Local wall-clock time without an offset, as USPS and (sometimes) DHL send it."""
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")
