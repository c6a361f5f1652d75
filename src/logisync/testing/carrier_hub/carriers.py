"""The carriers the hub plays, the places their scans happen, and the statuses they report.

A ``CarrierStatus`` is what one carrier says about a step of a journey (its own code, type
and text) together with the canonical milestone a correct hub derives from it: the expected
answer that tests compare the hub's end state with. The codes come from CARRIERS_EDI.md §2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from logisync.model.entities.logistics import Milestone

__all__ = ["CARRIERS", "PUSHING_CARRIERS", "Carrier", "CarrierStatus", "Place"]

Carrier = Literal["ups", "fedex", "dhl", "usps"]
CARRIERS: tuple[Carrier, ...] = ("ups", "fedex", "dhl", "usps")
# DHL and USPS only answer polls.
PUSHING_CARRIERS: tuple[Carrier, ...] = ("ups", "fedex")


@dataclass(frozen=True)
class Place:
    """Where a scan happened; ``time_zone`` (IANA) turns its UTC instant into local time."""

    city: str
    state: str
    postal_code: str
    country: str
    time_zone: str

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(ZoneInfo(self.time_zone))

    def utc_offset(self, moment: datetime) -> timedelta:
        offset = self.local(moment).utcoffset()
        assert offset is not None  # a ZoneInfo always knows its offset
        return offset


@dataclass(frozen=True)
class CarrierStatus:
    """One carrier's status for a step: ``code`` and ``description`` as the carrier sends them.

    ``status_type`` is UPS's activity type (M, MV, P, I, D, X) or DHL's ``statusCode``
    (pre-transit, transit, delivered, failure); ``detail_code`` is UPS's descriptionCode or
    FedEx's exceptionCode. ``return_flag`` marks a DHL shipment going back to its shipper.
    """

    code: str
    description: str
    milestone: Milestone
    status_type: str = ""
    detail_code: str = ""
    detail_description: str = ""
    return_flag: bool = False
