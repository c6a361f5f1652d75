"""The carrier hub's state: registered shipments, the simulated clock, faults and records.

``CarrierHub`` is what both the HTTP server and the test's handle talk to. It owns one
``ManualClock``: a scan is visible (in polls) and due (for pushes) once the clock has reached
its time, plus ``late_seconds`` if the fault plan makes it late. Everything random comes from
the seed: the scenarios, the faults and which DHL timestamps lose their offset.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from logisync.core.clock import ManualClock
from logisync.testing.carrier_hub.carriers import CARRIERS, Carrier, Place
from logisync.testing.carrier_hub.faults import CarrierFaultPlan, draw
from logisync.testing.carrier_hub.records import Records
from logisync.testing.carrier_hub.scenarios import ScenarioGenerator
from logisync.testing.carrier_hub.shipments import (
    Scan,
    Shipment,
    final_milestone,
    latest_milestone,
    shipment_milestone,
)
from logisync.testing.carrier_hub.status_tables import Outcome

__all__ = ["DEFAULT_START", "CarrierHub", "HubCredentials"]

DEFAULT_START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@dataclass(frozen=True)
class HubCredentials:
    """What the APIs accept and what the pushes present; test values by default."""

    ups_bearer: str = "ups-test-token"
    fedex_bearer: str = "fedex-test-token"
    usps_bearer: str = "usps-test-token"
    dhl_api_key: str = "dhl-test-key"
    ups_push_api_key: str = "ups-track-alert-client-id"
    fedex_webhook_token: str = "fedex-webhook-security-token"  # noqa: S105 (a test value)


class CarrierHub:
    """Shipments and their scans, behind one lock (the server thread and the test share it)."""

    def __init__(
        self,
        *,
        seed: int = 0,
        faults: CarrierFaultPlan | None = None,
        credentials: HubCredentials | None = None,
        clock: ManualClock | None = None,
    ) -> None:
        self.seed = seed
        self.credentials = credentials or HubCredentials()
        self.clock = clock or ManualClock(DEFAULT_START)
        self.records = Records()
        self._lock = threading.RLock()
        self._generator = ScenarioGenerator(seed)
        self._shipments: dict[str, Shipment] = {}
        self._order: list[Shipment] = []
        self._plan = CarrierFaultPlan()
        self._rng = random.Random()
        self.faults = faults or CarrierFaultPlan(seed=seed)

    # -- faults -----------------------------------------------------------------------------
    @property
    def faults(self) -> CarrierFaultPlan:
        return self._plan

    @faults.setter
    def faults(self, plan: CarrierFaultPlan) -> None:
        with self._lock:
            self._plan = plan
            self._rng = random.Random(plan.seed)

    def draw_rate(self, rate: float) -> bool:
        """One seeded draw per call (shuffles, truncated polls): True with probability rate."""
        with self._lock:
            return bool(rate) and self._rng.random() < rate

    def shuffled(self, items: list[Any]) -> list[Any]:
        with self._lock:
            copy = list(items)
            self._rng.shuffle(copy)
            return copy

    # -- clock ------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def advance(self, seconds: float) -> datetime:
        if not 0 <= seconds < 10 * 365 * 24 * 3600:
            raise ValueError(f"the clock moves forward by less than ten years, got {seconds}")
        with self._lock:
            self.clock.advance(seconds)
            return self.clock.now()

    # -- shipments --------------------------------------------------------------------------
    def register(
        self,
        carrier: Carrier,
        *,
        pieces: int = 1,
        outcome: Outcome | None = None,
        origin: Place | None = None,
        destination: Place | None = None,
        start_in: float = 0.0,
    ) -> Shipment:
        """Plan a shipment whose label is created ``start_in`` seconds from now."""
        if carrier not in CARRIERS:
            raise ValueError(f"unknown carrier {carrier!r}: one of {', '.join(CARRIERS)}")
        with self._lock:
            shipment = self._generator.plan(
                carrier,
                start=self.now() + timedelta(seconds=start_in),
                pieces=pieces,
                outcome=outcome,
                origin=origin,
                destination=destination,
            )
            for number in shipment.tracked_numbers:
                self._shipments[number] = shipment
            self._order.append(shipment)
            return shipment

    def generate(self, count: int, *, carriers: tuple[Carrier, ...] = CARRIERS) -> list[Shipment]:
        """``count`` seeded shipments over ``carriers``, with 1-3 pieces where allowed."""
        made: list[Shipment] = []
        for _ in range(count):
            with self._lock:
                carrier = self._generator.choose_carrier()
                while carrier not in carriers:
                    carrier = self._generator.choose_carrier()
                pieces = (
                    1
                    if carrier == "usps"
                    else 1 + int(draw(self.seed, str(len(self._order)), "pieces") * 3)
                )
                made.append(self.register(carrier, pieces=pieces, start_in=len(made) * 60.0))
        return made

    def shipments(self) -> list[Shipment]:
        with self._lock:
            return list(self._order)

    def shipment(self, number: str) -> Shipment | None:
        with self._lock:
            return self._shipments.get(number)

    # -- what is visible now ----------------------------------------------------------------
    def visible_at(self, scan: Scan) -> datetime:
        plan = self._plan
        if plan.is_late(scan.scan_id):
            return scan.at + timedelta(seconds=plan.late_seconds)
        return scan.at

    def visible_scans(self, number: str) -> list[Scan]:
        """The scans of ``number`` whose time (plus lateness) has come, oldest first."""
        with self._lock:
            shipment = self._shipments.get(number)
            if shipment is None:
                return []
            now = self.now()
            return [s for s in shipment.scans[number] if self.visible_at(s) <= now]

    def due_scans(self, carriers: tuple[Carrier, ...]) -> list[Scan]:
        """Every visible scan of ``carriers``, in the order their visibility came."""
        with self._lock:
            now = self.now()
            due = [
                scan
                for shipment in self._order
                if shipment.carrier in carriers
                for scan in shipment.all_scans()
                if self.visible_at(scan) <= now
            ]
            return sorted(due, key=lambda s: (self.visible_at(s), s.at, s.scan_id))

    def hides_offset(self, scan: Scan) -> bool:
        """Whether DHL sends this scan's timestamp without an offset (a third of them)."""
        return draw(self.seed, scan.scan_id, "dhl-naive") < 1 / 3

    # -- expected end state -----------------------------------------------------------------
    def expected(self, number: str) -> dict[str, Any]:
        """What a hub that saw every visible scan of ``number`` knows, and where it ends:
        ``final_milestone`` for the piece, ``shipment_final_milestone`` for its shipment (the
        least advanced piece), ``planned_*`` once every scan has come."""
        with self._lock:
            shipment = self._shipments.get(number)
            if shipment is None:
                raise KeyError(f"the hub has no shipment tracked as {number!r}")
            visible = self.visible_scans(number)
            planned = shipment.scans[number]
            pieces_now = {n: self.visible_scans(n) for n in shipment.tracked_numbers}
            return {
                "carrier": shipment.carrier,
                "tracking_number": number,
                "shipment_number": shipment.tracking_number,
                "outcome": shipment.outcome,
                "scans": [scan.describe() for scan in visible],
                "final_milestone": final_milestone(visible),
                "latest_milestone": latest_milestone(visible),
                "shipment_final_milestone": shipment_milestone(pieces_now),
                "planned_final_milestone": final_milestone(planned),
                "planned_shipment_final_milestone": shipment_milestone(shipment.scans),
            }

    def expected_all(self) -> list[dict[str, Any]]:
        with self._lock:
            return [
                self.expected(number)
                for shipment in self._order
                for number in shipment.tracked_numbers
            ]
