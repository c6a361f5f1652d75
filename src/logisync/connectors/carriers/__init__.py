"""Carrier tracking: UPS, FedEx, DHL and USPS scans -> ``shipment.milestone_recorded`` events.

Payload parsers (``parse_ups`` ...) turn a carrier's body into scans; ``draft_events`` turns
scans into draft events with content-hash ids (no subject: ``attach_subjects`` adds it from
the crosswalk); ``normalise`` maps a carrier's codes to the canonical milestone by the tables
in ``codes/``; ``tracking_number_problem`` checks numbers per carrier; ``TrackingPoller``
polls the carriers for the active shipments.
"""

from logisync.connectors.carriers.code_tables import CARRIERS, Carrier, code_table
from logisync.connectors.carriers.dhl import parse_dhl
from logisync.connectors.carriers.events import attach_subjects, draft_events, milestone_draft
from logisync.connectors.carriers.fedex import parse_fedex
from logisync.connectors.carriers.milestones import UNKNOWN_CODES, normalise
from logisync.connectors.carriers.poller import CarrierEndpoint, TrackingPoller
from logisync.connectors.carriers.scans import ParsedScans, Scan
from logisync.connectors.carriers.tracking_numbers import tracking_number_problem
from logisync.connectors.carriers.ups import parse_ups
from logisync.connectors.carriers.usps import parse_usps

__all__ = [
    "CARRIERS",
    "UNKNOWN_CODES",
    "Carrier",
    "CarrierEndpoint",
    "ParsedScans",
    "Scan",
    "TrackingPoller",
    "attach_subjects",
    "code_table",
    "draft_events",
    "milestone_draft",
    "normalise",
    "parse_dhl",
    "parse_fedex",
    "parse_ups",
    "parse_usps",
    "tracking_number_problem",
]
