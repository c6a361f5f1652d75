"""Everything the demo runs, in one process on loopback: the hub and the systems around it.

Two Odoo test servers: the hub's, and a second one that the naive point-to-point integration
writes to, so the two outcomes are measured from two real databases. The simulated WMS books
its parcels with the carrier simulator (its label printer), so the tracking numbers the WMS
reports are the ones the carriers later push milestones for; the EDI retailer's orders go
on the own fleet's trucks instead, planned in the simulated TMS (``fleet.py``). The retailer
drops its X12 files in a folder the hub watches (``edi.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from logisync.connectors.odoo import JsonRpc, OdooSettings, OdooTarget
from logisync.connectors.odoo.poller import OdooPoller
from logisync.connectors.wms.target import WmsTarget
from logisync.connectors.x12 import x12_target
from logisync.core.clock import ManualClock
from logisync.core.delivery.connector import TargetConnector
from logisync.core.keys import SUBMIT, new_key
from logisync.core.ports import AuditEntry
from logisync.demo.config import (
    EDI_PARTNER,
    MILESTONE_FIELD,
    SHOP_SECRET,
    demo_config,
    demo_webhooks,
)
from logisync.demo.edi import EdiSide, edi_side, seed_master_data
from logisync.demo.fleet import fleet_or_parcels
from logisync.demo.tap import WebhookTap
from logisync.store.sqlite import SqliteStore
from logisync.testing.carrier_hub import CarrierFaultPlan, CarrierHubSim, carrier_hub
from logisync.testing.carrier_hub.carriers import Carrier
from logisync.testing.carrier_hub.hub import HubCredentials
from logisync.testing.hub_runner import RunningHub, running_hub
from logisync.testing.odoo.faults import FaultPlan
from logisync.testing.odoo.running import OdooSim, odoo_sim
from logisync.testing.shop import ShopFaultPlan, ShopSim, shop_sim
from logisync.testing.shop.shop import CATALOGUE
from logisync.testing.tms import TmsSim, tms_sim
from logisync.testing.wms import MessageFaultPlan, WmsSim, wms_sim
from logisync.testing.wms.warehouse import LabelPrinter
from logisync.ui import UiSettings

ODOO_VERSION = 17
DAY_START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
CUSTOM_FIELDS = {"stock.picking": {MILESTONE_FIELD: "char"}}
PARCEL_CARRIERS: tuple[Carrier, ...] = ("ups", "fedex")  # the two that push milestones


@dataclass
class World:
    """The running systems, and the handles the day and the report use."""

    hub: RunningHub
    odoo: OdooSim
    naive_odoo: OdooSim
    wms: WmsSim
    carriers: CarrierHubSim
    shop: ShopSim
    tms: TmsSim
    edi: EdiSide
    tap: WebhookTap
    finance_key: str
    admin_key: str

    def odoo_admin(self, naive: bool = False) -> JsonRpc:
        """An Odoo user who is not the hub's integration user (a person at a desk)."""
        sim = self.naive_odoo if naive else self.odoo
        return JsonRpc(sim.url, sim.database, "admin", "admin")

    def odoo_faults(self, plan: FaultPlan) -> None:
        """Both Odoo servers fail alike: the comparison is fair."""
        self.odoo.faults = plan
        self.naive_odoo.faults = plan


def _seed_products(sim: OdooSim, seed: int) -> None:
    admin = JsonRpc(sim.url, sim.database, "admin", "admin")
    values = [{"name": title, "default_code": sku} for sku, title, _ in CATALOGUE]
    admin.call("product.product", "create", vals_list=values)
    seed_master_data(admin, seed)


def _keys(store: SqliteStore) -> tuple[str, str]:
    """A key for the finance system to submit invoices, and an admin key for the dashboard."""
    now = datetime.now(UTC)
    finance, finance_key = new_key(system="finance", scopes=frozenset({SUBMIT}), now=now)
    admin, admin_key = new_key(system=None, scopes=frozenset({"admin"}), now=now)
    for key, why in ((finance_key, "finance submits invoices"), (admin_key, "demo admin")):
        audit = AuditEntry(now.isoformat(), "demo", "key.create", key.key_id, why, None)
        store.save_api_keys([key], audit)
    return finance, admin


def _label_printer(carriers: CarrierHubSim, seed: int) -> LabelPrinter:
    """Books each order's parcels with UPS or FedEx (alternating from the seed); the first
    scan comes just after the WMS dispatches (two hours after it accepted the order)."""
    turn = [seed % 2]

    def book(_order: str, packages: int) -> tuple[str, list[str]]:
        carrier = PARCEL_CARRIERS[turn[0] % 2]
        turn[0] += 1
        shipment = carriers.register(carrier, pieces=packages, start_in=2 * 3600 + 300)
        return carrier, [piece.tracking_number for piece in shipment.pieces]

    return book


@contextmanager
def running_world(
    folder: Path,
    db: Path,
    *,
    seed: int,
    speed: float,
    clock: ManualClock,
    odoo_faults: FaultPlan,
    carrier_faults: CarrierFaultPlan,
    shop_faults: ShopFaultPlan,
) -> Iterator[World]:
    """Start the hub, the two Odoo servers and the simulators; stop them all after.
    ``speed`` is how fast the simulated clock runs, which the dashboard says."""
    credentials = HubCredentials()
    tap = WebhookTap()
    config = demo_config(folder / "edi")
    with ExitStack() as stack:
        hub = stack.enter_context(
            running_hub(
                db,
                config.rules(),
                demo_webhooks(credentials),
                clock=clock,
                seed=seed,
                wrap_app=tap.wrap,
                ui=replace(UiSettings.from_env(), simulated_speed=speed),
            )
        )
        odoo = stack.enter_context(
            odoo_sim(
                ODOO_VERSION,
                path=folder / "odoo.sqlite",
                custom_fields=CUSTOM_FIELDS,
                clock=clock,
            )
        )
        naive = stack.enter_context(
            odoo_sim(
                ODOO_VERSION,
                path=folder / "odoo-naive.sqlite",
                custom_fields=CUSTOM_FIELDS,
                clock=clock,
            )
        )
        for sim in (odoo, naive):
            _seed_products(sim, seed)
            sim.faults = odoo_faults
        push_to: dict[str, str] = {c: f"{hub.url}/v1/webhooks/{c}" for c in PARCEL_CARRIERS}
        carriers = stack.enter_context(
            carrier_hub(
                seed=seed,
                push_to=push_to,
                faults=carrier_faults,
                credentials=credentials,
                clock=ManualClock(DAY_START),
            )
        )
        edi = edi_side(config, seed, tap.queue, DAY_START)
        wms = stack.enter_context(
            wms_sim(
                seed=seed,
                post_to=f"{hub.url}/v1/webhooks/wms",
                faults=MessageFaultPlan(seed=seed),
                start=DAY_START,
                label_printer=fleet_or_parcels(
                    _label_printer(carriers, seed), edi.orders.__contains__
                ),
            )
        )
        tms = stack.enter_context(
            tms_sim(seed=seed, post_to=f"{hub.url}/v1/webhooks/tms", start=DAY_START)
        )
        shop = stack.enter_context(
            shop_sim(
                f"{hub.url}/v1/webhooks/shop",
                secret=SHOP_SECRET,
                seed=seed,
                faults=shop_faults,
                now=clock.now,
            )
        )
        user = odoo.user
        rpc = JsonRpc(odoo.url, odoo.database, user.login, user.password, timeout_seconds=10)
        settings = OdooSettings(
            database=odoo.database,
            user=user.login,
            milestone_field=MILESTONE_FIELD,
            locations={"WH1": "stock.stock_location_stock"},
            pickings="odoo",  # complete the delivery order Odoo made, never a second one
        )
        numbers = SqliteStore(db)  # the X12 target's control numbers, for its thread alone
        stack.callback(numbers.close)
        targets: dict[str, TargetConnector] = {
            "odoo": OdooTarget(rpc, settings, ODOO_VERSION),
            "wms": WmsTarget(wms.url, wms.token),
            EDI_PARTNER.name: x12_target(
                EDI_PARTNER.name, config.systems[EDI_PARTNER.name], numbers
            ),
        }

        pollers: dict[int, OdooPoller] = {}

        def poll_odoo(store: SqliteStore) -> None:
            if id(store) not in pollers:
                pollers[id(store)] = OdooPoller(
                    rpc, store, source="odoo", domains=["sales_order", "partner"]
                )
            pollers[id(store)].poll_once()

        finance_key, admin_key = _keys(hub.store)
        hub.start_workers(targets, [poll_odoo, edi.intake], poll_seconds=0.2)
        stack.callback(hub.stop_workers)  # before the systems they call stop
        yield World(hub, odoo, naive, wms, carriers, shop, tms, edi, tap, finance_key, admin_key)
