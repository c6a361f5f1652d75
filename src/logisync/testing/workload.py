"""A reproducible logistics workload: orders, shipments, milestones and stock moves.

Events are spread over ``entities`` entity keys, each with a realistic payload (~300-600 bytes
of canonical JSON), from the systems that own them, with times increasing per entity.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from logisync.core.rules import DomainOwnership, FieldRule, Flow, OwnershipMap, Priority, Rules
from logisync.model import new_event
from logisync.model.envelope import Event

START = datetime(2026, 3, 1, tzinfo=UTC)
MILESTONES = ["pre_transit", "picked_up", "in_transit", "out_for_delivery", "delivered"]


def rules() -> Rules:
    return Rules(
        ownership=OwnershipMap(
            {
                "sales_order": DomainOwnership(
                    FieldRule(frozenset({"shop"})),
                    {"status": FieldRule(frozenset({"odoo", "shop", "wms"}))},
                ),
                "shipment": DomainOwnership(
                    FieldRule(frozenset({"wms"})),
                    {"status": FieldRule(frozenset({"ups", "dhl", "wms"}))},
                ),
                "stock_level": DomainOwnership(FieldRule(frozenset({"wms"}))),
            }
        ),
        flows=(
            Flow("orders to odoo", ("sales_order.*",), "odoo", "state", Priority.NORMAL),
            Flow("orders to wms", ("sales_order.confirmed",), "wms", "event", Priority.HIGH),
            Flow("tracking to odoo", ("shipment.*",), "odoo", "state", Priority.HIGH),
            Flow("tracking to shop", ("shipment.milestone_recorded",), "shop", "event"),
            Flow("stock to odoo", ("stock.*",), "odoo", "state", Priority.HIGH),
        ),
    )


def _order(n: int, step: int, when: datetime) -> tuple[str, dict[str, object], str, str]:
    number = f"SO{n:07d}"
    if step == 0:
        data = {
            "number": number,
            "channel": "web",
            "customer_ref": f"C{n % 997:05d}",
            "ordered_at": when.isoformat(),
            "total": {"amount": f"{(n % 500) + 19.99:.2f}", "currency": "EUR"},
            "lines": [
                {
                    "line_no": i + 1,
                    "sku": f"SKU-{(n + i) % 5000:05d}",
                    "quantity": {"value": str(1 + i), "unit": "H87"},
                    "unit_price": {"amount": "9.95", "currency": "EUR"},
                }
                for i in range(2)
            ],
        }
        return "sales_order.placed", data, "shop", f"sales_order:{number}"
    kinds = ["sales_order.confirmed", "sales_order.released", "sales_order.shipped"]
    kind = kinds[(step - 1) % len(kinds)]
    if kind == "sales_order.confirmed":
        return kind, {"number": number, "channel": "web"}, "shop", f"sales_order:{number}"
    return kind, {"number": number, "at": when.isoformat()}, "wms", f"sales_order:{number}"


def _shipment(n: int, step: int, when: datetime) -> tuple[str, dict[str, object], str, str]:
    number = f"SH{n:07d}"
    if step == 0:
        data = {
            "number": number,
            "order_number": f"SO{n:07d}",
            "carrier": "ups",
            "tracking_number": f"1Z{n:016d}",
            "service": "ground",
        }
        return "shipment.created", data, "wms", f"shipment:{number}"
    milestone = MILESTONES[min(step - 1, len(MILESTONES) - 1)]
    data = {
        "milestone": milestone,
        "occurred_at": when.isoformat(),
        "carrier": "ups",
        "carrier_code": "I",
        "carrier_text": "In transit",
        "tracking_number": f"1Z{n:016d}",
        "location": {"city": "Louisville", "country": "US"},
    }
    return "shipment.milestone_recorded", data, "ups", f"shipment:{number}"


def _stock(n: int, step: int, when: datetime) -> tuple[str, dict[str, object], str, str]:
    sku, location = f"SKU-{n:05d}", "WH1"
    if step % 4 == 0:
        data = {
            "location": location,
            "sku": sku,
            "on_hand": {"value": "100", "unit": "H87"},
            "counted_at": when.isoformat(),
        }
        return "stock.level_reported", data, "wms", f"stock_level:{location}/{sku}"
    data = {
        "adjustment_id": f"ADJ-{n}-{step}",
        "location": location,
        "sku": sku,
        "delta": {"value": "-1", "unit": "H87"},
        "reason": "damaged",
        "occurred_at": when.isoformat(),
    }
    return "stock.adjusted", data, "wms", f"stock_level:{location}/{sku}"


def events(count: int, entities: int, seed: int = 7) -> list[Event]:
    """``count`` events over ``entities`` entities, interleaved as a busy hub receives them."""
    rng = random.Random(seed)
    makers = [_order, _shipment, _stock]
    steps = [0] * entities
    out = []
    for i in range(count):
        entity = rng.randrange(entities)
        step = steps[entity]
        steps[entity] += 1
        when = START + timedelta(seconds=i)
        kind, data, source, subject = makers[entity % 3](entity, step, when)
        out.append(
            new_event(
                kind,
                data,
                source=source,
                id=f"{source}-{i}",
                subject=subject,
                time=when.isoformat(),
                sourceversion=i,
                correlationid=f"SO{entity:07d}",
            )
        )
    return out


def product_changes(first: int, count: int, products: int, size: int = 500) -> list[Event]:
    """Events ``first`` .. ``first + count - 1`` of an endless stream of product changes from
    the ERP, each about ``size`` bytes of CloudEvent JSON, spread round-robin over
    ``products`` products (so every product changes in order).

    Unlike ``events``, any slice can be made on its own: benchmarks fill a journal with a
    million of them chunk by chunk, and the next chunk's ids never repeat an earlier one's.
    """
    out = []
    for i in range(first, first + count):
        sku = f"P{i % products:07d}"
        name = f"{sku} revision {i // products} "
        envelope = 234 + len(name)  # the rest of the envelope, measured on this shape
        out.append(
            new_event(
                "product.changed",
                {"sku": sku, "name": name + "x" * max(0, size - envelope)},
                source="erp",
                id=f"erp-{i}",
                subject=f"product:{sku}",
                time=(START + timedelta(milliseconds=i)).isoformat(),
                sourceversion=i,
            )
        )
    return out
