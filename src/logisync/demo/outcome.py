"""What the day left behind, measured: the hub's books, and each Odoo read back over RPC.

Nothing here is assumed from what was sent: the expected end state comes from the systems
that own each fact (the shop's and the EDI retailer's orders, the WMS's dispatches, the
carriers' last scans and the TMS's last message, finance's invoices, customer service's
correction), and the actual state from Odoo itself.
The same measures are taken of the hub's Odoo and of the naive integration's Odoo.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from logisync.connectors.odoo import JsonRpc
from logisync.core.stewardship import every_conflict
from logisync.demo.config import FLEET, MILESTONE_FIELD
from logisync.demo.day import Day
from logisync.demo.fleet import dispatched as fleet_dispatched
from logisync.demo.fleet import fleet_finals
from logisync.model.lifecycle import LIFECYCLES

_SHIPMENT = LIFECYCLES["shipment"]


@dataclass(frozen=True)
class Expected:
    """The end state the owners of the facts say Odoo should show."""

    orders: frozenset[str]
    edi_orders: frozenset[str]  # of them, the retailer's
    milestones: dict[str, tuple[str, str]]  # order number -> (tracking number, carrier's last)
    invoices: frozenset[str]
    customer: tuple[str, str] | None  # (partner ref, e-mail customer service set)


@dataclass
class OdooState:
    """Duplicates, losses and wrong statuses found in one Odoo."""

    duplicates: Counter[str] = field(default_factory=Counter)
    lost: Counter[str] = field(default_factory=Counter)
    order_copies: Counter[str] = field(default_factory=Counter)  # order number -> sale.orders
    wrong_status: int = 0
    regressed: int = 0  # wrong status behind the carrier's (an older scan written last)
    customer_overwritten: bool = False
    detail: list[str] = field(default_factory=list)


def expected_of(day: Day) -> Expected:
    world = day.world
    dispatched: dict[str, tuple[str, str]] = {}
    fleet = fleet_finals(world.tms)
    for body in fleet_dispatched(world.wms):
        tracking = str(body["packages"][0]["tracking_number"])
        if body.get("carrier") == FLEET:
            final = fleet.get(str(body["shipment_number"]), "")
        else:
            final = world.carriers.expected(tracking)["shipment_final_milestone"]
        dispatched[str(body["order_number"])] = (tracking, str(final))
    edi = frozenset(world.edi.orders)
    orders = frozenset(o["name"].lstrip("#") for o in world.shop.shop.orders.values()) | edi
    corrected = next(iter(day.service.corrected.items()), None)
    issued = frozenset(day.finance.issued.values())
    return Expected(orders, edi, dispatched, issued, corrected)


def _count(values: list[Any]) -> Counter[str]:
    return Counter(str(v) for v in values if v)


def measure_odoo(odoo: JsonRpc, expected: Expected, naive: bool) -> OdooState:
    state = OdooState()
    orders = odoo.call(
        "sale.order", "search_read", domain=[], fields=["client_order_ref", "picking_ids"]
    )
    by_ref = _count([o["client_order_ref"] for o in orders])
    state.order_copies = by_ref
    state.duplicates["orders"] = sum(n - 1 for n in by_ref.values())
    state.lost["orders"] = len(expected.orders - set(by_ref))
    pickings = odoo.call(
        "stock.picking",
        "search_read",
        domain=[],
        fields=["origin", "carrier_tracking_ref", MILESTONE_FIELD, "sale_id"],
    )
    if naive:
        tracked = {str(p["carrier_tracking_ref"]): p for p in pickings if p["carrier_tracking_ref"]}
        copies = _count([p["carrier_tracking_ref"] for p in pickings])
        state.duplicates["delivery orders"] = sum(n - 1 for n in copies.values())
        shown = {
            number: tracked.get(tracking, {}).get(MILESTONE_FIELD)
            for number, (tracking, _) in expected.milestones.items()
        }
        missing = [n for n, (t, _) in expected.milestones.items() if t not in tracked]
    else:
        by_order = {str(o["client_order_ref"]): o["picking_ids"] for o in orders}
        picking_of = {p["id"]: p for p in pickings}
        state.duplicates["delivery orders"] = sum(max(0, len(ids) - 1) for ids in by_order.values())
        shown = {
            number: picking_of[by_order[number][0]].get(MILESTONE_FIELD)
            for number in expected.milestones
            if by_order.get(number)
        }
        missing = [n for n in expected.milestones if not by_order.get(n)]
    state.lost["shipments"] = len(missing)
    for number, (tracking, final) in expected.milestones.items():
        got = shown.get(number)
        if number in missing or got == final:
            continue
        state.wrong_status += 1
        if _SHIPMENT.rank(got or None) < _SHIPMENT.rank(final):
            state.regressed += 1
        state.detail.append(f"{number} ({tracking}): Odoo says {got}, the carrier {final}")
    _measure_invoices(odoo, expected, state)
    _measure_customer(odoo, expected, state)
    return state


def _measure_invoices(odoo: JsonRpc, expected: Expected, state: OdooState) -> None:
    moves = odoo.call(
        "account.move",
        "search_read",
        domain=[["move_type", "=", "out_invoice"]],
        fields=["ref", "state"],
    )
    refs = _count([str(m["ref"]).removeprefix("invoice:") for m in moves if m["state"] == "posted"])
    state.duplicates["invoices"] = sum(n - 1 for n in refs.values())
    state.lost["invoices"] = len(expected.invoices - set(refs))


def _measure_customer(odoo: JsonRpc, expected: Expected, state: OdooState) -> None:
    if expected.customer is None:
        return
    ref, email = expected.customer
    partners = odoo.call("res.partner", "search_read", domain=[["ref", "=", ref]], fields=["email"])
    state.duplicates["customers"] = max(0, len(partners) - 1)
    state.customer_overwritten = not partners or partners[0]["email"] != email


def _moved_on(day: Day, entity_key: str) -> bool:
    """A carrier scan keyed by its tracking number, whose number now names a shipment: its
    facts were moved onto that shipment, and reached Odoo with it."""
    domain, _, number = entity_key.partition(":")
    store = day.world.hub.store
    return domain == "shipment" and any(
        store.resolve(carrier, number) not in (None, entity_key) for carrier in ("ups", "fedex")
    )


@dataclass(frozen=True)
class HubBooks:
    """The hub's own counts, read from its SQLite file."""

    events_in: int
    posts: int
    delivered: int
    retried: int
    dead_lettered: int
    dead_early_scans: int  # of them: scans that came before their dispatch, since moved on
    superseded: int
    duplicates_absorbed: int
    conflicts: int
    stock_on_hand: str | None


def hub_books(day: Day) -> HubBooks:
    hub, tap = day.world.hub, day.world.tap.counts()
    with sqlite3.connect(f"file:{hub.path}?mode=ro", uri=True) as db:

        def one(sql: str) -> int:
            return int(db.execute(sql).fetchone()[0] or 0)

        delivered = one("SELECT count(*) FROM deliveries WHERE state = 'delivered'")
        retried = one("SELECT count(DISTINCT delivery_id) FROM delivery_attempts WHERE attempt > 1")
        superseded = one("SELECT count(*) FROM processed_events WHERE outcome = 'superseded'")
        superseded += one(
            "SELECT count(*) FROM processed_events WHERE outcome = 'partly_applied'"
            " AND detail LIKE '%superseded%'"
        )
    dead = hub.store.dead_letters()
    sku = next(iter(day.log.double_posted.values()), None)
    level = hub.store.get_projection(f"stock_level:WH1/{sku}") if sku else None
    return HubBooks(
        events_in=hub.store.counts().journal,
        posts=sum(n for k, n in tap.items() if k.startswith("from:")),
        delivered=delivered,
        retried=retried,
        dead_lettered=len(dead),
        dead_early_scans=sum(1 for letter in dead if _moved_on(day, letter.entity_key)),
        superseded=superseded,
        duplicates_absorbed=tap["duplicates_absorbed"],
        conflicts=len(every_conflict(hub.store)),
        stock_on_hand=None if level is None else str(level.state["on_hand"]["value"]),
    )
