"""What X12 and EDIFACT share: control-number checks and what receiving an interchange yields.

The two syntaxes live in ``connectors.x12`` and ``connectors.edifact``; both check control
numbers against one ``ControlLedger`` and answer a received interchange with one
``EdiReceipt``, so the folder and HTTP transports treat them alike.
"""

from logisync.connectors.edi.receipt import (
    ControlCheck,
    ControlLedger,
    EdiReceipt,
    MemoryControlLedger,
)

__all__ = ["ControlCheck", "ControlLedger", "EdiReceipt", "MemoryControlLedger"]
