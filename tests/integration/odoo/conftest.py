"""An Odoo test server per test, on loopback, and the hub wired to it as a delivery target."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from logisync.connectors.odoo import JsonRpc, OdooRpc, OdooSettings, OdooTarget
from logisync.connectors.odoo.rpc import PROTOCOLS
from logisync.core.clock import Clock, ManualClock
from logisync.core.delivery.retry import RetryPolicy
from logisync.core.delivery.worker import DeliverySettings, DeliveryWorker
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules
from logisync.model.envelope import Event
from logisync.store.sqlite import SqliteStore
from logisync.testing.odoo.faults import FaultPlan
from logisync.testing.odoo.orm import OdooDatabase
from logisync.testing.odoo.orm.custom_fields import CustomFields
from logisync.testing.odoo.running import OdooSim, odoo_sim

ADMIN = ("admin", "admin")
RULES = Rules(
    flows=(
        Flow(
            "to odoo",
            ("shipment.*", "sales_order.*", "invoice.*", "partner.*", "product.*", "stock.*"),
            "odoo",
            "state",
        ),
    )
)


@dataclass
class OdooUnderTest:
    """The running test server, with the calls the tests make of it."""

    sim: OdooSim

    @property
    def url(self) -> str:
        return self.sim.url

    @property
    def version(self) -> int:
        return self.sim.version

    @property
    def database(self) -> str:
        return self.sim.database

    @property
    def db(self) -> OdooDatabase:
        return self.sim.backend

    def admin(self) -> OdooRpc:
        return JsonRpc(self.url, self.database, *ADMIN)

    def rpc(self, protocol: str | None = None, timeout: float = 10.0) -> OdooRpc:
        chosen = protocol or ("json2" if self.version >= 19 else "jsonrpc")
        user = self.sim.user
        secret = user.api_key if chosen == "json2" else user.password
        return PROTOCOLS[chosen](  # type: ignore[index]
            self.url, self.database, user.login, secret, timeout_seconds=timeout
        )

    def faults(self, plan: FaultPlan) -> None:
        self.sim.faults = plan

    def calls(self) -> dict[str, int]:
        return self.sim.calls()


@contextmanager
def running_odoo(
    tmp: Path,
    version: int,
    faults: FaultPlan | None = None,
    clock: Clock | None = None,
    custom_fields: CustomFields | None = None,
) -> Iterator[OdooUnderTest]:
    path = tmp / f"odoo{version}.sqlite"
    with odoo_sim(
        version, path=path, faults=faults, clock=clock, custom_fields=custom_fields
    ) as sim:
        yield OdooUnderTest(sim)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    hub = SqliteStore(tmp_path / "hub.db")
    yield hub
    hub.close()


def seed_products(odoo: OdooUnderTest, skus: list[str]) -> None:
    admin = odoo.admin()
    values = [{"name": f"Product {sku}", "default_code": sku} for sku in skus]
    admin.call("product.product", "create", vals_list=values)


def seed_partners(odoo: OdooUnderTest, refs: list[str]) -> None:
    admin = odoo.admin()
    admin.call(
        "res.partner", "create", vals_list=[{"name": f"Customer {r}", "ref": r} for r in refs]
    )


class Hub:
    """Journal -> processor -> delivery worker into Odoo, on a manual clock."""

    def __init__(self, store: SqliteStore, target: OdooTarget, clock: ManualClock | None = None):
        self.store = store
        self.clock = clock or ManualClock()
        self.target = target
        retry = RetryPolicy(base_seconds=1, cap_seconds=8, max_attempts=1000, max_age_seconds=10**7)
        self.worker = DeliveryWorker(
            store,
            {"odoo": target},
            clock=self.clock,
            rng=random.Random(3),
            settings=DeliverySettings(retry=retry),
        )

    def take(self, events: list[Event]) -> None:
        Journal(self.store, self.clock).append(events)
        Processor(self.store, RULES, clock=self.clock).run_until_idle()

    def deliver(self, rounds: int = 1000, step: Callable[[], None] | None = None) -> None:
        """Deliver until nothing is pending or waiting for a retry."""
        for _ in range(rounds):
            self.worker.run_until_idle()
            open_ = self.store.counts()
            if not open_.deliveries_pending:
                return
            self.clock.advance(10)
            if step:
                step()
        raise AssertionError("deliveries did not finish")


def target_for(odoo: OdooUnderTest, protocol: str | None = None, **settings: Any) -> OdooTarget:
    options = {"database": odoo.database, "user": odoo.sim.user.login, **settings}
    timeout = options.pop("timeout", 10.0)
    return OdooTarget(odoo.rpc(protocol, timeout), OdooSettings(**options), odoo.version)
