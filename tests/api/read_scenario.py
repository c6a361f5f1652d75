"""One business day's data for the read API tests, produced the real way: events appended to
the journal, the processor run with the example hub's rules, and a delivery worker sending to
targets of which one refuses (dead letters) and one fails once (a retried attempt)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from logisync.config import load_config
from logisync.core.clock import ManualClock
from logisync.core.delivery.connector import DeliveryItem, ItemResult, NullTarget
from logisync.core.delivery.retry import RetryPolicy
from logisync.core.delivery.worker import DeliverySettings, DeliveryWorker
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Rules
from logisync.model import new_event
from logisync.model.envelope import Event
from logisync.store.sqlite import SqliteStore

EXAMPLE = Path(__file__).parents[2] / "src" / "logisync" / "examples" / "hub.yaml"
ORDER = "order-SO1001"  # the correlation id of the order's business transaction

# Personal data the tests look for in responses and logs.
NAME, EMAIL, PHONE, STREET = (
    "Alice Martin",
    "alice@example.com",
    "+33 6 12 34 56 78",
    "12 Rose Lane",
)
OTHER_NAME = "Alice Martin-Durand"
PERSONAL = (NAME, EMAIL, PHONE, STREET, OTHER_NAME)


def example_rules() -> Rules:
    return load_config(EXAMPLE, environ={}).rules()  # secrets are read only by connectors


def event(n: int, type: str, data: dict[str, Any], source: str, **extra: Any) -> Event:
    return new_event(type, data, source=source, id=f"{source}-{n}", **extra)


def order_events() -> list[Event]:
    """An order placed in the shop, confirmed in Odoo, shipped by the warehouse: three systems,
    one correlation id."""
    address = {"street": STREET, "city": "Lyon", "postal_code": "69002", "country": "FR"}
    common = {"correlationid": ORDER}
    return [
        event(
            1,
            "sales_order.placed",
            {"number": "SO1001", "channel": "web", "customer_ref": "C1", "ship_to": address},
            "shop",
            time="2026-03-01T09:00:00Z",
            **common,
        ),
        event(
            2,
            "sales_order.confirmed",
            {"number": "SO1001"},
            "odoo",
            time="2026-03-01T09:05:00Z",
            **common,
        ),
        event(
            3,
            "sales_order.shipped",
            {"number": "SO1001", "at": "2026-03-01T15:00:00Z"},
            "wms",
            time="2026-03-01T15:00:00Z",
            **common,
        ),
    ]


def second_order() -> Event:
    """Another web order of the same customer, placed later in the day."""
    return event(
        4,
        "sales_order.placed",
        {"number": "SO1002", "channel": "web", "customer_ref": "C1"},
        "shop",
        time="2026-03-01T11:00:00Z",
        correlationid="order-SO1002",
    )


def partner_events() -> list[Event]:
    """Odoo creates the customer; the shop then sends another name (a conflict: Odoo owns the
    partner's name)."""
    return [
        event(
            10,
            "partner.created",
            {
                "ref": "C1",
                "name": NAME,
                "email": EMAIL,
                "phone": PHONE,
                "address": {"street": STREET, "city": "Lyon", "country": "FR"},
                "external_ids": {"odoo": "res.partner,7"},
            },
            "odoo",
            time="2026-03-01T08:00:00Z",
        ),
        event(
            11,
            "partner.changed",
            {"ref": "C1", "name": OTHER_NAME, "external_ids": {"shop": "cust-99"}},
            "shop",
            time="2026-03-01T08:30:00Z",
        ),
    ]


class RefusingOrders:
    """Odoo as a target that refuses every sales order (they go to the dead letters) and
    accepts everything else."""

    max_batch = 50

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        return [
            ItemResult("permanent", error="422: customer C1 is not in Odoo")
            if item.delivery.entity_key.startswith("sales_order:")
            else ItemResult("delivered", target_ref=f"odoo-{item.delivery.id}")
            for item in items
        ]


class FailingOnce:
    """A target that answers 503 the first time, then accepts."""

    max_batch = 50

    def __init__(self) -> None:
        self.calls = 0

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        self.calls += 1
        if self.calls == 1:
            return [ItemResult("transient", error="503 busy") for _ in items]
        return [ItemResult("delivered", target_ref=f"wms-{item.delivery.id}") for item in items]


def business_day(store: SqliteStore, clock: ManualClock) -> None:
    """Append, process and deliver, a few seconds apart, so that every step has its own time."""
    rules = example_rules()
    journal = Journal(store, clock)
    processor = Processor(store, rules, clock=clock)
    for step in [partner_events(), *[[e] for e in order_events()], [second_order()]]:
        clock.advance(5)
        journal.append(step)
        clock.advance(1)
        processor.run_until_idle()
    settings = DeliverySettings(retry=RetryPolicy(base_seconds=1, cap_seconds=2, max_attempts=5))
    worker = DeliveryWorker(
        store,
        {"odoo": RefusingOrders(), "wms": FailingOnce(), "shop": NullTarget()},
        clock=clock,
        rng=random.Random(1),
        settings=settings,
    )
    for _ in range(4):
        clock.advance(3)
        worker.run_until_idle()
