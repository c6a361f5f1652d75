"""Where each order is in order-to-cash: ONE stage per order, from all its documents.

An order's documents are its own projection (``sales_order:<number>``) and the shipments and
invoices that name it (``order_number``; the field every system's documents share, and the one
the ``entities_order`` index reads). Counting entities per domain instead would count an order
that is delivered and invoiced three times, once per document; here it is counted once, at its
furthest stage, with the time it got there.

Within one domain the least advanced document decides (an order with two parcels is delivered
when both are; paid when every invoice is); across domains the furthest does (a posted invoice
means the order is invoiced whatever Odoo's order status says). A cancelled order is
``cancelled`` whatever its documents show. Documents without a status, and statuses that do not
move an order forward (a draft invoice, a shipment returned or cancelled), count for nothing.

Pure functions: every backend computes the same stage in the transaction that changes a
document (``Store.commit_processing``), and reads the counts with ``Store.order_stages``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Stage:
    code: str
    label: str


STAGES: tuple[Stage, ...] = (
    Stage("placed", "Order received"),
    Stage("confirmed", "Confirmed"),
    Stage("released", "Released to WMS"),
    Stage("picked_packed", "Picked / packed"),
    Stage("dispatched", "Dispatched"),
    Stage("with_carrier", "With the carrier"),
    Stage("delivered", "Delivered"),
    Stage("invoiced", "Invoiced (posted)"),
    Stage("paid", "Paid"),
    Stage("cancelled", "Cancelled"),
)
"""In order-to-cash order; ``cancelled`` is off the path and shown last."""

_RANK = {stage.code: rank for rank, stage in enumerate(STAGES)}

_CARRIER = (
    "unknown",
    "pre_transit",
    "picked_up",
    "in_transit",
    "exception",
    "out_for_delivery",
    "delivery_attempted",
    "available_for_pickup",
)

STAGE_OF_STATUS: Mapping[str, Mapping[str, str]] = {
    "sales_order": {
        "draft": "placed",
        "placed": "placed",
        "confirmed": "confirmed",
        "released": "released",
        "picked": "picked_packed",
        "packed": "picked_packed",
        "shipped": "dispatched",
        "delivered": "delivered",
    },
    "shipment": {**dict.fromkeys(_CARRIER, "with_carrier"), "delivered": "delivered"},
    "invoice": {"posted": "invoiced", "paid": "paid"},
}
"""Per domain, the stage each status puts an order at (statuses absent: no stage)."""

ORDER_DOMAINS = tuple(STAGE_OF_STATUS)


class OrderDocument(NamedTuple):
    """One document of an order as the stage needs it: its domain, status code, and since
    when it has that status (the status's fact time, else the projection's last change)."""

    domain: str
    status: str | None
    since: str


def order_number_of(entity_key: str, state: Mapping[str, Any]) -> str | None:
    """The order an entity belongs to: a sales order's own number, the ``order_number`` of
    a shipment or invoice; None for any other entity or a document naming no order."""
    domain, _, key = entity_key.partition(":")
    if domain == "sales_order":
        return key
    if domain in ORDER_DOMAINS:
        number = state.get("order_number")
        return None if number in (None, "") else str(number)
    return None


def order_stage(documents: Iterable[OrderDocument]) -> tuple[str, str] | None:
    """(stage code, since) of the order these documents belong to; None when none of them
    has a status that places the order."""
    per_domain: dict[str, list[tuple[int, str]]] = {}
    cancelled: list[str] = []
    for document in documents:
        if document.domain == "sales_order" and document.status == "cancelled":
            cancelled.append(document.since)
        stage = STAGE_OF_STATUS.get(document.domain, {}).get(document.status or "")
        if stage is not None:
            per_domain.setdefault(document.domain, []).append((_RANK[stage], document.since))
    if cancelled:
        return "cancelled", min(cancelled)
    reached: list[tuple[int, str]] = []
    for staged in per_domain.values():
        rank = min(r for r, _ in staged)
        # the domain got there when the last of its documents at that stage did
        reached.append((rank, max(since for r, since in staged if r == rank)))
    if not reached:
        return None
    furthest = max(rank for rank, _ in reached)
    # several domains at the same stage: the order got there with the first of them
    since = min(since for rank, since in reached if rank == furthest)
    return STAGES[furthest].code, since
