"""What every inbound message mapping needs: dates, numbers, parties, and faults located at
the segment and element they come from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from logisync.connectors.edifact.envelope import Message
from logisync.connectors.edifact.syntax import Segment, parse_decimal
from logisync.model.identifiers import is_ascii_digits
from logisync.model.values import in_zone

DATE_FORMATS = {"102": "%Y%m%d", "203": "%Y%m%d%H%M", "204": "%Y%m%d%H%M%S"}
DATE_LENGTHS = {"102": 8, "203": 12, "204": 14}
"""DTM format qualifiers (2379) we read: the ones partners send for dates and times."""


@dataclass
class Reading:
    """One message being mapped. Times without a zone are in ``zone`` (the partner's)."""

    message: Message
    zone: tzinfo = UTC

    @property
    def body(self) -> list[Segment]:
        return self.message.segments[1:-1]

    def all(self, tag: str, qualifier: str | None = None) -> Iterator[Segment]:
        for segment in self.body:
            if segment.tag == tag and (qualifier is None or segment.value(1) == qualifier):
                yield segment

    def first(self, tag: str, qualifier: str | None = None) -> Segment | None:
        return next(self.all(tag, qualifier), None)

    def dated(self, qualifier: str, within: list[Segment] | None = None) -> Segment | None:
        """The first DTM whose qualifier (2005) is ``qualifier``."""
        segments = self.body if within is None else within
        return next((s for s in segments if s.tag == "DTM" and s.value(1, 1) == qualifier), None)

    def required(self, tag: str, qualifier: str | None = None) -> Segment | None:
        found = self.first(tag, qualifier)
        if found is None:
            what = f"{tag}+{qualifier}" if qualifier else tag
            self.message.fault("13", f"{self.message.type} needs a {what} segment")
        return found

    def text(self, segment: Segment, element: int, component: int = 1, name: str = "") -> str:
        """A mandatory value: a fault when it is empty."""
        value = segment.value(element, component)
        if not value:
            self.message.fault(
                "13", f"{segment.tag} has no {name or 'value'}", segment, element, component
            )
        return value

    def number(self, segment: Segment, element: int, component: int = 1) -> Decimal | None:
        value = segment.value(element, component)
        if not value:
            self.message.fault("13", f"{segment.tag} has no number", segment, element, component)
            return None
        try:
            return parse_decimal(value)
        except ValueError as error:
            code = "38" if value.lstrip("-")[:1] in (".", ",") else "12"
            self.message.fault(code, str(error), segment, element, component)
            return None

    def moment(self, dtm: Segment | None) -> datetime | None:
        """A DTM's date or time as an aware instant."""
        local = self._as_written(dtm)
        if dtm is None or local is None:
            return None
        try:
            return in_zone(local.replace(tzinfo=self.zone), UTC)
        except ValueError as outside:
            self.message.fault("12", f"{dtm.value(1, 2)!r} is no time in UTC: {outside}", dtm, 1, 2)
            return None

    def day(self, dtm: Segment | None) -> date | None:
        """A DTM's date as the partner wrote it: a date has no zone, so it does not go
        through UTC (where 00010101 in Berlin would be in year 0)."""
        local = self._as_written(dtm)
        return None if local is None else local.date()

    def _as_written(self, dtm: Segment | None) -> datetime | None:
        """A DTM's date or time as the partner wrote it, without a zone."""
        if dtm is None:
            return None
        value, form = dtm.value(1, 2), dtm.value(1, 3) or "102"
        pattern = DATE_FORMATS.get(form)
        if pattern is None:
            self.message.fault(
                "14", f"date format {form!r} is not read (use 102, 203 or 204)", dtm, 1, 3
            )
            return None
        try:
            if len(value) != DATE_LENGTHS[form] or not is_ascii_digits(value):
                raise ValueError(value)
            return datetime.strptime(value, pattern)
        except ValueError:
            self.message.fault("12", f"{value!r} is not a date in format {form}", dtm, 1, 2)
            return None

    def address(self, nad: Segment) -> dict[str, Any]:
        """NAD's street (C059), city (3164), region (3229), postcode (3251), country (3207)."""
        fields = {
            "street": nad.value(5, 1),
            "street2": nad.value(5, 2),
            "city": nad.value(6),
            "region": nad.value(7),
            "postal_code": nad.value(8),
            "country": nad.value(9),
        }
        return {key: value for key, value in fields.items() if value}

    def item(
        self, lin: Segment, currency: str | None, quantities: tuple[str, ...]
    ) -> tuple[str, dict[str, Any]]:
        """A LIN group's article (GTIN in LIN, or the seller's number in PIA ...:SA) and its
        QTY (first qualifier in ``quantities``), PRI, IMD description and TAX rate."""
        sku, line = lin.value(3, 1), dict[str, Any]()
        for segment in self.after(lin, ("LIN", "UNS", "CPS")):
            if segment.tag == "PIA" and segment.value(2, 2) == "SA":
                sku = segment.value(2, 1)
            elif segment.tag == "IMD" and segment.value(3, 4):
                line["description"] = segment.value(3, 4)
            elif segment.tag == "QTY" and segment.value(1, 1) in quantities:
                value = self.number(segment, 1, 2)
                if value is not None:
                    line["quantity"] = {"value": str(value), "unit": segment.value(1, 3) or "H87"}
            elif segment.tag == "PRI" and currency:
                price = self.number(segment, 1, 2)
                if price is not None:
                    line["unit_price"] = {"amount": str(price), "currency": currency}
            elif segment.tag == "TAX" and segment.value(5, 4):
                line["tax_rate"] = segment.value(5, 4).replace(",", ".")
        return sku, line

    def after(self, anchor: Segment, stop: tuple[str, ...]) -> Iterator[Segment]:
        """The segments following ``anchor`` until one whose tag is in ``stop``."""
        body = self.body
        start = body.index(anchor) + 1
        for segment in body[start:]:
            if segment.tag in stop:
                return
            yield segment
