"""The same day without a hub: each message sent straight to (a second) Odoo, as it arrives.

This is how the point-to-point scripts the hub replaces work: a message is read with the same
parsers the hub uses (the formats are not the problem), then written to Odoo in one call —
an order or invoice "created" message creates a record, a carrier or TMS scan writes its
status onto the delivery order found by tracking (or shipment) number, a customer update
overwrites the customer. The EDI retailer's files are imported one by one as they arrive.
There is no journal, no per-entity order, no ownership, no control-number ledger and no
retry: a re-sent message or interchange creates a second record, a late scan moves a status
back, a call that meets maintenance or a 5xx is lost, and the shop's copy of a customer
overwrites what customer service corrected.
"""

from __future__ import annotations

import queue
import threading
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson

from logisync.api.webhooks import adapter_for
from logisync.api.webhooks.verdict import VerifiedDelivery
from logisync.connectors.edi import MemoryControlLedger
from logisync.connectors.odoo import JsonRpc
from logisync.connectors.odoo.failures import OdooCallFailed
from logisync.connectors.x12 import X12Partner, receive_x12
from logisync.demo.config import EDI_PARTNER, MILESTONE_FIELD
from logisync.demo.tap import TappedPost
from logisync.errors import LogisyncError

KINDS = {
    "shop": "shopify",
    "wms": "wms",
    "tms": "tms",
    "ups": "ups",
    "fedex": "fedex",
    "events": "passthrough",
}
# How the naive import reads the retailer's X12: the same envelope as the hub's, no ledger
RETAILER = X12Partner(
    name=EDI_PARTNER.name, sender_id=EDI_PARTNER.hub_id, receiver_id=EDI_PARTNER.partner_id
)


class NaiveIntegration:
    """One thread taking the tapped messages in arrival order, one Odoo call per fact."""

    def __init__(self, odoo: JsonRpc, messages: queue.Queue[TappedPost]) -> None:
        self.odoo = odoo
        self.messages = messages
        self.calls: Counter[str] = Counter()  # made, failed
        self.failures: Counter[str] = Counter()  # why, by the first words of the error
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="naive", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def caught_up(self) -> bool:
        return self.messages.unfinished_tasks == 0

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                post = self.messages.get(timeout=0.1)
            except queue.Empty:
                continue
            try:
                for event in _events(post):
                    self._send(event)
            finally:
                self.messages.task_done()

    def _send(self, event: dict[str, Any]) -> None:
        write = WRITERS.get(str(event.get("type")))
        if write is None:
            return
        self.calls["made"] += 1
        try:
            write(self.odoo, event.get("data") or {})
        except (OdooCallFailed, LogisyncError, httpx.HTTPError) as failure:
            self.calls["failed"] += 1  # no retry: the fact is lost
            self.failures[str(failure)[:60]] += 1


def _events(post: TappedPost) -> list[dict[str, Any]]:
    """The facts in one message, read as the hub reads them; nothing for what it refused to
    verify (a forged or broken message is not the baseline's concern)."""
    if post.system == EDI_PARTNER.name:  # a file: each one read afresh
        return receive_x12(post.body, RETAILER, MemoryControlLedger()).events
    if post.status in (401, 404, 413) or post.system not in KINDS:
        return []
    if post.system == "events":
        try:
            event = orjson.loads(post.body)
        except orjson.JSONDecodeError:
            return []
        return [event] if isinstance(event, dict) else []
    delivery = VerifiedDelivery(post.system, post.body, post.headers, datetime.now(UTC))
    return list(adapter_for(KINDS[post.system])(delivery).events)


def _partner(odoo: JsonRpc, ref: str | None) -> int | None:
    if not ref:
        return None
    found = odoo.call("res.partner", "search", domain=[["ref", "=", ref]], limit=1)
    return int(found[0]) if found else None


def _customer(odoo: JsonRpc, data: dict[str, Any]) -> None:
    """A customer message: created if new, else every field it carries overwritten."""
    values = {k: data[k] for k in ("name", "email", "phone") if data.get(k)}
    found = _partner(odoo, data.get("ref"))
    if found is None:
        odoo.call("res.partner", "create", vals_list=[{"ref": data.get("ref"), **values}])
    elif values:
        odoo.call("res.partner", "write", ids=[found], vals=values)


def _order(odoo: JsonRpc, data: dict[str, Any]) -> None:
    partner = _partner(odoo, data.get("customer_ref"))
    if partner is None:
        raise LogisyncError(f"no customer {data.get('customer_ref')} for the order")
    odoo.call(
        "sale.order",
        "create",
        vals_list=[{"partner_id": partner, "client_order_ref": str(data["number"])}],
    )


def _dispatch(odoo: JsonRpc, data: dict[str, Any]) -> None:
    """A delivery order per dispatch message, named after the shipment and tracked under its
    first parcel's number."""
    [kind] = odoo.call("stock.picking.type", "search", domain=[["code", "=", "outgoing"]], limit=1)
    odoo.call(
        "stock.picking",
        "create",
        vals_list=[
            {
                "picking_type_id": kind,
                "name": data.get("number"),
                "origin": data.get("order_number"),
                "carrier_tracking_ref": data.get("tracking_number"),
            }
        ],
    )


def _milestone(odoo: JsonRpc, data: dict[str, Any]) -> None:
    """A carrier names the parcel's tracking number; the TMS names the shipment."""
    if data.get("tracking_number"):
        where = ["carrier_tracking_ref", "=", data["tracking_number"]]
    else:
        where = ["name", "=", data.get("shipment_number")]
    found = odoo.call("stock.picking", "search", domain=[where])
    if not found:
        raise LogisyncError(f"no delivery order {where[0]} {where[2]}")
    odoo.call("stock.picking", "write", ids=found, vals={MILESTONE_FIELD: data["milestone"]})


def _invoice(odoo: JsonRpc, data: dict[str, Any]) -> None:
    partner = _partner(odoo, data.get("partner_ref"))
    if partner is None:
        raise LogisyncError(f"no customer {data.get('partner_ref')} for the invoice")
    [move] = odoo.call(
        "account.move",
        "create",
        vals_list=[
            {
                "move_type": "out_invoice",
                "partner_id": partner,
                "ref": f"invoice:{data['number']}",
                "invoice_origin": data.get("order_number"),
            }
        ],
    )
    odoo.call("account.move", "action_post", ids=[move])


WRITERS = {
    "partner.created": _customer,
    "partner.changed": _customer,
    "sales_order.placed": _order,
    "shipment.dispatched": _dispatch,
    "shipment.milestone_recorded": _milestone,
    "invoice.posted": _invoice,
}
