"""The own fleet and its transport management system (TMS): the retailer's stores are
delivered by truck, not by parcel carrier.

The WMS labels a retailer's order for the fleet (a consignment note per package) instead of
booking UPS or FedEx. The transport planner books each fleet shipment the WMS dispatched with
the TMS and plans a route every two hours; the TMS then posts to the hub, signed, the route
(``route.planned``), the hand-over to the driver (a ``picked_up`` milestone) and, at each
stop, the proof of delivery: who signed and where the TMS keeps the signature image.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import orjson

from logisync.api.disclosure import Disclosure
from logisync.api.trace import EventReceived, build_entity_trace
from logisync.core.ports import Store
from logisync.demo.config import FLEET
from logisync.testing.message_outbox import SentMessage
from logisync.testing.tms import TmsSim
from logisync.testing.wms import WmsSim
from logisync.testing.wms.warehouse import LabelPrinter

ROUTE_EVERY = timedelta(hours=2)


def fleet_or_parcels(parcels: LabelPrinter, by_fleet: Callable[[str], bool]) -> LabelPrinter:
    """Labels for the fleet when ``by_fleet(order number)``, else the parcel carriers'."""
    notes = [0]

    def book(order: str, packages: int) -> tuple[str, list[str]]:
        if not by_fleet(order):
            return parcels(order, packages)
        numbers = []
        for _ in range(packages):
            notes[0] += 1
            numbers.append(f"FLT{notes[0]:07d}")
        return FLEET, numbers

    return book


def dispatched(wms: WmsSim) -> list[dict[str, Any]]:
    """The WMS's dispatch messages the hub accepted (a message it retried may be twice)."""
    return [
        orjson.loads(m.body)
        for m in wms.sent
        if m.type == "order.dispatched" and m.status == 202 and "malformed" not in m.tags
    ]


def posted(tms: TmsSim, kind: str) -> list[SentMessage]:
    """The TMS's messages of ``kind`` the hub accepted."""
    return [m for m in tms.sent if m.type == kind and m.status == 202]


@dataclass
class TransportPlanner:
    """Books the fleet's shipments with the TMS over its API and plans their routes."""

    tms: TmsSim
    wms: WmsSim
    ship_to: Callable[[str], dict[str, Any] | None]  # order number -> its address
    booked: set[str] = field(default_factory=set)
    routes: int = 0
    refused: list[str] = field(default_factory=list)
    _next_route: datetime | None = None

    def work(self, now: datetime) -> None:
        for message in dispatched(self.wms):
            if message.get("carrier") == FLEET and message["shipment_number"] not in self.booked:
                self._book(message)
        due = self._next_route is None or now >= self._next_route
        if due and self.unplanned() and self._call("/api/v1/routes", None) == 201:
            self.routes += 1
            self._next_route = now + ROUTE_EVERY

    def unplanned(self) -> int:
        """Booked shipments that no route carries yet."""
        held = self.tms.transport.consignments
        return sum(1 for number in self.booked if held[number].route_id is None)

    def settled(self) -> bool:
        """Every fleet shipment dispatched is booked and on a route; the TMS owes nothing."""
        fleet = {
            str(m["shipment_number"]) for m in dispatched(self.wms) if m.get("carrier") == FLEET
        }
        return fleet <= self.booked and not self.unplanned() and not self.tms.outbox.pending()

    def _book(self, message: dict[str, Any]) -> None:
        address = self.ship_to(str(message["order_number"])) or {}
        destination = {
            "city": address.get("city"),
            "zip": address.get("postal_code"),
            "country": address.get("country"),
        }
        body = {
            "reference": message["shipment_number"],
            "destination": {k: v for k, v in destination.items() if v},
        }
        if self._call("/api/v1/consignments", body) in (200, 201):
            self.booked.add(str(message["shipment_number"]))

    def _call(self, path: str, body: dict[str, Any] | None) -> int:
        try:
            answer = httpx.post(
                f"{self.tms.url}{path}",
                json=body,
                headers={"x-api-key": self.tms.api_key},
                timeout=10,
            )
        except httpx.HTTPError as trouble:
            self.refused.append(f"{path}: {trouble}")
            return 0
        if answer.status_code >= 300:
            self.refused.append(f"{path}: {answer.status_code} {answer.text[:200]}")
        return answer.status_code


def fleet_finals(tms: TmsSim) -> dict[str, str]:
    """Per fleet shipment number, the milestone the TMS last reported (what Odoo should show).
    All at once: the TMS's posts are read and parsed once, not once per shipment."""
    said = {
        str(orjson.loads(m.body)["shipment_number"]): m.type
        for m in [*posted(tms, "shipment.handed_over"), *posted(tms, "shipment.delivered")]
    }
    milestone = {"shipment.delivered": "delivered", "shipment.handed_over": "picked_up"}
    return {number: milestone[fact] for number, fact in said.items()}


@dataclass(frozen=True)
class FleetOutcome:
    """The fleet's deliveries and what the hub kept of their proofs: the journaled event
    (signer and proof reference), the shipment's status, and its timeline."""

    routes: int
    delivered: frozenset[str]  # shipment numbers with a proof of delivery the hub accepted
    journaled: frozenset[str]
    in_status: frozenset[str]
    in_timeline: frozenset[str]


def measure_fleet(store: Store, tms: TmsSim, routes: int) -> FleetOutcome:
    proofs = {
        str(body["shipment_number"]): str(body["signature_ref"])
        for body in (orjson.loads(m.body) for m in posted(tms, "shipment.delivered"))
    }
    journaled, in_status, in_timeline = set(), set(), set()
    for number, proof in proofs.items():
        key = f"shipment:{number}"
        if any(_is_proof(r.source, r.type, r.data, proof) for r in store.events_for(key)):
            journaled.add(number)
        projection = store.get_projection(key)
        status = (projection.state.get("status") or {}) if projection else {}
        if status.get("proof_reference") == proof and status.get("signed_by"):
            in_status.add(number)
        timeline = build_entity_trace(store, key, Disclosure(reveal=True))
        entries = timeline.entries if timeline else []
        if any(
            isinstance(e, EventReceived) and _is_proof(e.source, e.type, e.data, proof)
            for e in entries
        ):
            in_timeline.add(number)
    return FleetOutcome(
        routes,
        frozenset(proofs),
        frozenset(journaled),
        frozenset(in_status),
        frozenset(in_timeline),
    )


def _is_proof(source: str, type_: str, data: dict[str, Any], proof: str) -> bool:
    return (
        source == "tms"
        and type_ == "shipment.milestone_recorded"
        and data.get("milestone") == "delivered"
        and data.get("proof_reference") == proof
        and bool(data.get("signed_by"))
    )
