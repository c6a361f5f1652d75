"""``carrier_hub()``: the simulated carriers serving on loopback for the length of a block.

with carrier_hub(seed=7, push_to={"ups": f"{hub_url}/v1/webhooks/ups"}) as carriers:
    shipment = carriers.register("ups", pieces=2)
    carriers.advance(6 * 3600)
    carriers.tick()                      # UPS Track Alert pushes of the due scans
    url = f"{carriers.urls['ups']}/api/track/v1/details/{shipment.tracking_number}"
    answer = httpx.get(url, headers=...)
    assert carriers.expected(shipment.tracking_number)["final_milestone"] == ...
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from logisync.core.clock import ManualClock
from logisync.testing.carrier_hub.carriers import CARRIERS, Carrier, Place
from logisync.testing.carrier_hub.faults import CarrierFaultPlan
from logisync.testing.carrier_hub.hub import CarrierHub, HubCredentials
from logisync.testing.carrier_hub.pushing import Pusher
from logisync.testing.carrier_hub.records import Records, SentMessage
from logisync.testing.carrier_hub.server import create_carrier_hub_app
from logisync.testing.carrier_hub.shipments import Shipment
from logisync.testing.carrier_hub.status_tables import Outcome
from logisync.testing.serving import serving

__all__ = ["CarrierHubSim", "carrier_hub"]


@dataclass
class CarrierHubSim:
    """A running carrier hub: where each carrier answers, its clock, faults and records."""

    url: str
    hub: CarrierHub
    pusher: Pusher

    @property
    def urls(self) -> dict[Carrier, str]:
        """Each carrier's base URL (one server plays them all, at their real paths)."""
        return dict.fromkeys(CARRIERS, self.url)

    @property
    def credentials(self) -> HubCredentials:
        return self.hub.credentials

    @property
    def records(self) -> Records:
        return self.hub.records

    @property
    def faults(self) -> CarrierFaultPlan:
        return self.hub.faults

    @faults.setter
    def faults(self, plan: CarrierFaultPlan) -> None:
        self.hub.faults = plan

    def now(self) -> datetime:
        return self.hub.now()

    def advance(self, seconds: float) -> datetime:
        return self.hub.advance(seconds)

    def tick(self) -> list[SentMessage]:
        """Push every due scan (UPS and FedEx with a push URL) and return what was sent."""
        return self.pusher.tick()

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
        return self.hub.register(
            carrier,
            pieces=pieces,
            outcome=outcome,
            origin=origin,
            destination=destination,
            start_in=start_in,
        )

    def generate(self, count: int, *, carriers: tuple[Carrier, ...] = CARRIERS) -> list[Shipment]:
        return self.hub.generate(count, carriers=carriers)

    def expected(self, number: str) -> dict[str, Any]:
        return self.hub.expected(number)

    def down_for(self, seconds: float) -> CarrierFaultPlan:
        """Downtime from now for ``seconds`` (simulated), added to the current plan."""
        self.hub.faults = self.hub.faults.with_downtime(self.hub.now(), seconds)
        return self.hub.faults

    def burst_for(self, seconds: float = 60, factor: float = 50) -> CarrierFaultPlan:
        self.hub.faults = self.hub.faults.with_burst(self.hub.now(), seconds, factor)
        return self.hub.faults


@contextmanager
def carrier_hub(
    *,
    seed: int = 0,
    push_to: Mapping[str, str] | None = None,
    faults: CarrierFaultPlan | None = None,
    credentials: HubCredentials | None = None,
    clock: ManualClock | None = None,
) -> Iterator[CarrierHubSim]:
    """Serve the four carriers until the block ends; ``push_to`` maps ups/fedex to URLs;
    ``clock`` shares a simulated clock with other simulators."""
    hub = CarrierHub(seed=seed, faults=faults, credentials=credentials, clock=clock)
    with ExitStack() as stack:
        pusher = Pusher(hub, push_to or {})
        stack.callback(pusher.close)
        url = stack.enter_context(serving(create_carrier_hub_app(hub, pusher)))
        yield CarrierHubSim(url=url, hub=hub, pusher=pusher)
