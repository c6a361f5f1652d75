"""``edi_partner()``: a simulated EDI partner dropping files for the length of a block.

    with edi_partner(inbox=hub_inbox, outbox=hub_outbox, seed=7) as partner:
        partner.drop("purchase_order")
        partner.advance(600)
        partner.tick()                       # the plan's pace; reads the hub's replies
        assert partner.acknowledgement_of(1).accepted
        expected = partner.expected()        # what the hub should end up with

``post_to`` also POSTs each interchange to the hub's ``/v1/webhooks/{system}``; with
``control=True`` a control server (``partner.url``) answers ``/__sim__/...``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from logisync.testing.edi_partner.documents import DOCUMENT_KINDS, DocumentKind, ExpectedFact
from logisync.testing.edi_partner.faults import PartnerFaultPlan
from logisync.testing.edi_partner.partner import START, EdiPartner
from logisync.testing.edi_partner.records import PartnerRecords, SentInterchange
from logisync.testing.edi_partner.server import create_edi_partner_app
from logisync.testing.edi_partner.standard import Acknowledgement, DocumentWriter, PartnerIdentity
from logisync.testing.edi_partner.transports import FolderDrop, Transport, WebhookPost
from logisync.testing.edi_partner.x12_writer import X12Writer
from logisync.testing.serving import serving

__all__ = ["EdiPartnerSim", "edi_partner"]


@dataclass
class EdiPartnerSim:
    """A running partner: drive it (``drop``, ``advance``, ``tick``), read its records."""

    partner: EdiPartner
    url: str | None

    @property
    def records(self) -> PartnerRecords:
        return self.partner.records

    @property
    def identity(self) -> PartnerIdentity:
        return self.partner.identity

    @property
    def faults(self) -> PartnerFaultPlan:
        return self.partner.faults

    @faults.setter
    def faults(self, plan: PartnerFaultPlan) -> None:
        self.partner.faults = plan

    def now(self) -> datetime:
        return self.partner.now()

    def advance(self, seconds: float) -> datetime:
        return self.partner.advance(seconds)

    def drop(
        self, kind: DocumentKind | None = None, *, faults: Iterable[str] = ()
    ) -> list[SentInterchange]:
        return self.partner.drop(kind, faults=faults)

    def tick(self) -> list[SentInterchange]:
        return self.partner.tick()

    def read_replies(self) -> list[str]:
        return self.partner.read_replies()

    def expected(self) -> list[ExpectedFact]:
        return self.partner.records.expected()

    def acknowledgement_of(self, control: int) -> Acknowledgement | None:
        return self.partner.records.acknowledgement_of(control)


@contextmanager
def edi_partner(
    *,
    inbox: Path | None = None,
    outbox: Path | None = None,
    seed: int = 0,
    faults: PartnerFaultPlan | None = None,
    identity: PartnerIdentity | None = None,
    kinds: Iterable[DocumentKind] = DOCUMENT_KINDS,
    post_to: str | None = None,
    post_headers: Mapping[str, str] | None = None,
    writer: DocumentWriter | None = None,
    first_control: int = 1,
    start: datetime = START,
    control: bool = False,
) -> Iterator[EdiPartnerSim]:
    """A partner that drops into ``inbox`` (and/or POSTs to ``post_to``) and reads the
    hub's replies from ``outbox``; X12 unless another ``writer`` is given."""
    with ExitStack() as stack:
        transports: list[Transport] = []
        if inbox is not None:
            transports.append(FolderDrop(inbox))
        if post_to is not None:
            poster = WebhookPost(post_to, post_headers)
            stack.callback(poster.close)
            transports.append(poster)
        if not transports:
            raise ValueError("an EDI partner needs an inbox folder or a post_to URL to send to")
        partner = EdiPartner(
            writer or X12Writer(),
            transports,
            seed=seed,
            identity=identity,
            outbox=outbox,
            faults=faults,
            kinds=kinds,
            first_control=first_control,
            start=start,
        )
        url = stack.enter_context(serving(create_edi_partner_app(partner))) if control else None
        yield EdiPartnerSim(partner, url)
