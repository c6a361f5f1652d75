"""940 warehouse shipping order and 945 warehouse shipping advice, both ways.

940 (depositor -> warehouse): W05 02 the order number, 03 the customer's PO; N1 ST the
ship-to; G62 10 the requested ship date; per LX a W01 line (01 quantity, 02 unit, 03 UPC,
04/05 product id). Received, it is the order's lines and address (``sales_order.changed``)
and its release to the warehouse (``sales_order.released``).

945 (warehouse -> depositor): W06 02 the order, 03 the date shipped, 04 the shipment; W27 02
the carrier SCAC, 03 the routing; N9 CN the tracking number; per LX a package (MAN GM its
SSCC) whose W12 lines (03 quantity shipped, 05 unit, 07/08 product id) are its contents.
Received, it is ``shipment.dispatched``.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from decimal import Decimal
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
from logisync.connectors.x12.writer import OutboundSet, SegmentData, date_time, number_text
from logisync.model.identifiers import is_ascii_digits


def read_940(reader: SetReader, context: SetContext) -> Mapped:
    w05 = reader.require("W05")
    if w05 is None:
        return []
    number = reader.text(w05, 2, required=True)
    order: dict[str, Any] = {"number": number}
    if w05.get(3):
        order["customer_ref"] = w05.get(3)
    parties = read_parties(reader.tx.body)
    if "ST" in parties and parties["ST"].address:
        order["ship_to"] = parties["ST"].address
    for g62 in reader.all("G62"):
        if g62.get(1) == "10":
            order["requested_date"] = reader.day(g62, 2)
    lines: list[dict[str, Any]] = []
    for loop in reader.loops("LX"):
        w01 = next((s for s in loop if s.tag == "W01"), None)
        if w01 is None:
            reader.fail(loop[0], 1, "the LX loop has no W01 line", "1")
            continue
        ids = product_ids(w01, 4)
        if w01.get(3):
            ids.setdefault("UP", w01.get(3))
        line_no = loop[0].get(1)
        lines.append(
            {
                "line_no": int(line_no) if is_ascii_digits(line_no) else len(lines) + 1,
                "sku": sku_of(ids),
                "quantity": {
                    "value": reader.decimal(w01, 1, required=True),
                    "unit": reader.unit(w01, 2),
                },
            }
        )
        if sku_of(ids) is None:
            reader.fail(w01, 5, "names no product (a VN/SK part number or a UPC)", "1")
    if not lines:
        reader.require("W01")
    order["lines"] = lines
    return [("sales_order.changed", order), ("sales_order.released", {"number": number})]


def write_940(order: dict[str, Any], zone: tzinfo = UTC) -> OutboundSet:
    """The shipping order for a released sales order's state."""
    segments: list[SegmentData] = [["W05", "N", order["number"], order.get("customer_ref") or ""]]
    if order.get("ship_to"):
        segments.extend(party_segments("ST", None, None, order["ship_to"]))
    if order.get("requested_date"):
        segments.append(["G62", "10", str(order["requested_date"]).replace("-", "")])
    segments.append(["W66", "PP", "M"])
    total = Decimal(0)
    for line in order.get("lines") or []:
        quantity = line["quantity"]
        total += Decimal(str(quantity["value"]))
        unit = x12_unit(quantity.get("unit"))
        segments.append(["LX", str(line["line_no"])])
        segments.append(["W01", number_text(quantity["value"]), unit, "", "VN", line["sku"]])
    segments.append(["W76", number_text(total)])
    return OutboundSet("940", segments)


def read_945(reader: SetReader, context: SetContext) -> Mapped:
    w06 = reader.require("W06")
    if w06 is None:
        return []
    shipment: dict[str, Any] = {"number": reader.text(w06, 4, required=True)}
    if w06.get(2):
        shipment["order_number"] = w06.get(2)
    shipped = reader.day(w06, 3)
    if shipped is not None:
        shipment["dispatched_at"] = datetime.combine(shipped, datetime.min.time(), context.zone)
    parties = read_parties(reader.tx.body)
    for role, key in (("SF", "ship_from"), ("ST", "ship_to")):
        if role in parties and parties[role].address:
            shipment[key] = parties[role].address
    w27 = reader.first("W27")
    if w27 is not None:
        if w27.get(2):
            shipment["carrier"] = w27.get(2)
        if w27.get(3):
            shipment["service"] = w27.get(3)
    for n9 in reader.all("N9"):
        if n9.get(1) == "CN" and n9.get(2):
            shipment["tracking_number"] = n9.get(2)
    packages = []
    for loop in reader.loops("LX"):
        package: dict[str, Any] = {}
        contents: dict[str, Decimal] = {}
        for segment in loop:
            if segment.tag == "MAN" and segment.get(1) == "GM" and segment.get(2):
                package["sscc"] = segment.get(2)
            elif segment.tag == "W12":
                ids = product_ids(segment, 7)
                if segment.get(6):
                    ids.setdefault("UP", segment.get(6))
                sku, quantity = sku_of(ids), reader.decimal(segment, 3, required=True)
                if sku is None:
                    reader.fail(segment, 8, "names no product (a VN/SK part number or a UPC)", "1")
                elif quantity is not None:
                    contents[sku] = contents.get(sku, Decimal(0)) + quantity
        if contents:
            package["contents"] = contents
        packages.append(package)
    if not packages:
        reader.require("LX")
    shipment["packages"] = packages
    return [("shipment.dispatched", shipment)]


def write_945(shipment: dict[str, Any], zone: tzinfo = UTC) -> OutboundSet:
    """The shipping advice for a dispatched shipment's state."""
    day, _ = date_time(shipment.get("dispatched_at"), zone)
    segments: list[SegmentData] = [
        ["W06", "N", shipment.get("order_number") or "", day, shipment["number"]]
    ]
    for role, key in (("SF", "ship_from"), ("ST", "ship_to")):
        if shipment.get(key):
            segments.extend(party_segments(role, None, None, shipment[key]))
    if shipment.get("tracking_number"):
        segments.append(["N9", "CN", shipment["tracking_number"]])
    segments.append(["W27", "M", shipment.get("carrier") or "", shipment.get("service") or ""])
    total = Decimal(0)
    for number, package in enumerate(shipment.get("packages") or [], 1):
        segments.append(["LX", str(number)])
        if package.get("sscc"):
            segments.append(["MAN", "GM", package["sscc"]])
        for sku, quantity in (package.get("contents") or {}).items():
            total += Decimal(str(quantity))
            shipped = number_text(quantity)
            segments.append(["W12", "CC", shipped, shipped, "0", "EA", "", "VN", sku])
    segments.append(["W03", number_text(total)])
    return OutboundSet("945", segments)
