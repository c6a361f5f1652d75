"""856 ship notice, both ways: ``shipment.dispatched`` with its packages.

The HL tree: HL03 ``S`` the shipment (TD5 carrier SCAC and service, REF CN tracking number,
N1 SF/ST addresses), ``O`` the order (PRF01 order number), ``P`` a package (MAN GM its SSCC,
REF CN its own tracking number), ``I`` an item (LIN product ids, SN1 quantity shipped) counted
in the package it hangs under (HL02, its parent's HL01).
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from decimal import Decimal
from typing import Any

from logisync.connectors.x12.parties import party_segments, read_parties
from logisync.connectors.x12.reading import (
    Mapped,
    SetContext,
    SetReader,
    product_ids,
    sku_of,
)
from logisync.connectors.x12.syntax import Segment
from logisync.connectors.x12.writer import OutboundSet, SegmentData, date_time, number_text


def read_856(reader: SetReader, context: SetContext) -> Mapped:
    bsn = reader.require("BSN")
    if bsn is None:
        return []
    shipment: dict[str, Any] = {"number": reader.text(bsn, 2, required=True)}
    shipment["dispatched_at"] = reader.moment(bsn, 3, 4, context.zone)
    packages: dict[str, dict[str, Any]] = {}
    parent_package: dict[str, str] = {}
    for loop in reader.loops("HL"):
        hl = loop[0]
        level, own, parent = hl.get(3), hl.get(1), hl.get(2)
        if level == "S":
            _read_shipment_level(reader, loop, shipment)
        elif level == "O":
            prf = next((s for s in loop if s.tag == "PRF"), None)
            if prf is not None and prf.get(1):
                shipment["order_number"] = prf.get(1)
        elif level in ("P", "T"):
            packages[own] = _read_package(loop)
        elif level == "I":
            package = packages.get(parent) or packages.get(parent_package.get(parent, ""))
            _read_item(reader, loop, package)
        if level in ("P", "T", "I"):
            parent_package.setdefault(own, parent if parent in packages else own)
        elif level not in ("S", "O"):
            reader.fail(hl, 3, f"{level!r} is not a level we read (S, O, P, T, I)", "7")
    if not reader.all("HL"):
        reader.require("HL")
    if packages:
        shipment["packages"] = list(packages.values())
    return [("shipment.dispatched", shipment)]


def _read_shipment_level(reader: SetReader, loop: list[Segment], shipment: dict[str, Any]) -> None:
    for segment in loop:
        if segment.tag == "TD5":
            if segment.get(3):
                shipment["carrier"] = segment.get(3)
            if segment.get(5):
                shipment["service"] = segment.get(5)
        elif segment.tag == "REF" and segment.get(1) == "CN" and segment.get(2):
            shipment["tracking_number"] = segment.get(2)
    parties = read_parties(loop)
    for role, key in (("SF", "ship_from"), ("ST", "ship_to")):
        if role in parties and parties[role].address:
            shipment[key] = parties[role].address


def _read_package(loop: list[Segment]) -> dict[str, Any]:
    package: dict[str, Any] = {}
    for segment in loop:
        if segment.tag == "MAN" and segment.get(1) == "GM" and segment.get(2):
            package["sscc"] = segment.get(2)
        elif segment.tag == "REF" and segment.get(1) == "CN" and segment.get(2):
            package["tracking_number"] = segment.get(2)
        elif segment.tag == "TD1" and segment.get(7):
            package["weight"] = {"value": segment.get(7), "unit": segment.get(8) or "LB"}
    return package


def _read_item(reader: SetReader, loop: list[Segment], package: dict[str, Any] | None) -> None:
    lin = next((s for s in loop if s.tag == "LIN"), None)
    sn1 = next((s for s in loop if s.tag == "SN1"), None)
    if lin is None or sn1 is None:
        reader.fail(loop[0], 3, "an item level needs a LIN and an SN1", "1")
        return
    sku = sku_of(product_ids(lin, 2))
    quantity = reader.decimal(sn1, 2, required=True)
    if sku is None:
        reader.fail(lin, 2, "names no product (a SK/VP/IN part number or a GTIN)", "1")
    elif quantity is not None and package is not None:
        contents = package.setdefault("contents", {})
        contents[sku] = contents.get(sku, Decimal(0)) + quantity


def write_856(shipment: dict[str, Any], zone: tzinfo = UTC) -> OutboundSet:
    """The ship notice for a shipment's state (as the hub projects it)."""
    when = date_time(shipment.get("dispatched_at"), zone)
    segments: list[SegmentData] = [["BSN", "00", shipment["number"], when[0], when[1]]]
    segments.append(["HL", "1", "", "S"])
    segments.append(
        ["TD5", "", "2", shipment.get("carrier") or "", "", shipment.get("service") or ""]
    )
    if shipment.get("tracking_number"):
        segments.append(["REF", "CN", shipment["tracking_number"]])
    for role, key in (("SF", "ship_from"), ("ST", "ship_to")):
        if shipment.get(key):
            segments.extend(party_segments(role, None, None, shipment[key]))
    parent = "1"
    if shipment.get("order_number"):
        segments.append(["HL", "2", "1", "O"])
        segments.append(["PRF", shipment["order_number"]])
        parent = "2"
    counter = int(parent)
    for package in shipment.get("packages") or []:
        counter += 1
        own = str(counter)
        segments.append(["HL", own, parent, "P"])
        if package.get("sscc"):
            segments.append(["MAN", "GM", package["sscc"]])
        if package.get("tracking_number"):
            segments.append(["REF", "CN", package["tracking_number"]])
        for sku, quantity in (package.get("contents") or {}).items():
            counter += 1
            segments.append(["HL", str(counter), own, "I"])
            segments.append(["LIN", "", "SK", sku])
            segments.append(["SN1", "", number_text(quantity), "EA"])
    segments.append(["CTT", str(counter)])
    return OutboundSet("856", segments)
