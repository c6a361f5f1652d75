"""Building outbound segments: values in, ``Segment`` out, with dates and numbers formatted."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from logisync.connectors.edifact.syntax import Segment, format_decimal
from logisync.errors import PermanentDeliveryError
from logisync.model.values import date_text, in_zone


class Writing:
    """Collects a message body; ``decimal`` is the mark numbers are written with."""

    def __init__(self, decimal: str = ".", zone: tzinfo = UTC) -> None:
        self.segments: list[Segment] = []
        self.decimal = decimal
        self.zone = zone

    def add(self, tag: str, *elements: str | list[str] | None) -> None:
        parts = tuple(tuple(e) if isinstance(e, list) else (e or "",) for e in elements)
        self.segments.append(Segment(tag, parts))

    def number(self, value: Any) -> str:
        return format_decimal(Decimal(str(value)), self.decimal)

    def dtm(self, qualifier: str, value: str | None) -> None:
        """DTM from ISO text: a date as 102, an instant as 204 in the partner's zone."""
        if not value:
            return
        if "T" in value:
            moment = in_zone(datetime.fromisoformat(value), self.zone, PermanentDeliveryError)
            self.add("DTM", [qualifier, date_text(moment, "%Y%m%d%H%M%S"), "204"])
        else:
            self.add("DTM", [qualifier, date_text(date.fromisoformat(value), "%Y%m%d"), "102"])

    def nad(self, qualifier: str, party: str | None, address: dict[str, Any] | None) -> None:
        address = address or {}
        street = [address.get("street") or "", address.get("street2") or ""]
        self.add(
            "NAD",
            qualifier,
            [party or "", "", "92"] if party else None,
            None,
            None,
            street,
            address.get("city"),
            address.get("region"),
            address.get("postal_code"),
            address.get("country"),
        )
