"""The X12 ``DocumentWriter``: the partner's documents as X12 interchanges, broken on demand.

The set bodies come from the hub's own X12 writers (``write_850``...), which take the entity
shape the documents have, and the envelope from ``write_interchange``, which takes any
sender, receiver and control number: the partner numbers its interchanges itself (ISA13 and
GS06 are the same number, ST02 counts from 0001 in each group). One thing the hub's writers
do not say is a product's GTIN in a purchase order line, so the 850's PO1 segments get an
``EN`` (EAN/GTIN-13) id pair appended here.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from logisync.connectors.x12.carrier_status import write_214
from logisync.connectors.x12.envelope import Interchange, TransactionSet, parse_interchanges
from logisync.connectors.x12.invoice import write_810
from logisync.connectors.x12.outbound import FUNCTIONAL_IDS
from logisync.connectors.x12.purchase_order import write_850
from logisync.connectors.x12.ship_notice import write_856
from logisync.connectors.x12.warehouse import write_945
from logisync.connectors.x12.writer import (
    EnvelopeHeader,
    OutboundGroup,
    OutboundSet,
    write_interchange,
)
from logisync.model.identifiers import is_ascii_digits
from logisync.testing.edi_partner.documents import BusinessDocument
from logisync.testing.edi_partner.standard import Acknowledgement, PartnerIdentity, ReplyDocument

__all__ = ["X12_MALFORMATIONS", "X12Writer", "x12_set"]

X12_MALFORMATIONS = ("wrong_se_count", "truncated", "bad_separators")
# Where each business document the hub sends names itself: (segment, element).
REPLY_NUMBERS = {
    "856": ("BSN", 2),
    "810": ("BIG", 2),
    "940": ("W05", 2),
    "945": ("W06", 4),
    "850": ("BEG", 3),
    "214": ("B10", 2),
}


def x12_set(document: BusinessDocument) -> OutboundSet:
    """The transaction set for one business document."""
    content = document.content
    if document.kind == "purchase_order":
        outbound = write_850(content)
        lines = iter(content["lines"])
        segments = [
            [*segment, "EN", next(lines)["gtin"]] if segment[0] == "PO1" else segment
            for segment in outbound.segments
        ]
        return OutboundSet("850", segments)
    if document.kind == "ship_notice":
        return write_856(content)
    if document.kind == "shipping_advice":
        return write_945(content)
    if document.kind == "carrier_status":
        return write_214(content["milestones"])
    return write_810(content)


class X12Writer:
    standard = "x12"
    extension = ".x12"
    malformations: tuple[str, ...] = X12_MALFORMATIONS

    def interchange(
        self,
        documents: Sequence[BusinessDocument],
        identity: PartnerIdentity,
        control: int,
        at: datetime,
    ) -> bytes:
        groups: dict[str, OutboundGroup] = {}
        for document in documents:
            outbound = x12_set(document)
            functional_id = FUNCTIONAL_IDS[outbound.code]
            group = groups.setdefault(functional_id, OutboundGroup(functional_id, control))
            group.sets.append((len(group.sets) + 1, outbound))
        header = EnvelopeHeader(
            sender_id=identity.partner_id,
            receiver_id=identity.hub_id,
            sender_qualifier=identity.partner_qualifier,
            receiver_qualifier=identity.hub_qualifier,
            version=identity.version,
            usage=identity.usage,
        )
        # Several groups in one interchange would share GS06; the partner sends one kind of
        # document per interchange, as most do, so there is one group.
        return write_interchange(header, control, list(groups.values()), at)

    def malform(self, raw: bytes, how: str, rng: random.Random) -> bytes:
        text = raw.decode("utf-8")
        if how == "wrong_se_count":
            return _wrong_se_count(text, rng).encode("utf-8")
        if how == "truncated":
            # cut somewhere after the ISA and before the IEA: the trailer is lost
            end = text.rfind("IEA")
            return text[: rng.randrange(120, max(121, end))].encode("utf-8")
        if how == "bad_separators":
            # the ISA says "|" separates elements, while every segment uses the real one
            return (text[:3] + "|" + text[4:]).encode("utf-8")
        raise ValueError(f"{how!r} is not an X12 malformation ({', '.join(X12_MALFORMATIONS)})")

    def read_reply(
        self, raw: bytes, file: str
    ) -> tuple[list[Acknowledgement], list[ReplyDocument], list[str]]:
        interchanges, problems = parse_interchanges(raw)
        unreadable = [f"{file}{p.location}: {p.message}" for p in problems]
        acknowledgements: list[Acknowledgement] = []
        documents: list[ReplyDocument] = []
        for interchange in interchanges:
            unreadable.extend(f"{file}{p.location}: {p.message}" for p in interchange.problems)
            for group in interchange.groups:
                for tx in group.sets:
                    if tx.code == "997":
                        acknowledgements.extend(_acknowledgement(tx, file))
                    else:
                        documents.append(_reply_document(tx, interchange, file))
        return acknowledgements, documents, unreadable


def _wrong_se_count(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    trailers = [i for i, line in enumerate(lines) if line.startswith("SE*")]
    index = rng.choice(trailers)
    _, count, rest = lines[index].split("*", 2)
    lines[index] = f"SE*{int(count) + rng.choice((-1, 1, 2))}*{rest}"
    return "\n".join(lines)


def _acknowledgement(tx: TransactionSet, file: str) -> list[Acknowledgement]:
    acknowledged: list[Acknowledgement] = []
    group, functional_id, last = "", "", ""
    messages: dict[str, str] = {}
    for segment in tx.body:
        if segment.tag == "AK1":
            group, functional_id, messages = segment.get(2), segment.get(1), {}
        elif segment.tag == "AK2":
            last = segment.get(2)
        elif segment.tag == "AK5":
            messages[last] = segment.get(1)
        elif segment.tag == "AK9" and is_ascii_digits(group):
            status = segment.get(1)
            acknowledged.append(Acknowledgement(int(group), functional_id, status, messages, file))
    return acknowledged


def _reply_document(tx: TransactionSet, interchange: Interchange, file: str) -> ReplyDocument:
    tag, element = REPLY_NUMBERS.get(tx.code, ("", 0))
    segment = next((s for s in tx.body if s.tag == tag), None)
    number = segment.get(element) if segment is not None else ""
    return ReplyDocument(tx.code, number, interchange.control, file)
