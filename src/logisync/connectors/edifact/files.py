"""EDIFACT interchanges dropped in a partner's inbox folder (``logisync watch``).

The folder transport journals what this reads and writes the CONTRL into the partner's
outbox. Control numbers (the partner's and our CONTRL references) are kept in the store, so a
restart remembers them; without a store (a dry run) they are checked within the file only.
"""

from __future__ import annotations

from pydantic import ValidationError

from logisync.connectors.edi import EdiReceipt, MemoryControlLedger
from logisync.connectors.edi.receipt import StoreControlLedger
from logisync.connectors.edifact.receive import receive_edifact
from logisync.connectors.edifact.references import NumberedReferences
from logisync.connectors.edifact.settings import EdifactPartner, EdifactSettings, own_keys
from logisync.connectors.files.handlers import FileContext
from logisync.errors import Problem


def read_edifact_file(name: str, raw: bytes, context: FileContext) -> EdiReceipt:
    try:
        settings = EdifactSettings.model_validate(own_keys(dict(context.settings)))
    except ValidationError as error:  # check-config reports this with line numbers
        return EdiReceipt(problems=[Problem(name, f"the EDIFACT settings are not valid: {error}")])
    partner = EdifactPartner(context.system, settings)
    if context.store is None:
        return receive_edifact(raw, partner, MemoryControlLedger())
    ledger = StoreControlLedger(context.store)
    return receive_edifact(raw, partner, ledger, references=NumberedReferences(ledger))
