"""A real hub for the dashboard's tests: uvicorn on loopback over a fresh SQLite file, seeded
the way production is: events posted to the intake API with senders' keys, the processor run,
and a delivery worker sending to the programmable test target over HTTP.

The day: the shop places order SO1 (with the customer's address: personal data), Odoo confirms
it, the carrier scans and delivers shipment SH1 of that order. Odoo (the target) refuses the
delivered scan at first (a dead letter: the order is stuck, delivered at the carrier but not in
Odoo), then recovers, so that a replay from the dashboard goes through. The shop also renames a
customer that Odoo owns: an open conflict, which reaches Odoo only if a steward accepts it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from logisync.api.app import create_app
from logisync.connectors.webhook import WebhookTarget
from logisync.core.accounts import new_user
from logisync.core.delivery.retry import RetryPolicy
from logisync.core.delivery.worker import DeliverySettings, DeliveryWorker
from logisync.core.keys import ADMIN, READ, SUBMIT, new_key
from logisync.core.ports import AuditEntry
from logisync.core.processor import Processor
from logisync.core.rules import DomainOwnership, FieldRule, Flow, OwnershipMap, Rules
from logisync.store.sqlite import SqliteStore
from logisync.testing.target_server import Faults, TargetServer
from logisync.ui import UiSettings

ORDER = "SO1"
SHIPMENT = "SH1"
CORRELATION = "order-SO1"
STREET = "12 Rose Lane"  # personal data: masked for viewers
DELIVERED_SCAN = "ups:scan-SH1-3"  # the idempotency key of the scan Odoo refuses at first
PASSWORD = "correct horse battery"

RULES = Rules(
    ownership=OwnershipMap({"partner": DomainOwnership(default=FieldRule(frozenset({"odoo"})))}),
    flows=(
        Flow("milestones to odoo", ("shipment.milestone_recorded",), "odoo", "event"),
        # a customer's name from the shop reaches Odoo only once a steward accepts it
        Flow("shop customers to odoo", ("partner.changed",), "odoo", "state"),
    ),
)
CUSTOMER = "partner:C1"
RENAMED = "Alice Martin-Durand"  # the shop's name for the customer: the open conflict


def _event(n: int, source: str, type: str, data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    domain = type.split(".", maxsplit=1)[0]
    number = data.get("number") or data.get("ref") or data.get("shipment_number")
    return {
        "specversion": "1.0",
        "id": f"{source}-{n}",
        "source": source,
        "type": type,
        "subject": f"{domain}:{number}",
        "time": f"2026-11-23T0{n % 10}:00:00Z",
        "data": data,
        **extra,
    }


def _scan(n: int, milestone: str) -> dict[str, Any]:
    scan = {
        "shipment_number": SHIPMENT,
        "milestone": milestone,
        "occurred_at": f"2026-11-23T0{n}:30:00Z",
        "tracking_number": "1Z999AA10123456784",
        "carrier": "ups",
    }
    event = _event(n, "ups", "shipment.milestone_recorded", scan, correlationid=CORRELATION)
    event["id"] = f"scan-{SHIPMENT}-{n}"
    return event


def day_events() -> dict[str, list[dict[str, Any]]]:
    """The day's events by the system that sends them."""
    address = {"street": STREET, "city": "Lyon", "postal_code": "69002", "country": "FR"}
    return {
        "shop": [
            _event(
                1,
                "shop",
                "sales_order.placed",
                {"number": ORDER, "channel": "web", "ship_to": address},
                correlationid=CORRELATION,
            ),
            _event(5, "shop", "partner.changed", {"ref": "C1", "name": RENAMED}),
        ],
        "odoo": [
            _event(0, "odoo", "partner.created", {"ref": "C1", "name": "Alice Martin"}),
            _event(
                2, "odoo", "sales_order.confirmed", {"number": ORDER}, correlationid=CORRELATION
            ),
            _event(
                3,
                "odoo",
                "shipment.created",
                {"number": SHIPMENT, "order_number": ORDER, "carrier": "ups"},
                correlationid=CORRELATION,
            ),
        ],
        "ups": [_scan(1, "picked_up"), _scan(2, "in_transit"), _scan(3, "delivered")],
    }


@dataclass
class HubDay:
    """The running hub, its target, and the tokens and accounts to log in with."""

    url: str
    store: SqliteStore
    target: TargetServer
    worker: DeliveryWorker
    keys: dict[str, str] = field(default_factory=dict)  # role -> API key token

    def deliver(self) -> None:
        self.worker.run_until_idle()

    def process(self) -> None:
        """What the hub's processor does in production: apply what was journaled since."""
        Processor(self.store, RULES).run_until_idle()

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, follow_redirects=False)


def seed(url: str, store: SqliteStore, target: TargetServer) -> HubDay:
    now = datetime.now(UTC)
    audit = AuditEntry("2026-11-23T00:00:00Z", "test", "key.create", "-", "", None)
    with httpx.Client(base_url=url, timeout=30) as client:
        events = day_events()
        for system in ("odoo", "shop", "ups"):
            token, key = new_key(system=system, scopes=frozenset({SUBMIT}), now=now)
            store.save_api_keys([key], audit)
            for event in events[system]:
                answer = client.post(
                    "/v1/events",
                    json=event,
                    headers={
                        "authorization": f"Bearer {token}",
                        "content-type": "application/cloudevents+json",
                    },
                )
                assert answer.status_code == 202, answer.text
    Processor(store, RULES).run_until_idle()
    settings = DeliverySettings(retry=RetryPolicy(base_seconds=0.1, cap_seconds=0.2))
    worker = DeliveryWorker(
        store,
        {"odoo": WebhookTarget(target.url + "/items", timeout_seconds=5)},
        rng=random.Random(3),
        settings=settings,
    )
    day = HubDay(url, store, target, worker)
    day.deliver()  # the delivered scan is refused: a dead letter
    target.faults = Faults()  # Odoo recovers: a replay will go through
    for role in ("viewer", "operator", "admin"):
        store.save_dashboard_user(new_user(role, role, PASSWORD, now), audit)
    for role, scopes in (("viewer", {READ}), ("admin", {ADMIN}), ("sender", {SUBMIT})):
        token, key = new_key(system="shop", scopes=frozenset(scopes), now=now)
        store.save_api_keys([key], audit)
        day.keys[role] = token
    return day


def start_app(path: Path) -> Any:
    return create_app(lambda: SqliteStore(path), ui=UiSettings(secure_cookies=False))


REFUSING = Faults(refuse_keys=[DELIVERED_SCAN])
