"""The ``x12`` webhook adapter: the body is an X12 interchange, posted as is.

The posting system is the partner: its interchanges must come from, and be addressed to,
the ids of the interchange itself (the webhook's signature already proves who sent it).
Re-posting the same file journals nothing new, because event ids come from the partner's
control numbers. Gaps and 997s belong to file transports, which keep the store's ledger; a
webhook caller gets any envelope or mapping problem back in the answer instead.
"""

from __future__ import annotations

from pydantic import ValidationError

from logisync.api.webhooks.adapters import AdaptedDelivery
from logisync.api.webhooks.verdict import VerifiedDelivery
from logisync.connectors.edi.receipt import MemoryControlLedger
from logisync.connectors.x12.envelope import parse_interchanges
from logisync.connectors.x12.receive import receive_x12
from logisync.connectors.x12.settings import X12Partner
from logisync.errors import Problem


def x12_interchange(delivery: VerifiedDelivery) -> AdaptedDelivery:
    interchanges, problems = parse_interchanges(delivery.body)
    if problems or not interchanges:
        return AdaptedDelivery(problems=problems)
    first = interchanges[0]
    if not first.sender or not first.receiver:
        return AdaptedDelivery(
            problems=[Problem("/interchange/1", "segment 1 (ISA): ISA06 and ISA08 must name ids")]
        )
    try:
        partner = X12Partner(
            name=delivery.system, sender_id=first.receiver, receiver_id=first.sender
        )
    except ValidationError:
        return AdaptedDelivery(
            problems=[
                Problem(
                    "/interchange/1",
                    f"segment 1 (ISA), elements 06/08: {first.sender!r} or {first.receiver!r} "
                    "is not an interchange id (1-15 letters, digits, spaces, . - _ /)",
                )
            ]
        )
    receipt = receive_x12(delivery.body, partner, MemoryControlLedger())
    return AdaptedDelivery(events=receipt.events, problems=receipt.problems)
