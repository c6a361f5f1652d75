"""Business documents a trading partner sends, generated from a seed, in no EDI standard yet.

A document's ``content`` has the shape the hub's entities have (and the X12 writers take):
an order with lines, a shipment with SSCC packages, carrier milestones, an invoice. Its
``expected`` facts are what the hub should end up with once it has read the document, in a
compact form (``facts_of_event`` gives the same form for a canonical event), so a test can
check the end state without knowing how any standard spells it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from logisync.testing.edi_partner.gs1 import new_gtin, new_sscc

__all__ = [
    "DOCUMENT_KINDS",
    "BusinessDocument",
    "DocumentFactory",
    "DocumentKind",
    "ExpectedFact",
    "Product",
    "facts_of_event",
]

DocumentKind = Literal[
    "purchase_order", "shipping_advice", "ship_notice", "carrier_status", "invoice"
]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    "purchase_order",
    "shipping_advice",
    "ship_notice",
    "carrier_status",
    "invoice",
)
CITIES = (
    ("Columbus", "OH", "43215"),
    ("Reno", "NV", "89501"),
    ("Memphis", "TN", "38103"),
    ("Allentown", "PA", "18101"),
    ("Dallas", "TX", "75201"),
)
STREETS = ("Commerce Dr", "Industrial Pkwy", "Main St", "Distribution Way", "Harbor Rd")
CARRIERS = (("UPSN", "GROUND"), ("FDEG", "GROUND"), ("ODFL", "LTL"), ("RDWY", "LTL"))
MILESTONE_PATH = (("XB", "pre_transit"), ("AF", "picked_up"), ("P1", "in_transit"),
                  ("X6", "out_for_delivery"), ("D1", "delivered"))  # fmt: skip


@dataclass(frozen=True)
class Product:
    sku: str
    gtin: str
    description: str
    unit_price: Decimal


@dataclass(frozen=True)
class ExpectedFact:
    """One fact the hub should hold after reading a document: the event type it journals,
    the entity key, and the compact facts (``facts_of_event`` of that event)."""

    event_type: str
    key: str
    facts: dict[str, Any]


@dataclass(frozen=True)
class BusinessDocument:
    kind: DocumentKind
    number: str
    content: dict[str, Any]
    expected: tuple[ExpectedFact, ...] = field(default=())


class DocumentFactory:
    """Documents drawn from one seeded RNG: the same seed gives the same documents, numbers
    and products in the same order. Orders it issued are remembered, so a ship notice or an
    invoice refers to an order the partner really placed."""

    def __init__(self, seed: int, *, prefix: str = "P", company_prefix: str = "0614141") -> None:
        self._rng = random.Random(seed)
        self._prefix = prefix
        self._company = company_prefix
        self._serial = 0
        self._sscc_serial = self._rng.randrange(10**6)
        self.catalogue = [self._product(i) for i in range(1, 9)]
        self._orders: list[dict[str, Any]] = []
        self._shipments: list[dict[str, Any]] = []

    def new(self, kind: DocumentKind, at: datetime) -> BusinessDocument:
        self._serial += 1
        build = {
            "purchase_order": self._purchase_order,
            "shipping_advice": self._shipment,
            "ship_notice": self._shipment,
            "carrier_status": self._carrier_status,
            "invoice": self._invoice,
        }[kind]
        return build(kind, at)

    def _product(self, index: int) -> Product:
        price = Decimal(self._rng.randrange(199, 9999)) / 100
        return Product(
            sku=f"SKU-{self._rng.randrange(10000, 99999)}-{index}",
            gtin=new_gtin(self._rng, self._company),
            description=f"{self._rng.choice(('Blue', 'Red', 'Steel', 'Oak'))} item {index}",
            unit_price=price,
        )

    def _number(self, code: str) -> str:
        return f"{self._prefix}{code}{self._serial:06d}"

    def _address(self) -> dict[str, Any]:
        city, region, postal_code = self._rng.choice(CITIES)
        street = f"{self._rng.randrange(1, 9999)} {self._rng.choice(STREETS)}"
        return {"street": street, "city": city, "region": region,
                "postal_code": postal_code, "country": "US"}  # fmt: skip

    def _purchase_order(self, kind: DocumentKind, at: datetime) -> BusinessDocument:
        products = self._rng.sample(self.catalogue, self._rng.randint(1, 4))
        lines = [
            {
                "line_no": n,
                "sku": p.sku,
                "gtin": p.gtin,
                "description": p.description,
                "quantity": {"value": Decimal(self._rng.randint(1, 48)), "unit": "EA"},
                "unit_price": {"amount": p.unit_price, "currency": "USD"},
            }
            for n, p in enumerate(products, 1)
        ]
        order: dict[str, Any] = {
            "number": self._number("PO"),
            "ordered_at": at.isoformat(),
            "currency": "USD",
            "customer_ref": f"{self._prefix}STORE{self._rng.randrange(1, 40):03d}",
            "ship_to": self._address(),
            "requested_date": (at + timedelta(days=self._rng.randint(2, 10))).date().isoformat(),
            "lines": lines,
        }
        self._orders.append(order)
        facts = {"number": order["number"], "lines": _quantities(lines)}
        expected = ExpectedFact("sales_order.placed", order["number"], facts)
        return BusinessDocument(kind, order["number"], order, (expected,))

    def _an_order(self, at: datetime) -> dict[str, Any]:
        """An order placed earlier, else a fresh one (not sent: a warehouse's own order)."""
        if self._orders:
            return self._rng.choice(self._orders)
        return self._purchase_order("purchase_order", at).content

    def _shipment(self, kind: DocumentKind, at: datetime) -> BusinessDocument:
        order = self._an_order(at)
        carrier, service = self._rng.choice(CARRIERS)
        lines = list(order["lines"])
        self._rng.shuffle(lines)
        cut = self._rng.randint(1, len(lines))
        packages: list[dict[str, Any]] = []
        for part in (lines[:cut], lines[cut:]):
            if part:
                self._sscc_serial += 1
                sscc = new_sscc(self._sscc_serial % 10, self._company, self._sscc_serial)
                contents = {line["sku"]: line["quantity"]["value"] for line in part}
                packages.append({"sscc": sscc, "contents": contents})
        shipment: dict[str, Any] = {
            "number": self._number("SH"),
            "order_number": order["number"],
            "dispatched_at": at.replace(second=0, microsecond=0).isoformat(),
            "carrier": carrier,
            "service": service,
            "tracking_number": f"{carrier[:2]}{self._rng.randrange(10**9, 10**10)}",
            "ship_to": order["ship_to"],
            "packages": packages,
        }
        self._shipments.append(shipment)
        facts = {
            "number": shipment["number"],
            "order_number": order["number"],
            "packages": {p["sscc"]: _plain(p["contents"]) for p in packages},
        }
        expected = ExpectedFact("shipment.dispatched", shipment["number"], facts)
        return BusinessDocument(kind, shipment["number"], shipment, (expected,))

    def _carrier_status(self, kind: DocumentKind, at: datetime) -> BusinessDocument:
        # the status of a shipment the partner reported, else of one the carrier alone knows
        if self._shipments:
            shipped = self._rng.choice(self._shipments)
            shipment_number, carrier = shipped["number"], shipped["carrier"]
            tracking = shipped["tracking_number"]
        else:
            shipment_number = self._number("SH")
            carrier, _ = self._rng.choice(CARRIERS)
            tracking = f"{carrier[:2]}{self._rng.randrange(10**9, 10**10)}"
        city, region, _ = self._rng.choice(CITIES)
        steps = MILESTONE_PATH[: self._rng.randint(1, len(MILESTONE_PATH))]
        moment = at.replace(second=0, microsecond=0) - timedelta(hours=6 * len(steps))
        milestones = []
        for code, milestone in steps:
            moment += timedelta(minutes=self._rng.randint(30, 360))
            milestones.append(
                {
                    "shipment_number": shipment_number,
                    "tracking_number": tracking,
                    "carrier": carrier,
                    "milestone": milestone,
                    "carrier_code": code,
                    "occurred_at": moment.isoformat(),
                    "location": {"city": city, "region": region, "country": "US"},
                }
            )
        expected = tuple(
            ExpectedFact("shipment.milestone_recorded", shipment_number, _milestone_facts(m))
            for m in milestones
        )
        return BusinessDocument(kind, shipment_number, {"milestones": milestones}, expected)

    def _invoice(self, kind: DocumentKind, at: datetime) -> BusinessDocument:
        order = self._an_order(at)
        lines = [
            {k: line[k] for k in ("sku", "description", "quantity", "unit_price")}
            for line in order["lines"]
        ]
        total = sum(
            (line["quantity"]["value"] * line["unit_price"]["amount"] for line in lines),
            Decimal(0),
        ).quantize(Decimal("0.01"))
        invoice: dict[str, Any] = {
            "number": self._number("IN"),
            "issued_on": at.date().isoformat(),
            "order_number": order["number"],
            "partner_ref": order["customer_ref"],
            "due_on": (at + timedelta(days=30)).date().isoformat(),
            "lines": lines,
            "total": {"amount": total, "currency": "USD"},
        }
        facts = {
            "number": invoice["number"],
            "order_number": order["number"],
            "lines": _quantities(lines),
            "total": _text(total),
        }
        expected = ExpectedFact("invoice.created", invoice["number"], facts)
        return BusinessDocument(kind, invoice["number"], invoice, (expected,))


def facts_of_event(event: dict[str, Any]) -> ExpectedFact:
    """The compact facts of a canonical event (a CloudEvents dict), as ``ExpectedFact``
    states them, so the two can be compared with ``==``."""
    kind, data = event["type"], event["data"]
    if kind == "sales_order.placed":
        facts = {"number": data["number"], "lines": _quantities(data["lines"])}
        return ExpectedFact(kind, data["number"], facts)
    if kind == "shipment.dispatched":
        packages = {p.get("sscc"): _plain(p.get("contents") or {}) for p in data["packages"]}
        facts = {"number": data["number"], "order_number": data.get("order_number"),
                 "packages": packages}  # fmt: skip
        return ExpectedFact(kind, data["number"], facts)
    if kind == "shipment.milestone_recorded":
        return ExpectedFact(kind, data["shipment_number"], _milestone_facts(data))
    if kind == "invoice.created":
        facts = {
            "number": data["number"],
            "order_number": data.get("order_number"),
            "lines": _quantities(data["lines"]),
            "total": _text(data["total"]["amount"]),
        }
        return ExpectedFact(kind, data["number"], facts)
    raise ValueError(f"no compact facts for {kind!r} events")


def _milestone_facts(milestone: dict[str, Any]) -> dict[str, Any]:
    occurred = datetime.fromisoformat(str(milestone["occurred_at"]).replace("Z", "+00:00"))
    return {
        "tracking_number": milestone.get("tracking_number"),
        "milestone": milestone["milestone"],
        "occurred_at": occurred.astimezone(UTC).strftime("%Y-%m-%dT%H:%M%z"),
    }


def _quantities(lines: list[dict[str, Any]]) -> dict[str, str]:
    totals: dict[str, Decimal] = {}
    for line in lines:
        sku = str(line["sku"])
        totals[sku] = totals.get(sku, Decimal(0)) + Decimal(str(line["quantity"]["value"]))
    return {sku: _text(quantity) for sku, quantity in totals.items()}


def _plain(contents: dict[str, Any]) -> dict[str, str]:
    return {str(sku): _text(quantity) for sku, quantity in contents.items()}


def _text(value: Any) -> str:
    """A quantity or amount as comparable text: ``12``, ``12.5`` (no exponent, no trailing
    zeros), whatever type and precision it arrived with."""
    number = Decimal(str(value)).normalize()
    return format(number.quantize(Decimal(1)) if number == number.to_integral() else number, "f")
