"""An EDI trading partner test double: a retailer or 3PL that drops X12 files, driven by a seed.

It generates purchase orders, shipping advices, ship notices with SSCC packages, carrier
status messages and invoices; drops them into the hub's inbox atomically (and/or POSTs them
to its webhook); misbehaves on command (duplicates, gaps, reordering, late files, bursts,
downtime, malformed interchanges); picks up the hub's 997s and documents from its outbox;
and says which facts the hub should end up with::

    from logisync.testing.edi_partner import edi_partner, PartnerFaultPlan

    with edi_partner(inbox=inbox, outbox=outbox, seed=1) as partner:
        partner.drop("purchase_order", faults=["duplicate"])
        partner.tick()

A second standard plugs in as another ``DocumentWriter`` (see ``standard.py``).
"""

from __future__ import annotations

from logisync.testing.edi_partner.documents import (
    DOCUMENT_KINDS,
    BusinessDocument,
    DocumentFactory,
    DocumentKind,
    ExpectedFact,
    facts_of_event,
)
from logisync.testing.edi_partner.faults import Burst, Downtime, PartnerFaultPlan
from logisync.testing.edi_partner.gs1 import new_gtin, new_sscc, with_check_digit
from logisync.testing.edi_partner.partner import START, EdiPartner
from logisync.testing.edi_partner.records import PartnerRecords, SentInterchange
from logisync.testing.edi_partner.running import EdiPartnerSim, edi_partner
from logisync.testing.edi_partner.server import create_edi_partner_app
from logisync.testing.edi_partner.standard import (
    Acknowledgement,
    DocumentWriter,
    PartnerIdentity,
    ReplyDocument,
)
from logisync.testing.edi_partner.transports import FolderDrop, Transport, WebhookPost
from logisync.testing.edi_partner.x12_writer import X12_MALFORMATIONS, X12Writer, x12_set

__all__ = [
    "DOCUMENT_KINDS",
    "START",
    "X12_MALFORMATIONS",
    "Acknowledgement",
    "Burst",
    "BusinessDocument",
    "DocumentFactory",
    "DocumentKind",
    "DocumentWriter",
    "Downtime",
    "EdiPartner",
    "EdiPartnerSim",
    "ExpectedFact",
    "FolderDrop",
    "PartnerFaultPlan",
    "PartnerIdentity",
    "PartnerRecords",
    "ReplyDocument",
    "SentInterchange",
    "Transport",
    "WebhookPost",
    "X12Writer",
    "create_edi_partner_app",
    "edi_partner",
    "facts_of_event",
    "new_gtin",
    "new_sscc",
    "with_check_digit",
    "x12_set",
]
