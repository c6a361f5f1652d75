"""UN/EDIFACT in and out: ORDERS, DESADV, IFTSTA, INVOIC and CONTRL, mapped to canonical
events by our own code over a small ISO 9735 tokenizer (see ``syntax`` for why not pydifact)."""

from logisync.config import SystemConfig
from logisync.connectors.edifact.outbound import message_body, write_interchange
from logisync.connectors.edifact.receive import receive_edifact
from logisync.connectors.edifact.references import MemoryReferenceCounter, ReferenceCounter
from logisync.connectors.edifact.settings import (
    EdifactPartner,
    EdifactSettings,
    edifact_partner,
    settings_issues,
)
from logisync.connectors.edifact.target import EdifactTarget


def edifact_target(
    name: str, system: SystemConfig, references: ReferenceCounter | None = None
) -> EdifactTarget:
    """The target for a configured partner. Without ``references`` the interchange numbers
    restart at 1 with each process: the hub passes its store-backed counter."""
    return EdifactTarget(edifact_partner(name, system), references or MemoryReferenceCounter())


__all__ = [
    "EdifactPartner",
    "EdifactSettings",
    "EdifactTarget",
    "MemoryReferenceCounter",
    "ReferenceCounter",
    "edifact_partner",
    "edifact_target",
    "message_body",
    "receive_edifact",
    "settings_issues",
    "write_interchange",
]
