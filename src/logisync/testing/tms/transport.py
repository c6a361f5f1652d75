"""The simulated transport system: consignments booked with it, routes, hand-overs and PODs.

Driven by a seed and a simulated clock. ``plan_route()`` puts every booked, unplanned
consignment on one route (stops 30 minutes apart, the first an hour after the hand-over) and
owes the hub a ``route.planned`` message at once, a ``shipment.handed_over`` per consignment
when the route leaves, and a ``shipment.delivered`` proof of delivery at each stop's ETA,
signed by a name drawn from the seed.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from logisync.testing.message_faults import MessageFaultPlan
from logisync.testing.message_outbox import MessageOutbox
from logisync.testing.sim_clock import SimClock
from logisync.testing.sim_control import FaultSwitch

__all__ = ["Consignment", "TransportSystem"]

SIGNERS = ("J. Jansen", "M. de Vries", "A. Bakker", "S. Visser", "R. Smit")
LEAVES_AFTER_SECONDS = 1800
FIRST_STOP_SECONDS = 3600
BETWEEN_STOPS_SECONDS = 1800


@dataclass
class Consignment:
    shipment_number: str
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    route_id: str | None = None


@dataclass
class TransportSystem:
    outbox: MessageOutbox
    clock: SimClock
    rng: random.Random
    switch: FaultSwitch
    carrier: str = "own-fleet"
    consignments: dict[str, Consignment] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)
    _counters: dict[str, int] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def faults(self) -> MessageFaultPlan:
        return self.switch.plan

    def set_faults(self, plan: MessageFaultPlan) -> None:
        self.switch.set(plan)

    def forced_answer(self) -> int | None:
        """The status the API must give instead of serving (downtime, or a commanded one)."""
        return self.switch.forced_answer()

    def record(self, request: dict[str, Any], status: int) -> None:
        with self._lock:
            self.received.append(
                {**request, "answered": status, "at": self.clock.now().isoformat()}
            )

    def book(self, consignment: Consignment) -> tuple[int, Consignment]:
        """201 for a new consignment, 200 with the one held for a repeat of its number."""
        with self._lock:
            known = self.consignments.get(consignment.shipment_number)
            if known is not None:
                return 200, known
            self.consignments[consignment.shipment_number] = consignment
            return 201, consignment

    def plan_route(self) -> dict[str, Any] | None:
        """Plan every unplanned consignment on one route; None when there is none to plan."""
        with self._lock:
            todo = [c for c in self.consignments.values() if c.route_id is None]
            if not todo:
                return None
            route_id = f"R-{self._next('route'):05d}"
            now = self.clock.now()
            leaves = now + timedelta(seconds=LEAVES_AFTER_SECONDS)
            stops = []
            for sequence, consignment in enumerate(todo, start=1):
                consignment.route_id = route_id
                eta = leaves + timedelta(
                    seconds=FIRST_STOP_SECONDS + (sequence - 1) * BETWEEN_STOPS_SECONDS
                )
                stop: dict[str, Any] = {
                    "sequence": sequence,
                    "shipment_number": consignment.shipment_number,
                    "eta": eta.isoformat(),
                }
                for key in ("city", "postal_code", "country"):
                    if getattr(consignment, key) is not None:
                        stop[key] = getattr(consignment, key)
                stops.append(stop)
                self._owe_trip(route_id, consignment, sequence, leaves, eta)
            planned = self._message(
                "route.planned", route_id=route_id, carrier=self.carrier, planned_at=now.isoformat()
            )
            planned["stops"] = stops
            self.outbox.schedule(planned)
            return planned

    def _owe_trip(
        self,
        route_id: str,
        consignment: Consignment,
        sequence: int,
        leaves: datetime,
        eta: datetime,
    ) -> None:
        now = self.clock.now()
        handed = self._message(
            "shipment.handed_over",
            shipment_number=consignment.shipment_number,
            carrier=self.carrier,
            handed_over_at=leaves.isoformat(),
        )
        self.outbox.schedule(handed, (leaves - now).total_seconds())
        delivered = self._message(
            "shipment.delivered",
            shipment_number=consignment.shipment_number,
            delivered_at=eta.isoformat(),
            signed_by=self.rng.choice(SIGNERS),
            signature_ref=f"pod://{route_id}/{sequence}/signature.png",
        )
        self.outbox.schedule(delivered, (eta - now).total_seconds())

    def _next(self, kind: str) -> int:
        self._counters[kind] = self._counters.get(kind, 0) + 1
        return self._counters[kind]

    def _message(self, type_name: str, **facts: Any) -> dict[str, Any]:
        return {
            "type": type_name,
            "message_id": f"tms-{self._next('message'):07d}",
            "sent_at": self.clock.now().isoformat(),
            **facts,
        }
