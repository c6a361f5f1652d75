"""The seeded scenario generator: a journey of carrier-specific scans for each shipment.

Given the same seed and the same registrations, it plans the same tracking numbers, places,
times and codes, so a failing test replays exactly. A journey is label -> pickup -> origin
departure -> 0-2 hub stops -> destination arrival, then the ending its outcome asks for.
Gaps between scans are 1-9 hours; the pieces of a multi-piece shipment move a few minutes
apart, and when delivered the last piece sometimes arrives a day late (a split shipment).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from logisync.testing.carrier_hub.carriers import Carrier, Place
from logisync.testing.carrier_hub.shipments import Piece, Scan, Shipment
from logisync.testing.carrier_hub.status_tables import (
    OUTCOMES,
    STATUSES,
    SUPPORTED_OUTCOMES,
    Outcome,
    Step,
)
from logisync.testing.carrier_hub.tracking_numbers import (
    dhl_piece_id,
    new_tracking_number,
    new_ups_shipper,
)

__all__ = ["EU_PLACES", "US_PLACES", "ScenarioGenerator"]

US_PLACES: tuple[Place, ...] = (
    Place("Atlanta", "GA", "30301", "US", "America/New_York"),
    Place("Louisville", "KY", "40201", "US", "America/New_York"),
    Place("Memphis", "TN", "38118", "US", "America/Chicago"),
    Place("Chicago", "IL", "60601", "US", "America/Chicago"),
    Place("Denver", "CO", "80202", "US", "America/Denver"),
    Place("Phoenix", "AZ", "85001", "US", "America/Phoenix"),
    Place("Los Angeles", "CA", "90001", "US", "America/Los_Angeles"),
    Place("Seattle", "WA", "98101", "US", "America/Los_Angeles"),
)
EU_PLACES: tuple[Place, ...] = (
    Place("Leipzig", "", "04435", "DE", "Europe/Berlin"),
    Place("Bonn", "", "53113", "DE", "Europe/Berlin"),
    Place("Amsterdam", "", "1043 AG", "NL", "Europe/Amsterdam"),
    Place("Brussels", "", "1000", "BE", "Europe/Brussels"),
    Place("London", "", "EC1A 1BB", "GB", "Europe/London"),
    Place("Lisbon", "", "1100-148", "PT", "Europe/Lisbon"),
)
_SERVICES: dict[Carrier, tuple[str, ...]] = {
    "ups": ("UPS Ground", "UPS Next Day Air", "UPS 2nd Day Air"),
    "fedex": ("FedEx Ground", "FedEx Priority Overnight", "FedEx Express Saver"),
    "dhl": ("express",),
    "usps": ("USPS Ground Advantage", "Priority Mail"),
}
_ENDINGS: dict[Outcome, tuple[Step, ...]] = {
    "delivered": ("out_for_delivery", "delivered"),
    "attempted": ("out_for_delivery", "attempt"),
    "exception": ("exception",),
    "returned": ("out_for_delivery", "attempt", "returned"),
    "held": ("out_for_delivery", "attempt", "held_for_pickup"),
}


class ScenarioGenerator:
    """Plans shipments from one seeded RNG; not thread-safe (the hub holds a lock)."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def choose_carrier(self) -> Carrier:
        return self._rng.choice(("ups", "fedex", "dhl", "usps"))

    def plan(
        self,
        carrier: Carrier,
        *,
        start: datetime,
        pieces: int = 1,
        outcome: Outcome | None = None,
        origin: Place | None = None,
        destination: Place | None = None,
    ) -> Shipment:
        """A shipment with valid numbers and the scans of its whole journey from ``start``."""
        rng = self._rng
        if outcome is None:
            outcome = rng.choice([o for o in OUTCOMES if o in SUPPORTED_OUTCOMES[carrier]])
        if outcome not in SUPPORTED_OUTCOMES[carrier]:
            supported = ", ".join(SUPPORTED_OUTCOMES[carrier])
            raise ValueError(f"{carrier} cannot express the outcome {outcome!r} ({supported})")
        if pieces < 1 or (carrier == "usps" and pieces != 1):
            raise ValueError(
                f"pieces={pieces}: a shipment has at least one piece, and USPS tracks each "
                "mail piece alone (register one USPS shipment per piece)"
            )
        region = EU_PLACES if carrier == "dhl" else US_PLACES
        origin = origin or rng.choice(region)
        destination = destination or rng.choice([p for p in region if p != origin])
        shipment = Shipment(
            carrier=carrier,
            tracking_number="",
            pieces=self._pieces(carrier, pieces),
            origin=origin,
            destination=destination,
            outcome=outcome,
            service=rng.choice(_SERVICES[carrier]),
            shipped_at=start,
        )
        hubs = rng.sample([p for p in region if p not in (origin, destination)], rng.randint(0, 2))
        journey = self._journey(outcome, start, origin, destination, hubs)
        self._attach_scans(shipment, journey)
        return shipment

    def _pieces(self, carrier: Carrier, count: int) -> tuple[Piece, ...]:
        if carrier == "dhl":
            waybill = new_tracking_number("dhl", self._rng)
            ids = [dhl_piece_id(self._rng) for _ in range(count)]
            return (Piece(waybill), *(Piece(piece_id) for piece_id in ids))
        shipper = new_ups_shipper(self._rng)
        return tuple(
            Piece(new_tracking_number(carrier, self._rng, ups_shipper=shipper))
            for _ in range(count)
        )

    def _journey(
        self,
        outcome: Outcome,
        start: datetime,
        origin: Place,
        destination: Place,
        hubs: list[Place],
    ) -> list[tuple[Step, datetime, Place]]:
        if outcome == "cancelled":
            steps: list[tuple[Step, Place]] = [("label", origin), ("void", origin)]
        else:
            steps = [("label", origin), ("pickup", origin), ("depart_origin", origin)]
            for hub in hubs:
                steps += [("arrive_hub", hub), ("depart_hub", hub)]
            steps.append(("arrive_destination", destination))
            steps += [(step, destination) for step in _ENDINGS[outcome]]
        moment = start
        journey = []
        for step, place in steps:
            journey.append((step, moment, place))
            moment += timedelta(seconds=self._rng.randint(3600, 9 * 3600))
        return journey

    def _attach_scans(
        self, shipment: Shipment, journey: list[tuple[Step, datetime, Place]]
    ) -> None:
        carrier = shipment.carrier
        table = STATUSES[carrier]
        # DHL Express reports the shipment as one stream under its waybill.
        tracked = shipment.pieces[:1] if carrier == "dhl" else shipment.pieces
        shipment.tracking_number = tracked[0].tracking_number
        late_piece = len(tracked) > 1 and shipment.outcome == "delivered"
        late_piece = late_piece and self._rng.random() < 0.5
        for index, piece in enumerate(tracked):
            lag = timedelta(minutes=self._rng.randint(0, 20) if index else 0)
            scans = []
            for sequence, (step, moment, place) in enumerate(journey, start=1):
                at = moment + lag if step not in ("label", "void") else moment
                if late_piece and index == len(tracked) - 1 and sequence >= len(journey) - 1:
                    at += timedelta(days=1)
                scans.append(
                    Scan(
                        scan_id=f"{carrier}:{piece.tracking_number}:{sequence:03d}",
                        carrier=carrier,
                        shipment_number=shipment.tracking_number,
                        tracking_number=piece.tracking_number,
                        sequence=sequence,
                        step=step,
                        status=table[step],
                        at=at.replace(microsecond=0),
                        place=place,
                    )
                )
            shipment.scans[piece.tracking_number] = scans
