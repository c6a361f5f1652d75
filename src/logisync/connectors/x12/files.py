"""X12 interchanges dropped in a partner's inbox folder (``logisync watch``).

The folder transport journals what this reads and writes the 997s into the partner's outbox.
Control numbers are checked against the store's ledger, so a restart remembers what the
partner sent; without a store (a dry run) they are checked within the file only.
"""

from __future__ import annotations

from logisync.connectors.edi import EdiReceipt, MemoryControlLedger
from logisync.connectors.edi.receipt import StoreControlLedger
from logisync.connectors.files.handlers import FileContext
from logisync.connectors.x12.receive import receive_x12
from logisync.connectors.x12.settings import FOLDER_ONLY, X12Partner
from logisync.errors import Problem


def read_x12_file(name: str, raw: bytes, context: FileContext) -> EdiReceipt:
    values = {k: v for k, v in context.settings.items() if k not in FOLDER_ONLY}
    try:
        partner = X12Partner.model_validate({"name": context.system, **values})
    except ValueError as error:  # check-config reports this with line numbers
        return EdiReceipt(problems=[Problem(name, f"the X12 settings are not valid: {error}")])
    if context.store is None:
        memory = MemoryControlLedger()
        return receive_x12(raw, partner, memory, now=context.written_at)
    ledger = StoreControlLedger(context.store)
    return receive_x12(raw, partner, ledger, ledger, now=context.written_at)
