"""``wms_sim()``: the simulated WMS serving on loopback for the length of a block.

with wms_sim(seed=3, post_to=f"{hub_url}/v1/webhooks/acme_wms", secret=WHSEC) as wms:
    target = WmsTarget(wms.url, wms.token)      # releases orders to it
    wms.advance(3 * 3600)                          # picks, packs, dispatches; posts to the hub
    assert [m.type for m in wms.sent] == [...]
"""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from logisync.testing.message_faults import MessageFaultPlan
from logisync.testing.message_outbox import MessageOutbox, SentMessage
from logisync.testing.serving import serving
from logisync.testing.sim_clock import DEFAULT_START, SimClock
from logisync.testing.sim_control import FaultSwitch
from logisync.testing.wms.server import create_wms_app
from logisync.testing.wms.warehouse import Acknowledgement, LabelPrinter, Warehouse

__all__ = ["DEFAULT_SECRET", "DEFAULT_TOKEN", "WmsSim", "wms_sim"]

DEFAULT_TOKEN = "wms-sim-token"  # noqa: S105 (a test server's token, public by design)
DEFAULT_SECRET = "whsec_" + base64.b64encode(b"secret-of-the-simulated-wms-32b!").decode()


@dataclass
class WmsSim:
    """A running simulated WMS: its URL and token, clock, faults and records."""

    url: str
    token: str
    warehouse: Warehouse

    @property
    def outbox(self) -> MessageOutbox:
        return self.warehouse.outbox

    @property
    def sent(self) -> list[SentMessage]:
        """Every message posted to the hub, copies and retries included, in order."""
        return self.warehouse.outbox.sent

    @property
    def received(self) -> list[dict[str, Any]]:
        """Every request to the outbound-order API, with the status it was answered."""
        return self.warehouse.received

    @property
    def faults(self) -> MessageFaultPlan:
        return self.warehouse.faults

    @faults.setter
    def faults(self, plan: MessageFaultPlan) -> None:
        self.warehouse.set_faults(plan)

    def now(self) -> datetime:
        return self.warehouse.clock.now()

    def advance(self, seconds: float) -> list[SentMessage]:
        """Move the clock and post every message that became due; return what was posted."""
        self.warehouse.clock.advance(seconds)
        return self.flush()

    def flush(self) -> list[SentMessage]:
        return self.warehouse.outbox.flush()

    def adjust_stock(self, sku: str, delta: int | str, reason: str = "counted") -> dict[str, Any]:
        return self.warehouse.adjust_stock(sku, Decimal(delta), reason)

    def post_snapshot(self) -> dict[str, Any]:
        return self.warehouse.post_snapshot()

    def receive_return(self, order_number: str, sku: str, quantity: int | str) -> dict[str, Any]:
        return self.warehouse.receive_return(order_number, sku, Decimal(quantity))

    def down_for(self, seconds: float) -> MessageFaultPlan:
        """Downtime from now for ``seconds`` (simulated), added to the current plan."""
        self.faults = self.faults.with_downtime(self.now(), seconds)
        return self.faults

    def burst_for(self, seconds: float = 60, factor: float = 50) -> MessageFaultPlan:
        self.faults = self.faults.with_burst(self.now(), seconds, factor)
        return self.faults


@contextmanager
def wms_sim(
    *,
    seed: int = 0,
    post_to: str | None = None,
    secret: str = DEFAULT_SECRET,
    token: str = DEFAULT_TOKEN,
    acknowledgement: Acknowledgement = "sync",
    known_skus: frozenset[str] | None = None,
    stock: dict[str, int] | None = None,
    faults: MessageFaultPlan | None = None,
    start: datetime = DEFAULT_START,
    label_printer: LabelPrinter | None = None,
) -> Iterator[WmsSim]:
    """Serve the simulated WMS until the block ends; it posts its messages to ``post_to``."""
    clock = SimClock(start)
    rng = random.Random(seed)
    holder: list[Warehouse] = []
    outbox = MessageOutbox(
        now=clock.now, faults=lambda: holder[0].faults, rng=rng, post_to=post_to, secret=secret
    )
    warehouse = Warehouse(
        outbox,
        clock,
        rng,
        FaultSwitch(faults or MessageFaultPlan(seed=seed), clock.now),
        acknowledgement=acknowledgement,
        known_skus=known_skus,
        label_printer=label_printer,
    )
    warehouse.stock.update(
        {(warehouse.location, sku): Decimal(n) for sku, n in (stock or {}).items()}
    )
    holder.append(warehouse)
    with ExitStack() as stack:
        stack.callback(outbox.close)
        url = stack.enter_context(serving(create_wms_app(warehouse, token)))
        yield WmsSim(url, token, warehouse)
