"""``tms_sim()``: the simulated TMS serving on loopback for the length of a block.

with tms_sim(seed=2, post_to=f"{hub_url}/v1/webhooks/fleet", secret=WHSEC) as tms:
    tms.book("OUT-000001", city="Tilburg")
    tms.plan_route()                 # owes route.planned now, hand-over and POD later
    tms.advance(4 * 3600)            # posts them as they come due
"""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from logisync.testing.message_faults import MessageFaultPlan
from logisync.testing.message_outbox import MessageOutbox, SentMessage
from logisync.testing.serving import serving
from logisync.testing.sim_clock import DEFAULT_START, SimClock
from logisync.testing.sim_control import FaultSwitch
from logisync.testing.tms.server import create_tms_app
from logisync.testing.tms.transport import Consignment, TransportSystem

__all__ = ["DEFAULT_API_KEY", "DEFAULT_SECRET", "TmsSim", "tms_sim"]

DEFAULT_API_KEY = "tms-sim-key"
DEFAULT_SECRET = "whsec_" + base64.b64encode(b"secret-of-the-simulated-tms-32b!").decode()


@dataclass
class TmsSim:
    """A running simulated TMS: its URL and key, clock, faults and records."""

    url: str
    api_key: str
    transport: TransportSystem

    @property
    def outbox(self) -> MessageOutbox:
        return self.transport.outbox

    @property
    def sent(self) -> list[SentMessage]:
        return self.transport.outbox.sent

    @property
    def received(self) -> list[dict[str, Any]]:
        return self.transport.received

    @property
    def faults(self) -> MessageFaultPlan:
        return self.transport.faults

    @faults.setter
    def faults(self, plan: MessageFaultPlan) -> None:
        self.transport.set_faults(plan)

    def now(self) -> datetime:
        return self.transport.clock.now()

    def advance(self, seconds: float) -> list[SentMessage]:
        self.transport.clock.advance(seconds)
        return self.flush()

    def flush(self) -> list[SentMessage]:
        return self.transport.outbox.flush()

    def book(self, shipment_number: str, **destination: str) -> Consignment:
        return self.transport.book(Consignment(shipment_number, **destination))[1]

    def plan_route(self) -> dict[str, Any] | None:
        return self.transport.plan_route()

    def down_for(self, seconds: float) -> MessageFaultPlan:
        self.faults = self.faults.with_downtime(self.now(), seconds)
        return self.faults


@contextmanager
def tms_sim(
    *,
    seed: int = 0,
    post_to: str | None = None,
    secret: str = DEFAULT_SECRET,
    api_key: str = DEFAULT_API_KEY,
    carrier: str = "own-fleet",
    faults: MessageFaultPlan | None = None,
    start: datetime = DEFAULT_START,
) -> Iterator[TmsSim]:
    """Serve the simulated TMS until the block ends; it posts its messages to ``post_to``."""
    clock = SimClock(start)
    rng = random.Random(seed)
    holder: list[TransportSystem] = []
    outbox = MessageOutbox(
        now=clock.now, faults=lambda: holder[0].faults, rng=rng, post_to=post_to, secret=secret
    )
    transport = TransportSystem(
        outbox,
        clock,
        rng,
        FaultSwitch(faults or MessageFaultPlan(seed=seed), clock.now),
        carrier=carrier,
    )
    holder.append(transport)
    with ExitStack() as stack:
        stack.callback(outbox.close)
        url = stack.enter_context(serving(create_tms_app(transport, api_key)))
        yield TmsSim(url, api_key, transport)
