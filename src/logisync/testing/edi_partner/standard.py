"""The seam between the simulator's core and an EDI standard: ``DocumentWriter``.

The core decides what to send, when, and how to misbehave; a writer turns business documents
into one interchange of its standard under the partner's control number, knows how that
standard's files are broken on purpose, and reads the hub's replies (acknowledgements and
documents). X12 is one writer; EDIFACT would be another, with no change to the core.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from logisync.testing.edi_partner.documents import BusinessDocument

__all__ = ["Acknowledgement", "DocumentWriter", "PartnerIdentity", "ReplyDocument"]


@dataclass(frozen=True)
class PartnerIdentity:
    """Who the partner is on the wire: its id and the hub's, as its interchanges name them."""

    name: str = "acme_retail"
    partner_id: str = "ACMERETAIL"
    hub_id: str = "LOGISYNC"
    partner_qualifier: str = "ZZ"
    hub_qualifier: str = "ZZ"
    version: Literal["00401", "00501"] = "00401"
    usage: Literal["P", "T"] = "T"


@dataclass(frozen=True)
class Acknowledgement:
    """What the hub's acknowledgement says about one of the partner's groups (X12 997 AK1-AK9;
    an EDIFACT CONTRL would say the same): the group's control number, the verdict (A, E, P,
    R) and the verdict of each message by its control number."""

    group_control: int
    functional_id: str
    status: str
    messages: dict[str, str]
    file: str

    @property
    def accepted(self) -> bool:
        return self.status in ("A", "E")


@dataclass(frozen=True)
class ReplyDocument:
    """A business document the hub sent the partner (856, 810, 940...)."""

    code: str
    number: str
    interchange_control: str
    file: str


class DocumentWriter(Protocol):
    """One EDI standard, as a partner speaks it."""

    standard: str  # "x12"
    extension: str  # file name ending, ".x12"
    malformations: tuple[str, ...]  # the ways ``malform`` can break an interchange

    def interchange(
        self,
        documents: Sequence[BusinessDocument],
        identity: PartnerIdentity,
        control: int,
        at: datetime,
    ) -> bytes:
        """One interchange holding ``documents``, numbered ``control`` (interchange, group)."""
        ...

    def malform(self, raw: bytes, how: str, rng: random.Random) -> bytes:
        """``raw`` broken in the way ``how`` names (one of ``malformations``)."""
        ...

    def read_reply(
        self, raw: bytes, file: str
    ) -> tuple[list[Acknowledgement], list[ReplyDocument], list[str]]:
        """The acknowledgements and documents in a file the hub wrote, and what could not
        be read in it (sentences)."""
        ...
