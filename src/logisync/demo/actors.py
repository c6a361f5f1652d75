"""The people and back-office systems of the demo day, each doing what it does in the field.

- The sales desk confirms the quotations the hub created in Odoo; the hub's Odoo poller sees
  the confirmation and releases the order to the warehouse. (Odoo confirms, the hub does not.)
- Customer service corrects a customer's e-mail in Odoo; from then on Odoo owns that field.
- Finance issues the invoice when the warehouse reports the order dispatched (a shop order
  or the EDI retailer's). The hub has no order-to-cash orchestration yet, so this actor
  stands in for it: it posts ``invoice.posted`` to the hub's event intake with its own API
  key, and the hub delivers the invoice to Odoo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from logisync.connectors.odoo import JsonRpc
from logisync.connectors.odoo.failures import OdooCallFailed
from logisync.demo.fleet import dispatched
from logisync.errors import LogisyncError
from logisync.testing.shop import ShopSim
from logisync.testing.wms import WmsSim

STRUCTURED = {"content-type": "application/cloudevents+json"}


@dataclass
class SalesDesk:
    """Confirms the quotations that came in at least half an hour ago (the desk works its
    queue, it does not pounce on a record still being written), and only those with lines: an
    empty quotation (its lines still on their way) is not an order anyone confirms, and Odoo
    would make no delivery order for it. While Odoo is down, the desk waits."""

    odoo: JsonRpc
    confirmed: int = 0

    def work(self, now: datetime) -> int:
        before = (now - timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S")
        # a quotation with no lines yet (written header first) makes no delivery order
        wanted = [
            ["state", "=", "draft"],
            ["create_date", "<=", before],
            ["order_line", "!=", False],
        ]
        try:
            drafts = self.odoo.call("sale.order", "search", domain=wanted)
            if drafts:
                self.odoo.call("sale.order", "action_confirm", ids=drafts)
        except (OdooCallFailed, LogisyncError, httpx.HTTPError):
            return 0
        self.confirmed += len(drafts)
        return len(drafts)


@dataclass
class CustomerService:
    """Corrects one customer's e-mail in Odoo (the customer called in)."""

    odoo: JsonRpc
    corrected: dict[str, str] = field(default_factory=dict)  # partner ref -> e-mail set

    def correct(self, ref: str, email: str) -> bool:
        try:
            ids = self.odoo.call("res.partner", "search", domain=[["ref", "=", ref]])
            if not ids:
                return False
            self.odoo.call("res.partner", "write", ids=ids[:1], vals={"email": email})
        except (OdooCallFailed, LogisyncError, httpx.HTTPError):
            return False
        self.corrected[ref] = email
        return True


@dataclass
class Finance:
    """Issues one invoice per dispatched order, posted to the hub's intake."""

    hub_url: str
    token: str
    shop: ShopSim
    wms: WmsSim
    edi_order: Callable[[str], dict[str, Any] | None]  # the retailer's 850, by order number
    issued: dict[str, str] = field(default_factory=dict)  # order number -> invoice number
    refused: list[str] = field(default_factory=list)

    def work(self, now: datetime) -> int:
        gone = {str(body["order_number"]) for body in dispatched(self.wms)}
        issued = 0
        for number in sorted(gone - set(self.issued)):
            billed = self._billed(number)
            if billed is None:
                continue
            invoice = f"INV-{number}"
            if self._post(_invoice_event(invoice, number, billed, now)):
                self.issued[number] = invoice
                issued += 1
        return issued

    def _billed(self, number: str) -> Billed | None:
        order = self.shop.shop.order_by_name(number)
        if order is not None:
            customer = order.get("customer") or {}
            lines = [
                (line["sku"], line["name"], str(line["quantity"]), str(line["price"]))
                for line in order["line_items"]
            ]
            return Billed(f"shop-{customer.get('id')}", "EUR", lines)
        edi = self.edi_order(number)
        if edi is None:
            return None
        lines = [
            (
                line["sku"],
                line.get("description") or line["sku"],
                str(line["quantity"]["value"]),
                str(line["unit_price"]["amount"]),
            )
            for line in edi["lines"]
        ]
        return Billed(str(edi["customer_ref"]), str(edi["currency"]), lines)

    def _post(self, event: dict[str, Any]) -> bool:
        headers = {**STRUCTURED, "authorization": f"Bearer {self.token}"}
        try:
            answer = httpx.post(
                f"{self.hub_url}/v1/events", json=event, headers=headers, timeout=10
            )
        except httpx.HTTPError as trouble:
            self.refused.append(str(trouble))
            return False
        if answer.status_code in (200, 202):
            return True
        self.refused.append(f"{answer.status_code}: {answer.text[:200]}")
        return False


@dataclass(frozen=True)
class Billed:
    """What an invoice is for: the customer's ref, the currency and the lines (SKU,
    description, quantity, unit price), whichever channel the order came in by."""

    partner_ref: str
    currency: str
    lines: list[tuple[str, str, str, str]]


def _invoice_event(number: str, order_number: str, billed: Billed, now: datetime) -> dict[str, Any]:
    lines = [
        {
            "sku": sku,
            "description": description,
            "quantity": {"value": quantity, "unit": "pcs"},
            "unit_price": {"amount": price, "currency": billed.currency},
        }
        for sku, description, quantity, price in billed.lines
    ]
    total = sum(Decimal(price) * Decimal(quantity) for _, _, quantity, price in billed.lines)
    return {
        "specversion": "1.0",
        "id": f"finance-{number}",
        "source": "finance",
        "type": "invoice.posted",
        "subject": f"invoice:{number}",
        "time": now.isoformat(),
        "data": {
            "number": number,
            "order_number": order_number,
            "partner_ref": billed.partner_ref,
            "issued_on": now.date().isoformat(),
            "total": {"amount": str(total), "currency": billed.currency},
            "lines": lines,
        },
    }
