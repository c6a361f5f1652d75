"""Each carrier's status for each step of a journey, and the outcomes it can express.

The steps are the hub's own vocabulary (``Step``); each carrier says them in its own codes.
A carrier supports only the outcomes its codes express without guessing: UPS reports an
attempt and a return as an exception (type X), so its scenarios never claim more than that.
"""

from __future__ import annotations

from typing import Literal

from logisync.testing.carrier_hub.carriers import Carrier, CarrierStatus

__all__ = ["OUTCOMES", "STATUSES", "SUPPORTED_OUTCOMES", "UNKNOWN_STATUSES", "Outcome", "Step"]

Step = Literal[
    "label",
    "void",
    "pickup",
    "depart_origin",
    "arrive_hub",
    "depart_hub",
    "arrive_destination",
    "out_for_delivery",
    "delivered",
    "attempt",
    "exception",
    "returned",
    "held_for_pickup",
]

Outcome = Literal["delivered", "attempted", "exception", "returned", "held", "cancelled"]
OUTCOMES: tuple[Outcome, ...] = ("delivered", "attempted", "exception", "returned", "held")

_UPS: dict[Step, CarrierStatus] = {
    "label": CarrierStatus(
        "MP", "Shipper created a label, UPS has not received the package yet.", "pre_transit", "M"
    ),
    "void": CarrierStatus("MV", "The shipper voided the label.", "cancelled", "MV"),
    "pickup": CarrierStatus("PU", "Pickup Scan", "picked_up", "P"),
    "depart_origin": CarrierStatus("DP", "Departed from Facility", "in_transit", "I", "005"),
    "arrive_hub": CarrierStatus("AR", "Arrived at Facility", "in_transit", "I", "005"),
    "depart_hub": CarrierStatus("DP", "Departed from Facility", "in_transit", "I", "005"),
    "arrive_destination": CarrierStatus("AR", "Arrived at Facility", "in_transit", "I", "005"),
    "out_for_delivery": CarrierStatus(
        "OT", "Out For Delivery Today", "out_for_delivery", "I", "021"
    ),
    "delivered": CarrierStatus("FS", "DELIVERED", "delivered", "D", "011"),
    "attempt": CarrierStatus(
        "48",
        "The receiver was not available for delivery. We'll make a second attempt.",
        "exception",
        "X",
        "048",
    ),
    "exception": CarrierStatus(
        "DJ", "A mechanical failure has caused a delay.", "exception", "X", "077"
    ),
}

_FEDEX: dict[Step, CarrierStatus] = {
    "label": CarrierStatus("OC", "Shipment information sent to FedEx", "pre_transit"),
    "void": CarrierStatus("CA", "Shipment cancelled by sender", "cancelled"),
    "pickup": CarrierStatus("PU", "Picked up", "picked_up"),
    "depart_origin": CarrierStatus("DP", "Left FedEx origin facility", "in_transit"),
    "arrive_hub": CarrierStatus("AR", "Arrived at FedEx location", "in_transit"),
    "depart_hub": CarrierStatus("DP", "Departed FedEx location", "in_transit"),
    "arrive_destination": CarrierStatus("AR", "At local FedEx facility", "in_transit"),
    "out_for_delivery": CarrierStatus("OD", "On FedEx vehicle for delivery", "out_for_delivery"),
    "delivered": CarrierStatus("DL", "Delivered", "delivered"),
    "attempt": CarrierStatus(
        "DE",
        "Delivery exception",
        "delivery_attempted",
        detail_code="08",
        detail_description="Customer not available or business closed",
    ),
    "exception": CarrierStatus(
        "SE",
        "Shipment exception",
        "exception",
        detail_code="03",
        detail_description="Incorrect address",
    ),
    "returned": CarrierStatus("RS", "Return to shipper", "returned_to_sender"),
    "held_for_pickup": CarrierStatus(
        "HL", "Ready for recipient pickup at FedEx location", "available_for_pickup"
    ),
}

_DHL: dict[Step, CarrierStatus] = {
    "label": CarrierStatus(
        "pre-transit", "Shipment information received", "pre_transit", "pre-transit"
    ),
    "pickup": CarrierStatus("transit", "Shipment picked up", "picked_up", "transit"),
    "depart_origin": CarrierStatus(
        "transit", "Processed at origin facility", "in_transit", "transit"
    ),
    "arrive_hub": CarrierStatus("transit", "Arrived at DHL Sort Facility", "in_transit", "transit"),
    "depart_hub": CarrierStatus("transit", "Departed Facility", "in_transit", "transit"),
    "arrive_destination": CarrierStatus(
        "transit", "Arrived at Delivery Facility", "in_transit", "transit"
    ),
    "out_for_delivery": CarrierStatus("transit", "Out for delivery", "out_for_delivery", "transit"),
    "delivered": CarrierStatus("delivered", "Delivered", "delivered", "delivered"),
    "attempt": CarrierStatus(
        "failure",
        "Delivery attempted - recipient not at home",
        "delivery_attempted",
        "failure",
    ),
    "exception": CarrierStatus(
        "failure", "Shipment on hold - clearance delay", "exception", "failure"
    ),
    "returned": CarrierStatus(
        "failure", "Returned to shipper", "returned_to_sender", "failure", return_flag=True
    ),
    "held_for_pickup": CarrierStatus(
        "transit", "Awaiting collection at DHL Service Point", "available_for_pickup", "transit"
    ),
}

_USPS: dict[Step, CarrierStatus] = {
    "label": CarrierStatus("GX", "Shipping Label Created, USPS Awaiting Item", "pre_transit"),
    "pickup": CarrierStatus("03", "USPS in possession of item", "picked_up"),
    "depart_origin": CarrierStatus("SF", "Departed Post Office", "in_transit"),
    "arrive_hub": CarrierStatus("10", "Arrived at USPS Regional Facility", "in_transit"),
    "depart_hub": CarrierStatus("EF", "Departed USPS Regional Facility", "in_transit"),
    "arrive_destination": CarrierStatus("07", "Arrived at Post Office", "in_transit"),
    "out_for_delivery": CarrierStatus("OF", "Out for Delivery", "out_for_delivery"),
    "delivered": CarrierStatus("01", "Delivered, In/At Mailbox", "delivered"),
    "attempt": CarrierStatus(
        "02", "Notice Left (No Authorized Recipient Available)", "delivery_attempted"
    ),
    "exception": CarrierStatus("05", "Undeliverable as Addressed", "exception"),
    "returned": CarrierStatus("09", "Return to Sender", "returned_to_sender"),
    "held_for_pickup": CarrierStatus("14", "Available for Pickup", "available_for_pickup"),
}

STATUSES: dict[Carrier, dict[Step, CarrierStatus]] = {
    "ups": _UPS,
    "fedex": _FEDEX,
    "dhl": _DHL,
    "usps": _USPS,
}

SUPPORTED_OUTCOMES: dict[Carrier, tuple[Outcome, ...]] = {
    "ups": ("delivered", "attempted", "exception", "cancelled"),
    "fedex": ("delivered", "attempted", "exception", "returned", "held", "cancelled"),
    "dhl": ("delivered", "attempted", "exception", "returned", "held"),
    "usps": ("delivered", "attempted", "exception", "returned", "held"),
}

# Codes no table lists: what a hub meets when a carrier adds a status (milestone "unknown").
UNKNOWN_STATUSES: dict[Carrier, CarrierStatus] = {
    "ups": CarrierStatus("ZQ", "Status not yet published", "unknown", "Q"),
    "fedex": CarrierStatus("ZQ", "Status not yet published", "unknown"),
    "dhl": CarrierStatus("zq-status", "Status not yet published", "unknown", "zq-status"),
    "usps": CarrierStatus("ZQ", "Status not yet published", "unknown"),
}
