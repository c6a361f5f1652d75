"""The ``edifact`` webhook kind: an interchange posted raw to ``/v1/webhooks/{system}``.

The adapter port carries neither the partner's settings nor notices nor acknowledgements,
so this adapter reads without the party checks (the webhook's signature already says who
sent it), and the CONTRL and notices stay with the file transport, which has them all.
Control numbers go to the ledger given at construction (in memory unless the hub passes
its store-backed one).
"""

from __future__ import annotations

from logisync.api.webhooks.adapters import AdaptedDelivery
from logisync.api.webhooks.verdict import VerifiedDelivery
from logisync.connectors.edi.receipt import ControlLedger, MemoryControlLedger
from logisync.connectors.edifact.envelope import read_interchange
from logisync.connectors.edifact.receive import receive_edifact
from logisync.connectors.edifact.settings import EdifactPartner, EdifactSettings


class EdifactWebhook:
    def __init__(self, ledger: ControlLedger | None = None) -> None:
        self.ledger = ledger or MemoryControlLedger()

    def __call__(self, delivery: VerifiedDelivery) -> AdaptedDelivery:
        read = read_interchange(delivery.body)
        # the interchange names its own parties: accept them, the signature vouches
        settings = EdifactSettings(
            sender_id=(read.recipient or "-")[:35], receiver_id=(read.sender or "-")[:35]
        )
        receipt = receive_edifact(
            delivery.body, EdifactPartner(delivery.system, settings), self.ledger
        )
        return AdaptedDelivery(events=receipt.events, problems=receipt.problems)


edifact_webhook = EdifactWebhook()
