"""The EDIFACT target: each delivery becomes one interchange, written atomically (a temporary
file, then a rename) into the partner's ``outbox`` folder, where a transport picks it up.

What goes out, by what is delivered: milestone events -> IFTSTA, other shipment facts and
shipment states -> DESADV, invoices -> INVOIC, sales orders -> ORDERS. The file name comes
from the delivery's idempotency key, so a retried delivery whose file is already in the
outbox is not written again under a second interchange reference.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from logisync.connectors.edifact.outbound import message_body, write_interchange
from logisync.connectors.edifact.references import ReferenceCounter
from logisync.connectors.edifact.settings import EdifactPartner
from logisync.core.delivery.connector import DeliveryItem, ItemResult
from logisync.errors import PermanentDeliveryError

MESSAGE_OF_DOMAIN = {"shipment": "DESADV", "invoice": "INVOIC", "sales_order": "ORDERS"}


def message_for(payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The message type and canonical data of a delivery payload (an event or a state)."""
    if "type" in payload:  # mode: event
        event_type, data = str(payload["type"]), dict(payload.get("data") or {})
        if event_type.startswith("shipment.milestone_"):
            if not data.get("shipment_number"):
                data["shipment_number"] = str(payload.get("subject", "")).partition(":")[2]
            return "IFTSTA", data
        domain = event_type.partition(".")[0]
    else:  # mode: state
        domain = str(payload.get("entity", "")).partition(":")[0]
        data = dict(payload.get("state") or {})
    kind = MESSAGE_OF_DOMAIN.get(domain)
    if kind is None:
        raise PermanentDeliveryError(
            f"EDIFACT partners receive shipments, milestones, invoices and orders, not {domain!r}"
        )
    return kind, data


class EdifactTarget:
    """``TargetConnector`` writing interchanges for one partner."""

    max_batch = 50

    def __init__(
        self,
        partner: EdifactPartner,
        references: ReferenceCounter,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not partner.settings.outbox:
            raise ValueError(f"EDIFACT partner {partner.name} has no outbox folder")
        self.partner = partner
        self.outbox = Path(partner.settings.outbox)
        self._references = references
        self._clock = clock

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        return [self._one(item) for item in items]

    def _one(self, item: DeliveryItem) -> ItemResult:
        digest = hashlib.sha256(item.idempotency_key.encode()).hexdigest()[:24]
        try:
            kind, data = message_for(item.payload)
            name = f"{kind}_{self.partner.name}_{digest}.edi"
            if (self.outbox / name).exists():
                return ItemResult("delivered", target_ref=name)
            body = message_body(kind, data, self.partner.settings)
            reference = self._references.next_reference(self.partner.name)
            raw = write_interchange(self.partner.settings, reference, [(kind, body)], self._clock())
        except PermanentDeliveryError as refused:
            return ItemResult("permanent", error=str(refused))
        except (KeyError, TypeError, ValueError, ArithmeticError) as error:
            return ItemResult("permanent", error=f"cannot be written as EDIFACT: {error!r}")
        try:
            _write_atomically(self.outbox / name, raw)
        except OSError as error:
            return ItemResult("transient", error=f"outbox {self.outbox}: {error}")
        return ItemResult("delivered", target_ref=name)


def _write_atomically(path: Path, raw: bytes) -> None:
    """The partner's transport never sees half a file: write aside, fsync, rename."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(raw)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
