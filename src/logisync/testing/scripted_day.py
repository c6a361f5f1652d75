"""A small scripted day, journaled and processed in one call: a store with known contents.

What the shop, Odoo, the warehouse and a carrier send the hub, with the field's usual
troubles on purpose: a webhook delivered twice, a carrier scan that arrives after the parcel
was delivered, a warehouse that double-posts a stock adjustment, and a shop that overwrites a
customer name that Odoo owns. Tests of the operator commands (``status``, ``trace``...) read
such a store; ``logisync demo`` runs the whole system instead (``logisync.demo``).

    record_scripted_day(tmp_path / "hub.db")    # order SO1001, shipment SH1001, C1001...
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from logisync.config import load_config
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.model import new_event
from logisync.model.envelope import Event
from logisync.store.sqlite import SqliteStore

EXAMPLE_CONFIG = Path(__file__).resolve().parents[1] / "examples" / "hub.yaml"

DAY = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def _at(minutes: int) -> str:
    return (DAY + timedelta(minutes=minutes)).isoformat()


def _event(
    type: str, data: dict[str, Any], source: str, id: str, minutes: int, **extra: Any
) -> Event:
    return new_event(type, data, source=source, id=id, time=_at(minutes), **extra)


def business_day() -> list[tuple[str, Event | CarrierScan]]:
    """(what happened, the event the sender posted), in the order the hub receives them."""
    order = "SO1001"
    lines = [
        {
            "line_no": 1,
            "sku": "SKU-CHAIR",
            "quantity": {"value": "4", "unit": "pcs"},
            "unit_price": {"amount": "89.00", "currency": "EUR"},
        },
        {
            "line_no": 2,
            "sku": "SKU-DESK",
            "quantity": {"value": "1", "unit": "pcs"},
            "unit_price": {"amount": "349.00", "currency": "EUR"},
        },
    ]
    placed = _event(
        "sales_order.placed",
        {
            "number": order,
            "channel": "web",
            "customer_ref": "C1001",
            "currency": "EUR",
            "ordered_at": _at(5),
            "total": {"amount": "705.00", "currency": "EUR"},
            "lines": lines,
            "external_ids": {"shop": "gid-5501"},
        },
        "shop",
        "shop-5501-create",
        5,
        correlationid=order,
    )
    tracking = "1Z999AA10123456784"
    return [
        (
            "Odoo creates the customer",
            _event(
                "partner.created",
                {
                    "ref": "C1001",
                    "name": "Acme Interiors",
                    "is_company": True,
                    "vat": "NL004495445B01",
                    "address": {"street": "Keizersgracht 1", "city": "Amsterdam", "country": "NL"},
                    "external_ids": {"odoo": "res.partner,42"},
                },
                "odoo",
                "odoo-partner-42-1",
                0,
            ),
        ),
        (
            "The shop adds the customer's e-mail (the shop owns it)",
            _event(
                "partner.changed",
                {"ref": "C1001", "email": "orders@acme-interiors.example"},
                "shop",
                "shop-cust-77-1",
                2,
            ),
        ),
        ("The shop takes order SO1001", placed),
        ("The shop's webhook is delivered a second time", placed),
        (
            "Odoo confirms the order",
            _event(
                "sales_order.confirmed",
                {"number": order, "external_ids": {"odoo": "sale.order,311"}},
                "odoo",
                "odoo-so-311-confirm",
                9,
                correlationid=order,
            ),
        ),
        (
            "The warehouse reports stock of desks",
            _event(
                "stock.level_reported",
                {
                    "location": "WH1",
                    "sku": "SKU-DESK",
                    "on_hand": {"value": "25", "unit": "pcs"},
                    "counted_at": _at(10),
                },
                "wms",
                "wms-snap-1",
                10,
                sourceversion=1001,
            ),
        ),
        (
            "The warehouse picks the order",
            _event(
                "sales_order.picked",
                {"number": order, "at": _at(30)},
                "wms",
                "wms-pick-1",
                30,
                correlationid=order,
                sourceversion=1002,
            ),
        ),
        (
            "A desk is damaged while picking",
            _event(
                "stock.adjusted",
                {
                    "adjustment_id": "ADJ-7",
                    "location": "WH1",
                    "sku": "SKU-DESK",
                    "delta": {"value": "-1", "unit": "pcs"},
                    "reason": "damaged",
                    "occurred_at": _at(31),
                },
                "wms",
                "wms-adj-7",
                31,
                sourceversion=1003,
            ),
        ),
        (
            "The warehouse double-posts the same adjustment",
            _event(
                "stock.adjusted",
                {
                    "adjustment_id": "ADJ-7",
                    "location": "WH1",
                    "sku": "SKU-DESK",
                    "delta": {"value": "-1", "unit": "pcs"},
                    "reason": "damaged",
                    "occurred_at": _at(31),
                },
                "wms",
                "wms-adj-7-retry",
                32,
                sourceversion=1004,
            ),
        ),
        (
            "The warehouse packs and dispatches with UPS",
            _event(
                "shipment.dispatched",
                {
                    "number": "SH1001",
                    "order_number": order,
                    "carrier": "ups",
                    "service": "standard",
                    "tracking_number": tracking,
                    "dispatched_at": _at(60),
                    "packages": [
                        {
                            "sscc": "376123450000000016",
                            "tracking_number": tracking,
                            "weight": {"value": "38.5", "unit": "kg"},
                        }
                    ],
                },
                "wms",
                "wms-ship-1",
                60,
                correlationid=order,
                sourceversion=1005,
            ),
        ),
        (
            "The warehouse reports the order shipped",
            _event(
                "sales_order.shipped",
                {"number": order, "at": _at(61)},
                "wms",
                "wms-so-shipped",
                61,
                correlationid=order,
                sourceversion=1006,
            ),
        ),
        ("UPS: picked up", _milestone(tracking, "picked_up", "P", "Pickup Scan", 90)),
        ("UPS: in transit", _milestone(tracking, "in_transit", "I", "Departed from Facility", 240)),
        ("UPS: delivered", _milestone(tracking, "delivered", "D", "Delivered", 420)),
        (
            "UPS re-sends the delivery webhook",
            _milestone(tracking, "delivered", "D", "Delivered", 420),
        ),
        (
            "UPS: a late 'in transit' scan arrives after delivery",
            _milestone(tracking, "in_transit", "I", "Arrived at Facility", 300),
        ),
        (
            "The shop overwrites the customer name that Odoo owns",
            _event(
                "partner.changed",
                {"ref": "C1001", "name": "ACME INTERIORS BV!!"},
                "shop",
                "shop-cust-77-2",
                430,
            ),
        ),
        (
            "Odoo posts the invoice",
            _event(
                "invoice.posted",
                {
                    "number": "INV-2026-0815",
                    "order_number": order,
                    "partner_ref": "C1001",
                    "issued_on": "2026-11-23",
                    "total": {"amount": "853.05", "currency": "EUR"},
                },
                "odoo",
                "odoo-inv-815",
                440,
                correlationid=order,
            ),
        ),
    ]


class CarrierScan:
    """A carrier tracking event: the carrier knows its tracking number, not our shipment.

    The hub resolves the subject through the crosswalk, ``(ups, tracking number) -> shipment``,
    which the warehouse's dispatch event linked.
    """

    def __init__(self, tracking: str, milestone: str, code: str, text: str, minutes: int) -> None:
        self.tracking = tracking
        self.carrier = "ups"
        self.minutes = minutes
        self.data = {
            "milestone": milestone,
            "occurred_at": _at(minutes),
            "carrier": "ups",
            "carrier_code": code,
            "carrier_text": text,
            "tracking_number": tracking,
            "location": {"city": "Venlo", "country": "NL"},
        }

    def event(self, subject: str) -> Event:
        return _event(
            "shipment.milestone_recorded",
            self.data,
            "ups",
            f"ups-{self.tracking}-{self.minutes}",
            self.minutes,
            subject=subject,
            correlationid="SO1001",
        )


def _milestone(tracking: str, milestone: str, code: str, text: str, minutes: int) -> CarrierScan:
    return CarrierScan(tracking, milestone, code, text, minutes)


def record_scripted_day(db_path: Path, config_path: Path = EXAMPLE_CONFIG) -> None:
    """Journal the day into the SQLite file at ``db_path`` and process it, with the rules of
    ``config_path`` (the example hub by default); the carrier's scans resolve their tracking
    number through the crosswalk, as the webhook route does."""
    store = SqliteStore(db_path)
    try:
        journal = Journal(store)
        processor = Processor(store, load_config(config_path).rules(), name="scripted-day")
        for _, sent in business_day():
            event: Event
            if not isinstance(sent, CarrierScan):
                event = sent
            else:
                subject = store.resolve(sent.carrier, sent.tracking)
                if subject is None:
                    continue
                event = sent.event(subject)
            journal.append([event])
            processor.run_until_idle()
    finally:
        store.close()
