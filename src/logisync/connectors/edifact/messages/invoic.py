"""INVOIC <-> ``invoice.created``: BGM 380 number, DTM 137 (issued) and 13 (due), RFF ON,
NAD BY, CUX, LIN/PIA/IMD/QTY 47/PRI AAA/TAX per line, MOA 77 total, 125 untaxed, 176 tax."""

from __future__ import annotations

from typing import Any

from logisync.connectors.edifact.messages.reading import Reading
from logisync.connectors.edifact.messages.writing import Writing
from logisync.connectors.edifact.syntax import Segment

Fact = tuple[str, dict[str, Any]]
TOTALS = {"77": "total", "125": "untaxed", "176": "tax"}


def read_invoic(reading: Reading) -> list[Fact]:
    bgm = reading.required("BGM")
    if bgm is None:
        return []
    invoice: dict[str, Any] = {"number": reading.text(bgm, 2, name="invoice number")}
    if (issued := reading.day(reading.dated("137") or reading.dated("3"))) is not None:
        invoice["issued_on"] = issued.isoformat()
    if (due := reading.day(reading.dated("13"))) is not None:
        invoice["due_on"] = due.isoformat()
    if (order := next((r for r in reading.all("RFF") if r.value(1, 1) == "ON"), None)) is not None:
        invoice["order_number"] = order.value(1, 2)
    if (buyer := reading.first("NAD", "BY")) is not None and buyer.value(2, 1):
        invoice["partner_ref"] = buyer.value(2, 1)
    currency = reading.first("CUX")
    code = currency.value(1, 2) if currency is not None else ""
    if not code:
        reading.message.fault("13", "INVOIC needs CUX with the invoice currency", currency)
        return []
    lines = [_line(reading, lin, code) for lin in reading.all("LIN")]
    if lines:
        invoice["lines"] = lines
    uns = reading.first("UNS")
    for moa in reading.all("MOA"):
        field = TOTALS.get(moa.value(1, 1))
        if field and (uns is None or moa.position > uns.position):
            amount = reading.number(moa, 1, 2)
            if amount is not None:
                invoice[field] = {"amount": str(amount), "currency": code}
    return [("invoice.created", invoice)]


def _line(reading: Reading, lin: Segment, currency: str) -> dict[str, Any]:
    sku, line = reading.item(lin, currency, ("47", "12"))
    if sku:
        line["sku"] = sku
    line.setdefault("description", sku or "line " + lin.value(1))
    for needed, what in (("quantity", "QTY+47"), ("unit_price", "PRI")):
        if needed not in line:
            reading.message.fault("13", f"the invoice line has no {what}", lin)
    return line


def write_invoic(invoice: dict[str, Any], out: Writing) -> str:
    out.add("BGM", "380", invoice["number"], "9")
    out.dtm("137", invoice.get("issued_on"))
    out.dtm("13", invoice.get("due_on"))
    if invoice.get("order_number"):
        out.add("RFF", ["ON", invoice["order_number"]])
    if invoice.get("partner_ref"):
        out.nad("BY", invoice["partner_ref"], None)
    currency = next(
        (m["currency"] for m in (invoice.get(f) for f in TOTALS.values()) if m),
        next((ln["unit_price"]["currency"] for ln in invoice.get("lines") or []), "EUR"),
    )
    out.add("CUX", ["4", currency, "9"])
    for line_no, line in enumerate(invoice.get("lines") or [], start=1):
        sku = line.get("sku") or ""
        out.add("LIN", str(line_no))
        if sku:
            out.add("PIA", "5", [sku, "SA"])
        out.add("IMD", "F", None, ["", "", "", line["description"]])
        quantity = line["quantity"]
        out.add("QTY", ["47", out.number(quantity["value"]), quantity.get("unit", "H87")])
        out.add("PRI", ["AAA", out.number(line["unit_price"]["amount"])])
        if line.get("tax_rate"):
            out.add("TAX", "7", ["VAT"], None, None, ["", "", "", line["tax_rate"]])
    out.add("UNS", "S")
    for code, field in TOTALS.items():
        if invoice.get(field):
            out.add("MOA", [code, out.number(invoice[field]["amount"])])
    return "INVOIC"
