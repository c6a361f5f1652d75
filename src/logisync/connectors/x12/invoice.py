"""810 invoice, both ways: ``invoice.created``.

BIG 01 the invoice date, 02 its number, 04 the order (PO) number; CUR 02 the currency; N1 BT
(or BY) the customer, by id or name; ITD 06 the net due date; IT1 lines (02 quantity, 03 unit,
04 unit price, 06.. product ids) with PID 05 the description; TXI TX 02 the tax; TDS 01 the
total in cents (an implied two decimals, as X12 writes monetary totals).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from logisync.connectors.x12.parties import read_parties
from logisync.connectors.x12.reading import (
    Mapped,
    SetContext,
    SetReader,
    product_ids,
    sku_of,
    x12_unit,
)
from logisync.connectors.x12.writer import OutboundSet, SegmentData, number_text


def read_810(reader: SetReader, context: SetContext) -> Mapped:
    big = reader.require("BIG")
    if big is None:
        return []
    cur = reader.first("CUR")
    currency = (cur.get(2) if cur is not None else "") or context.currency
    invoice: dict[str, Any] = {"number": reader.text(big, 2, required=True)}
    issued = reader.day(big, 1)
    if issued is not None:
        invoice["issued_on"] = issued
    if big.get(4):
        invoice["order_number"] = big.get(4)
    parties = read_parties(reader.tx.body)
    customer = parties.get("BT") or parties.get("BY")
    if customer is not None:
        invoice["partner_ref"] = customer.id or customer.name
    itd = reader.first("ITD")
    if itd is not None and itd.get(6):
        invoice["due_on"] = reader.day(itd, 6)
    lines = []
    for loop in reader.loops("IT1"):
        it1 = loop[0]
        sku = sku_of(product_ids(it1, 6))
        pid = next((s for s in loop if s.tag == "PID" and s.get(5)), None)
        price = reader.decimal(it1, 4, required=True)
        lines.append(
            {
                "sku": sku,
                "description": pid.get(5) if pid is not None else (sku or "item"),
                "quantity": {
                    "value": reader.decimal(it1, 2, required=True),
                    "unit": reader.unit(it1, 3),
                },
                "unit_price": {"amount": price, "currency": currency},
            }
        )
    if not lines:
        reader.require("IT1")
    invoice["lines"] = lines
    tds = reader.require("TDS")
    if tds is not None:
        total = reader.decimal(tds, 1, required=True, implied=2)
        invoice["total"] = {"amount": total, "currency": currency}
    for txi in reader.all("TXI"):
        if txi.get(1) == "TX" and txi.get(2):
            invoice["tax"] = {"amount": reader.decimal(txi, 2), "currency": currency}
    return [("invoice.created", invoice)]


def write_810(invoice: dict[str, Any]) -> OutboundSet:
    """The invoice for an invoice's state; its total is required (TDS is mandatory)."""
    issued = str(invoice.get("issued_on") or "").replace("-", "")
    segments: list[SegmentData] = [
        ["BIG", issued, invoice["number"], "", invoice.get("order_number") or ""]
    ]
    total = invoice.get("total") or {}
    currency = total.get("currency")
    if currency:
        segments.append(["CUR", "SE", currency])
    if invoice.get("partner_ref"):
        segments.append(["N1", "BT", invoice["partner_ref"], "92", invoice["partner_ref"]])
    if invoice.get("due_on"):
        segments.append(["ITD", "01", "3", "", "", "", str(invoice["due_on"]).replace("-", "")])
    lines = invoice.get("lines") or []
    for number, line in enumerate(lines, 1):
        quantity = line["quantity"]
        unit = x12_unit(quantity.get("unit"))
        ids = ["VN", line["sku"]] if line.get("sku") else []
        segments.append(
            [
                "IT1",
                str(number),
                number_text(quantity["value"]),
                unit,
                number_text(line["unit_price"]["amount"]),
                "",
                *ids,
            ]
        )
        segments.append(["PID", "F", "", "", "", line["description"]])
    cents = (Decimal(str(total.get("amount", 0))) * 100).quantize(Decimal(1))
    segments.append(["TDS", str(cents)])
    tax = invoice.get("tax")
    if tax:
        segments.append(["TXI", "TX", number_text(tax["amount"])])
    segments.append(["CTT", str(len(lines))])
    return OutboundSet("810", segments)
