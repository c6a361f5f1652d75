"""The simulated warehouse: the orders released to it, its stock, and the messages it owes.

Driven by a seed and a simulated clock. An accepted order goes, in simulated time, through
release to the floor (1 min), picking (10 min), packing (20 min: one package per two lines,
each with a valid SSCC) and dispatch (2 h: a carrier and a tracking number per package); each
step is a message in the outbox, posted to the hub when ``flush()`` finds it due.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any, Literal

from logisync.testing.message_faults import MessageFaultPlan
from logisync.testing.message_outbox import MessageOutbox
from logisync.testing.sim_clock import SimClock
from logisync.testing.sim_control import FaultSwitch
from logisync.testing.wms.api_models import ReleaseRequest
from logisync.testing.wms.labels import sscc, tracking_number

__all__ = ["Acknowledgement", "LabelPrinter", "Warehouse", "WmsOrder"]

Acknowledgement = Literal["sync", "async"]
LabelPrinter = Callable[[str, int], tuple[str, list[str]]]
"""``(order number, packages)`` -> ``(carrier, a tracking number per package)``: how a WMS
books parcels through a carrier's shipping API. Without one, the WMS invents its labels."""
CARRIERS = ("dhl", "ups", "postnl")
STEPS_SECONDS = {"released": 60, "picked": 600, "packed": 1200, "dispatched": 7200}


@dataclass
class WmsOrder:
    """An order as the WMS holds it."""

    wms_id: str
    request: ReleaseRequest
    status: Literal["received", "accepted", "rejected"]
    reason: str | None = None
    shipment_number: str = ""

    def answer(self) -> dict[str, Any]:
        return {
            "id": self.wms_id,
            "client_reference": self.request.client_reference,
            "status": self.status,
            "reason": self.reason,
        }


@dataclass
class Warehouse:
    """State of the simulated WMS; the HTTP app and the test drive it through its methods."""

    outbox: MessageOutbox
    clock: SimClock
    rng: random.Random
    switch: FaultSwitch
    acknowledgement: Acknowledgement = "sync"
    known_skus: frozenset[str] | None = None  # None: every SKU is known
    label_printer: LabelPrinter | None = None
    location: str = "WH1"
    stock: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    orders: dict[str, WmsOrder] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)  # every API request answered
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

    def next_id(self, kind: str) -> int:
        with self._lock:
            self._counters[kind] = self._counters.get(kind, 0) + 1
            return self._counters[kind]

    def record(self, request: dict[str, Any], status: int) -> None:
        with self._lock:
            self.received.append(
                {**request, "answered": status, "at": self.clock.now().isoformat()}
            )

    # -- releases -----------------------------------------------------------------------------

    def release(self, request: ReleaseRequest) -> tuple[int, dict[str, Any]]:
        """201 and a new order, 200 and the same order for a repeat, 409 for a conflict; with
        the answer's body (``status: received`` for a new order acknowledged later)."""
        with self._lock:
            known = self.orders.get(request.client_reference)
            if known is not None:
                same = known.request.items == request.items
                return (200 if same else 409), known.answer()
            order = WmsOrder(f"WO-{self.next_id('order'):06d}", request, "received")
            self.orders[request.client_reference] = order
            unknown = [
                item.article
                for item in request.items
                if self.known_skus is not None and item.article not in self.known_skus
            ]
            reason = f"unknown article {unknown[0]}" if unknown else None
            verdict: Literal["accepted", "rejected"] = "rejected" if unknown else "accepted"
            answer = order.answer()
            if self.acknowledgement == "sync":
                order.status, order.reason = verdict, reason
                answer = order.answer()
            else:
                self._acknowledge_later(order, verdict, reason)
            if verdict == "accepted":
                self._fulfil(order)
            return 201, answer

    def _acknowledge_later(
        self, order: WmsOrder, verdict: Literal["accepted", "rejected"], reason: str | None
    ) -> None:
        message = self._message("order.acknowledged", order_number=order.request.client_reference)
        message.update(outcome=verdict, wms_order_id=order.wms_id)
        if reason is not None:
            message["reason"] = reason
        order.status, order.reason = verdict, reason
        self.outbox.schedule(message, delay_seconds=5)

    def _fulfil(self, order: WmsOrder) -> None:
        """Schedule the order's way through the warehouse as messages due later."""
        order.shipment_number = f"OUT-{self.next_id('shipment'):06d}"
        self._release_and_pick(order)
        self._pack_and_dispatch(order)

    def _due(self, step: str) -> tuple[str, int]:
        """When ``step`` of an order accepted now happens: as text, and in seconds from now."""
        seconds = STEPS_SECONDS[step]
        return (self.clock.now() + timedelta(seconds=seconds)).isoformat(), seconds

    def _release_and_pick(self, order: WmsOrder) -> None:
        number = order.request.client_reference
        released_at, delay = self._due("released")
        released = self._message("order.released", order_number=number, released_at=released_at)
        self.outbox.schedule(released, delay)
        picked_at, delay = self._due("picked")
        picked = self._message("order.picked", order_number=number, picked_at=picked_at)
        picked["lines"] = [
            {"line_no": i.line, "sku": i.article, "quantity": str(i.qty)}
            for i in order.request.items
        ]
        self.outbox.schedule(picked, delay)
        for item in order.request.items:
            key = (self.location, item.article)
            self.stock[key] = self.stock.get(key, Decimal(0)) - item.qty

    def _pack_and_dispatch(self, order: WmsOrder) -> None:
        """Two lines per package, each labelled with a new SSCC; one carrier for them all."""
        items = order.request.items
        groups = [items[n : n + 2] for n in range(0, len(items), 2)]
        labels = [sscc(self.next_id("sscc")) for _ in groups]
        facts = {
            "order_number": order.request.client_reference,
            "shipment_number": order.shipment_number,
        }
        packed_at, delay = self._due("packed")
        packed = self._message("order.packed", packed_at=packed_at, **facts)
        packed["packages"] = [
            {"sscc": label, "contents": {i.article: str(i.qty) for i in group}}
            for label, group in zip(labels, groups, strict=True)
        ]
        self.outbox.schedule(packed, delay)
        if self.label_printer is None:
            carrier = self.rng.choice(CARRIERS)
            numbers = [tracking_number(carrier, self.rng) for _ in labels]
        else:
            carrier, numbers = self.label_printer(order.request.client_reference, len(labels))
        dispatched_at, delay = self._due("dispatched")
        dispatched = self._message(
            "order.dispatched", carrier=carrier, dispatched_at=dispatched_at, **facts
        )
        dispatched["packages"] = [
            {"sscc": label, "tracking_number": number}
            for label, number in zip(labels, numbers, strict=True)
        ]
        self.outbox.schedule(dispatched, delay)

    # -- stock and returns ------------------------------------------------------------------

    def adjust_stock(self, sku: str, delta: Decimal, reason: str = "counted") -> dict[str, Any]:
        """Move stock by ``delta`` and owe the hub a ``stock.adjusted`` message."""
        with self._lock:
            key = (self.location, sku)
            self.stock[key] = self.stock.get(key, Decimal(0)) + delta
            message = self._message(
                "stock.adjusted",
                adjustment_id=f"ADJ-{self.next_id('adjustment'):06d}",
                location=self.location,
                sku=sku,
                delta=str(delta),
                reason=reason,
                occurred_at=self.clock.now().isoformat(),
            )
            self.outbox.schedule(message)
            return message

    def post_snapshot(self) -> dict[str, Any]:
        """Owe the hub an ``inventory.snapshot`` of every (location, SKU) the WMS holds."""
        with self._lock:
            message = self._message("inventory.snapshot", counted_at=self.clock.now().isoformat())
            message["levels"] = [
                {"location": location, "sku": sku, "on_hand": str(max(quantity, Decimal(0)))}
                for (location, sku), quantity in sorted(self.stock.items())
            ]
            self.outbox.schedule(message)
            return message

    def receive_return(self, order_number: str, sku: str, quantity: Decimal) -> dict[str, Any]:
        """Goods came back: restock them and owe the hub a ``return.received`` message."""
        with self._lock:
            key = (self.location, sku)
            self.stock[key] = self.stock.get(key, Decimal(0)) + quantity
            message = self._message(
                "return.received",
                return_number=f"RMA-{self.next_id('return'):06d}",
                order_number=order_number,
                received_at=self.clock.now().isoformat(),
            )
            message["lines"] = [{"sku": sku, "quantity": str(quantity), "condition": "resaleable"}]
            self.outbox.schedule(message)
            return message

    def _message(self, type_name: str, **facts: Any) -> dict[str, Any]:
        number = self.next_id("message")
        return {
            "type": type_name,
            "message_id": f"wms-{number:07d}",
            "sent_at": self.clock.now().isoformat(),
            **facts,
        }
