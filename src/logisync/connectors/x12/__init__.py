"""X12 EDI with trading partners: interchanges received into canonical events (850, 856, 940,
945, 214, 810, and 997s for ours) and deliveries written out as interchanges (856, 945, 940,
810, and a 997 for every group received)."""

from logisync.connectors.x12.envelope import parse_interchanges
from logisync.connectors.x12.outbound import write_x12
from logisync.connectors.x12.receive import receive_x12
from logisync.connectors.x12.settings import X12Partner, partner_of, settings_issues
from logisync.connectors.x12.target import X12Target, x12_target

__all__ = [
    "X12Partner",
    "X12Target",
    "parse_interchanges",
    "partner_of",
    "receive_x12",
    "settings_issues",
    "write_x12",
    "x12_target",
]
