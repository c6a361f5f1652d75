"""850 purchase order, both ways: ``sales_order.placed``.

BEG03 is the order number, BEG05 its date; CUR the currency; N1 BY the customer (its id,
else its name), N1 ST the ship-to address; DTM 002 the requested delivery date; each PO1 a
line (01 line number, 02 quantity, 03 unit, 04 unit price, 06.. product ids), PID its text.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from logisync.connectors.x12.parties import party_segments, read_parties
from logisync.connectors.x12.reading import (
    Mapped,
    SetContext,
    SetReader,
    product_ids,
    sku_of,
    x12_unit,
)
from logisync.connectors.x12.syntax import Segment
from logisync.connectors.x12.writer import OutboundSet, SegmentData, date_time, number_text


def read_850(reader: SetReader, context: SetContext) -> Mapped:
    beg = reader.require("BEG")
    if beg is None:
        return []
    number = reader.text(beg, 3, required=True)
    ordered = reader.day(beg, 5)
    currency = _currency(reader) or context.currency
    order: dict[str, Any] = {"number": number, "channel": f"edi:{context.partner}"}
    if ordered is not None:
        order["ordered_at"] = datetime.combine(ordered, datetime.min.time(), context.zone)
    parties = read_parties(reader.tx.body)
    buyer = parties.get("BY")
    if buyer is not None:
        order["customer_ref"] = buyer.id or buyer.name
    if "ST" in parties and parties["ST"].address:
        order["ship_to"] = parties["ST"].address
    for dtm in reader.all("DTM"):
        if dtm.get(1) in ("002", "010"):
            order["requested_date"] = reader.day(dtm, 2)
    order["currency"] = currency
    order["lines"] = [_line(reader, loop, currency) for loop in reader.loops("PO1")]
    if not order["lines"]:
        reader.require("PO1")
    return [("sales_order.placed", order)]


def _currency(reader: SetReader) -> str | None:
    cur = reader.first("CUR")
    return None if cur is None else reader.text(cur, 2)


def _line(reader: SetReader, loop: list[Segment], currency: str) -> dict[str, Any]:
    po1 = loop[0]
    line_no = reader.decimal(po1, 1)
    line: dict[str, Any] = {
        "line_no": int(line_no) if line_no is not None and line_no == line_no.to_integral() else 0,
        "sku": sku_of(product_ids(po1, 6)),
        "quantity": {"value": reader.decimal(po1, 2, required=True), "unit": reader.unit(po1, 3)},
    }
    if line["line_no"] < 1:
        reader.fail(po1, 1, "the line needs a whole, positive line number", "6")
    if line["sku"] is None:
        reader.fail(po1, 7, "names no product (a SK/VP/BP/IN part number or a GTIN)", "1")
    price = reader.decimal(po1, 4)
    if price is not None:
        line["unit_price"] = {"amount": price, "currency": currency}
    pid = next((s for s in loop if s.tag == "PID" and s.get(5)), None)
    if pid is not None:
        line["description"] = pid.get(5)
    return line


def write_850(order: dict[str, Any], zone: tzinfo = UTC) -> OutboundSet:
    """The purchase order for a sales order's state (to a supplier or a drop-shipper)."""
    ordered, _ = date_time(order.get("ordered_at"), zone)
    segments: list[SegmentData] = [["BEG", "00", "SA", order["number"], "", ordered]]
    if order.get("currency"):
        segments.append(["CUR", "BY", order["currency"]])
    if order.get("customer_ref"):
        segments.extend(party_segments("BY", order["customer_ref"], order["customer_ref"], None))
    if order.get("ship_to"):
        segments.extend(party_segments("ST", None, None, order["ship_to"]))
    if order.get("requested_date"):
        segments.append(["DTM", "002", str(order["requested_date"]).replace("-", "")])
    lines = order.get("lines") or []
    for line in lines:
        quantity = line["quantity"]
        price = line.get("unit_price")
        segments.append(
            [
                "PO1",
                str(line["line_no"]),
                number_text(quantity["value"]),
                x12_unit(quantity.get("unit")),
                number_text(price["amount"]) if price else "",
                "",
                "VP",
                line["sku"],
            ]
        )
        if line.get("description"):
            segments.append(["PID", "F", "", "", "", line["description"]])
    segments.append(["CTT", str(len(lines))])
    return OutboundSet("850", segments)
