"""ORDERS <-> ``sales_order.placed``: BGM number, DTM 137/2, NAD BY/DP, CUX, LIN (GTIN) with
PIA (the seller's article number), QTY 21, PRI AAA; MOA 86 for the total."""

from __future__ import annotations

from typing import Any

from logisync.connectors.edifact.messages.reading import Reading
from logisync.connectors.edifact.messages.writing import Writing
from logisync.connectors.edifact.syntax import Segment
from logisync.model.identifiers import is_ascii_digits

Fact = tuple[str, dict[str, Any]]


def read_orders(reading: Reading) -> list[Fact]:
    bgm = reading.required("BGM")
    if bgm is None:
        return []
    order: dict[str, Any] = {"number": reading.text(bgm, 2, name="order number")}
    currency = reading.first("CUX")
    if currency is not None:
        order["currency"] = currency.value(1, 2)
    if (ordered := reading.moment(reading.dated("137"))) is not None:
        order["ordered_at"] = ordered.isoformat()
    if (wanted := reading.day(reading.dated("2"))) is not None:
        order["requested_date"] = wanted.isoformat()
    if (buyer := reading.first("NAD", "BY")) is not None and buyer.value(2):
        order["customer_ref"] = buyer.value(2)
    if (delivery := reading.first("NAD", "DP")) is not None:
        order["ship_to"] = reading.address(delivery)
    lines = [_line(reading, lin, order.get("currency")) for lin in reading.all("LIN")]
    order["lines"] = [line for line in lines if line]
    if (total := reading.first("MOA", "86")) is not None and order.get("currency"):
        amount = reading.number(total, 1, 2)
        if amount is not None:
            order["total"] = {"amount": str(amount), "currency": order["currency"]}
    return [("sales_order.placed", order)]


def _line(reading: Reading, lin: Segment, currency: str | None) -> dict[str, Any]:
    number = lin.value(1)
    line: dict[str, Any] = {"line_no": int(number) if is_ascii_digits(number) else 0}
    if not is_ascii_digits(number):
        reading.message.fault("12", f"LIN line number {number!r} is not a number", lin, 1)
    sku, values = reading.item(lin, currency, ("21", "12", "47"))
    values.pop("tax_rate", None)
    line.update(values)
    if not sku:
        reading.message.fault("13", "LIN names no article (GTIN in LIN or PIA+5 ...:SA)", lin, 3)
    line["sku"] = sku
    if "quantity" not in line:
        reading.message.fault("13", "the line has no QTY+21 (ordered quantity)", lin)
    return line


def write_orders(order: dict[str, Any], out: Writing) -> str:
    out.add("BGM", "220", order["number"], "9")
    out.dtm("137", order.get("ordered_at"))
    out.dtm("2", order.get("requested_date"))
    if order.get("customer_ref"):
        out.nad("BY", order["customer_ref"], None)
    if order.get("ship_to"):
        out.nad("DP", None, order["ship_to"])
    if order.get("currency"):
        out.add("CUX", ["2", order["currency"], "9"])
    for line in order.get("lines") or []:
        sku = str(line["sku"])
        gtin = is_ascii_digits(sku) and len(sku) in (8, 12, 13, 14)
        out.add("LIN", str(line["line_no"]), None, [sku, "SRV"] if gtin else None)
        if not gtin:
            out.add("PIA", "5", [sku, "SA"])
        if line.get("description"):
            out.add("IMD", "F", None, ["", "", "", line["description"]])
        quantity = line["quantity"]
        out.add("QTY", ["21", out.number(quantity["value"]), quantity.get("unit", "H87")])
        if line.get("unit_price"):
            out.add("PRI", ["AAA", out.number(line["unit_price"]["amount"])])
    out.add("UNS", "S")
    if order.get("total"):
        out.add("MOA", ["86", out.number(order["total"]["amount"])])
    out.add("CNT", ["2", str(len(order.get("lines") or []))])
    return "ORDERS"
