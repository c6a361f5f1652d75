"""Valid sample messages of the WMS and TMS contracts, for the tests of this folder."""

from __future__ import annotations

import copy
from typing import Any

SSCC_1 = "003456789012345670"
SSCC_2 = "003456789012345687"

WMS: dict[str, dict[str, Any]] = {
    "order.acknowledged": {
        "type": "order.acknowledged",
        "message_id": "m-ack-1",
        "sent_at": "2026-03-02T08:00:00+01:00",
        "order_number": "SO-1",
        "outcome": "accepted",
        "wms_order_id": "WO-77",
    },
    "order.released": {
        "type": "order.released",
        "message_id": "m-rel-1",
        "sent_at": "2026-03-02T08:01:00Z",
        "order_number": "SO-1",
        "released_at": "2026-03-02T08:01:00Z",
    },
    "order.picked": {
        "type": "order.picked",
        "message_id": "m-pick-1",
        "sent_at": "2026-03-02T09:00:00Z",
        "order_number": "SO-1",
        "picked_at": "2026-03-02T09:00:00Z",
        "lines": [{"line_no": 1, "sku": "MUG-WHT", "quantity": "2"}],
    },
    "order.packed": {
        "type": "order.packed",
        "message_id": "m-pack-1",
        "sent_at": "2026-03-02T09:30:00Z",
        "order_number": "SO-1",
        "shipment_number": "OUT-1",
        "packed_at": "2026-03-02T09:30:00Z",
        "packages": [
            {"sscc": SSCC_1, "weight_kg": "1.2", "contents": {"MUG-WHT": "1"}},
            {"sscc": SSCC_2, "contents": {"MUG-WHT": "1"}},
        ],
    },
    "order.dispatched": {
        "type": "order.dispatched",
        "message_id": "m-disp-1",
        "sent_at": "2026-03-02T16:00:00Z",
        "order_number": "SO-1",
        "shipment_number": "OUT-1",
        "carrier": "dhl",
        "dispatched_at": "2026-03-02T16:00:00Z",
        "packages": [
            {"sscc": SSCC_1, "tracking_number": "JD0001"},
            {"sscc": SSCC_2, "tracking_number": "JD0002"},
        ],
    },
    "stock.adjusted": {
        "type": "stock.adjusted",
        "message_id": "m-adj-1",
        "sent_at": "2026-03-02T07:00:00Z",
        "adjustment_id": "ADJ-9",
        "location": "WH1",
        "sku": "MUG-WHT",
        "delta": "-3",
        "reason": "damaged",
        "occurred_at": "2026-03-02T06:59:00Z",
    },
    "inventory.snapshot": {
        "type": "inventory.snapshot",
        "message_id": "m-snap-1",
        "sent_at": "2026-03-02T23:00:00Z",
        "counted_at": "2026-03-02T22:00:00Z",
        "levels": [
            {"location": "WH1", "sku": "MUG-WHT", "on_hand": "40", "reserved": "2"},
            {"location": "WH1", "sku": "TEE-M", "on_hand": "7"},
            {"location": "WH2", "sku": "MUG-WHT", "on_hand": "0"},
        ],
    },
    "return.received": {
        "type": "return.received",
        "message_id": "m-ret-1",
        "sent_at": "2026-03-05T10:00:00Z",
        "return_number": "RMA-3",
        "order_number": "SO-1",
        "received_at": "2026-03-05T09:58:00Z",
        "lines": [{"sku": "MUG-WHT", "quantity": "1", "condition": "damaged"}],
    },
}

TMS: dict[str, dict[str, Any]] = {
    "route.planned": {
        "type": "route.planned",
        "message_id": "t-route-1",
        "sent_at": "2026-03-02T17:00:00Z",
        "route_id": "R-7",
        "carrier": "own-fleet",
        "planned_at": "2026-03-02T17:00:00Z",
        "stops": [
            {"sequence": 1, "shipment_number": "OUT-1", "eta": "2026-03-03T09:00:00Z"},
            {"sequence": 2, "shipment_number": "OUT-2", "eta": "2026-03-03T10:30:00Z"},
        ],
    },
    "shipment.handed_over": {
        "type": "shipment.handed_over",
        "message_id": "t-ho-1",
        "sent_at": "2026-03-03T07:00:00Z",
        "shipment_number": "OUT-1",
        "carrier": "own-fleet",
        "handed_over_at": "2026-03-03T07:00:00Z",
    },
    "shipment.delivered": {
        "type": "shipment.delivered",
        "message_id": "t-pod-1",
        "sent_at": "2026-03-03T09:05:00Z",
        "shipment_number": "OUT-1",
        "delivered_at": "2026-03-03T09:04:00Z",
        "signed_by": "J. Jansen",
        "signature_ref": "pod://R-7/1/signature.png",
    },
}


def wms(type_name: str, **changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(WMS[type_name]), **changes}


def tms(type_name: str, **changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(TMS[type_name]), **changes}
