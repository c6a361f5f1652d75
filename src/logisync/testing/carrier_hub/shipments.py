"""Shipments the hub carries and the scans each of their pieces receives.

A shipment has a lead tracking number and one piece per package; UPS and FedEx give every
piece its own tracking number (the first is the lead), DHL Express tracks the shipment's
waybill and lists its pieces' ids, USPS tracks each mail piece alone. A ``Scan`` is one step
of a piece's journey at a UTC instant and a place: the simulator renders it in the carrier's
shape, and its ``expected`` milestone is the answer a correct hub must reach.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from logisync.model.entities.logistics import Milestone
from logisync.model.lifecycle import LIFECYCLES
from logisync.testing.carrier_hub.carriers import Carrier, CarrierStatus, Place
from logisync.testing.carrier_hub.status_tables import Outcome, Step

__all__ = ["Piece", "Scan", "Shipment", "final_milestone", "latest_milestone", "shipment_milestone"]

_SHIPMENT = LIFECYCLES["shipment"]


@dataclass(frozen=True)
class Piece:
    """One package: its own tracking number (or DHL piece id)."""

    tracking_number: str


@dataclass(frozen=True)
class Scan:
    """One carrier scan of a piece; ``tracking_number`` is the number it is tracked under."""

    scan_id: str
    carrier: Carrier
    shipment_number: str
    tracking_number: str
    sequence: int
    step: Step
    status: CarrierStatus
    at: datetime
    place: Place

    @property
    def expected(self) -> Milestone:
        return self.status.milestone

    def describe(self) -> dict[str, object]:
        """The scan as JSON-ready facts (for ``/__sim__`` and test failure messages)."""
        return {
            "scan_id": self.scan_id,
            "carrier": self.carrier,
            "shipment_number": self.shipment_number,
            "tracking_number": self.tracking_number,
            "sequence": self.sequence,
            "step": self.step,
            "code": self.status.code,
            "status_type": self.status.status_type,
            "description": self.status.description,
            "expected_milestone": self.expected,
            "at": self.at.isoformat(),
            "city": self.place.city,
            "time_zone": self.place.time_zone,
        }


@dataclass
class Shipment:
    """A registered shipment and the scans planned for each tracked number, oldest first."""

    carrier: Carrier
    tracking_number: str
    pieces: tuple[Piece, ...]
    origin: Place
    destination: Place
    outcome: Outcome
    service: str
    shipped_at: datetime
    scans: dict[str, list[Scan]] = field(default_factory=dict)

    @property
    def tracked_numbers(self) -> tuple[str, ...]:
        """The numbers the carrier's tracking API answers for (DHL: only the waybill)."""
        return tuple(self.scans)

    def all_scans(self) -> list[Scan]:
        return sorted(
            (scan for scans in self.scans.values() for scan in scans),
            key=lambda scan: (scan.at, scan.tracking_number, scan.sequence),
        )


def latest_milestone(scans: list[Scan]) -> Milestone:
    """The milestone of the latest scan (what the carrier says last)."""
    if not scans:
        return "unknown"
    return max(scans, key=lambda scan: (scan.at, scan.sequence)).expected


def final_milestone(scans: list[Scan]) -> Milestone:
    """Where a hub that saw all ``scans`` of one piece ends, whatever their order: the
    milestone of highest rank in the shipment lifecycle, the newest among equals (an attempt
    after out-for-delivery shows, an exception after it does not lower it)."""
    if not scans:
        return "unknown"
    return max(scans, key=lambda s: (_SHIPMENT.rank(s.expected), s.at, s.sequence)).expected


def shipment_milestone(scans_by_piece: dict[str, list[Scan]]) -> Milestone:
    """A multi-piece shipment shows its least advanced piece (delivered only when all are),
    the newest among equals. Pieces share their label scan, so all are seen from the start."""
    winners = [
        max(scans, key=lambda s: (_SHIPMENT.rank(s.expected), s.at, s.sequence))
        for scans in scans_by_piece.values()
        if scans
    ]
    if not winners:
        return "unknown"
    return min(winners, key=lambda s: (_SHIPMENT.rank(s.expected), -s.at.timestamp())).expected
