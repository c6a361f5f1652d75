"""UN/EDIFACT in and out: ORDERS, DESADV, IFTSTA, INVOIC and CONTRL, mapped to canonical
events by our own code over a small ISO 9735 tokenizer (see ``syntax`` for why not pydifact)."""

from logisync.config import SystemConfig
from logisync.connectors.edi.receipt import ControlNumberStore, StoreControlLedger
from logisync.connectors.edifact.outbound import message_body, write_interchange
from logisync.connectors.edifact.receive import receive_edifact
from logisync.connectors.edifact.references import (
    MemoryReferenceCounter,
    NumberedReferences,
    ReferenceCounter,
)
from logisync.connectors.edifact.settings import (
    EdifactPartner,
    EdifactSettings,
    edifact_partner,
    settings_issues,
)
from logisync.connectors.edifact.target import EdifactTarget


def edifact_target(
    name: str, system: SystemConfig, store: ControlNumberStore | None = None
) -> EdifactTarget:
    """The target for a configured partner; interchange references come from ``store``
    (without one they restart at 1 with each process: for tests and dry runs only)."""
    references: ReferenceCounter = (
        MemoryReferenceCounter() if store is None else NumberedReferences(StoreControlLedger(store))
    )
    return EdifactTarget(edifact_partner(name, system), references)


__all__ = [
    "EdifactPartner",
    "EdifactSettings",
    "EdifactTarget",
    "MemoryReferenceCounter",
    "NumberedReferences",
    "ReferenceCounter",
    "edifact_partner",
    "edifact_target",
    "message_body",
    "receive_edifact",
    "settings_issues",
    "write_interchange",
]
