"""DESADV <-> ``shipment.dispatched``: BGM number, DTM 11 (despatched), RFF ON (the order),
NAD ST/DP and SF, TDT carrier, RFF CN (tracking); each CPS a package level whose GIN BJ is
the SSCC, MEA AAB its weight and LIN/PIA/QTY 12 its contents."""

from __future__ import annotations

from typing import Any

from logisync.connectors.edifact.messages.reading import Reading
from logisync.connectors.edifact.messages.writing import Writing
from logisync.connectors.edifact.syntax import Segment

Fact = tuple[str, dict[str, Any]]


def read_desadv(reading: Reading) -> list[Fact]:
    bgm = reading.required("BGM")
    if bgm is None:
        return []
    shipment: dict[str, Any] = {"number": reading.text(bgm, 2, name="despatch advice number")}
    if (at := reading.moment(reading.dated("11") or reading.dated("137"))) is not None:
        shipment["dispatched_at"] = at.isoformat()
    for rff in reading.all("RFF"):
        if rff.value(1, 1) == "ON":
            shipment["order_number"] = rff.value(1, 2)
        elif rff.value(1, 1) == "CN":
            shipment["tracking_number"] = rff.value(1, 2)
    if (ship_to := reading.first("NAD", "ST") or reading.first("NAD", "DP")) is not None:
        shipment["ship_to"] = reading.address(ship_to)
    if (ship_from := reading.first("NAD", "SF")) is not None:
        shipment["ship_from"] = reading.address(ship_from)
    if (tdt := reading.first("TDT")) is not None and tdt.value(5, 1):
        shipment["carrier"] = tdt.value(5, 1)
    packages = [p for cps in reading.all("CPS") for p in _packages(reading, cps)]
    if packages:
        shipment["packages"] = packages
    return [("shipment.dispatched", shipment)]


def _packages(reading: Reading, cps: Segment) -> list[dict[str, Any]]:
    ssccs: list[str] = []
    weight: dict[str, str] | None = None
    contents: dict[str, str] = {}
    sku = ""
    for segment in reading.after(cps, ("CPS", "UNS")):
        if segment.tag == "GIN" and segment.value(1) == "BJ":
            ssccs.extend(segment.value(n, 1) for n in range(2, 7) if segment.value(n, 1))
        elif segment.tag == "MEA" and segment.value(2, 1) == "AAB":
            value = reading.number(segment, 3, 2)
            if value is not None:
                weight = {"value": str(value), "unit": segment.value(3, 1) or "KGM"}
        elif segment.tag == "LIN":
            sku = segment.value(3, 1)
        elif segment.tag == "PIA" and segment.value(2, 2) == "SA":
            sku = segment.value(2, 1)
        elif segment.tag == "QTY" and segment.value(1, 1) == "12" and sku:
            value = reading.number(segment, 1, 2)
            if value is not None:
                contents[sku] = str(value)
    if not ssccs and not contents:
        return []
    # Lines under a level of several SSCCs cannot be told apart by package: kept only
    # where the level is one package.
    packages: list[dict[str, Any]] = [{"sscc": sscc} for sscc in ssccs] or [{}]
    if len(packages) == 1:
        if contents:
            packages[0]["contents"] = contents
        if weight:
            packages[0]["weight"] = weight
    return packages


def write_desadv(shipment: dict[str, Any], out: Writing) -> str:
    out.add("BGM", "351", shipment["number"], "9")
    out.dtm("11", shipment.get("dispatched_at"))
    if shipment.get("order_number"):
        out.add("RFF", ["ON", shipment["order_number"]])
    if shipment.get("tracking_number"):
        out.add("RFF", ["CN", shipment["tracking_number"]])
    if shipment.get("ship_from"):
        out.nad("SF", None, shipment["ship_from"])
    if shipment.get("ship_to"):
        out.nad("ST", None, shipment["ship_to"])
    if shipment.get("carrier"):
        out.add("TDT", "20", None, None, None, [shipment["carrier"]])
    out.add("CPS", "1")
    for level, package in enumerate(shipment.get("packages") or [], start=2):
        out.add("CPS", str(level), "1")
        out.add("PAC", "1")
        if package.get("weight"):
            weight = package["weight"]
            out.add("MEA", "PD", "AAB", [weight.get("unit", "KGM"), out.number(weight["value"])])
        if package.get("sscc"):
            out.add("PCI", "33E")
            out.add("GIN", "BJ", package["sscc"])
        for line_no, (sku, quantity) in enumerate((package.get("contents") or {}).items(), 1):
            out.add("LIN", str(line_no))
            out.add("PIA", "5", [sku, "SA"])
            out.add("QTY", ["12", out.number(quantity)])
    out.add("CNT", ["2", str(len(shipment.get("packages") or []))])
    return "DESADV"
