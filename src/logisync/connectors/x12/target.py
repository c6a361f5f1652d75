"""The X12 target: deliveries become interchanges written into the partner's outbox folder.

Shipments become an 856 ship notice (or a 945 shipping advice, ``shipments: "945"``),
invoices an 810, released sales orders a 940; milestone events (a flow in event mode) a
214. A batch is one interchange; the file appears
complete or not at all (written under a temporary name, flushed, then renamed), so a transport
that picks files up never sends half of one. An item that cannot be written (a value holding
a separator, a missing number) fails alone and permanently; a full disk fails the batch as
transient. Control numbers come from the store, so a restart never reuses one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from logisync.config import SystemConfig
from logisync.connectors.edi.receipt import (
    ControlNumberStore,
    OutboundControlNumbers,
    StoreControlLedger,
)
from logisync.connectors.x12.carrier_status import write_214
from logisync.connectors.x12.invoice import write_810
from logisync.connectors.x12.outbound import write_x12
from logisync.connectors.x12.reading import zone_named
from logisync.connectors.x12.settings import X12Partner, partner_of
from logisync.connectors.x12.ship_notice import write_856
from logisync.connectors.x12.warehouse import write_940, write_945
from logisync.connectors.x12.writer import OutboundSet, check_writable
from logisync.core.delivery.connector import DeliveryItem, ItemResult
from logisync.errors import PermanentDeliveryError

MILESTONE_EVENTS = ("shipment.milestone_recorded", "shipment.milestone_corrected")


class X12Target:
    def __init__(
        self,
        partner: X12Partner,
        numbers: OutboundControlNumbers,
        *,
        shipments: str = "856",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_batch: int = 100,
    ) -> None:
        if partner.outbox is None:
            raise ValueError(f"{partner.name}: an X12 target needs an outbox folder")
        self.partner = partner
        self.outbox: Path = partner.outbox
        self.max_batch = max_batch
        self._numbers = numbers
        self._shipments = shipments
        self._clock = clock

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        results: list[ItemResult | None] = []
        sets: list[OutboundSet] = []
        for item in items:
            try:
                outbound = self.message_for(item.payload)
                check_writable(outbound)
                sets.append(outbound)
                results.append(None)
            except (PermanentDeliveryError, KeyError, ValueError, TypeError) as failure:
                results.append(ItemResult("permanent", error=_reason(failure)))
        if not sets:
            return [r for r in results if r is not None]
        try:
            name, body = write_x12(sets, self.partner, self._numbers, self._clock())
            self._write_atomically(name, body)
        except PermanentDeliveryError as failure:
            return [r or ItemResult("permanent", error=str(failure)) for r in results]
        except OSError as failure:
            error = f"cannot write to {self.outbox}: {failure.strerror or failure}"
            return [r or ItemResult("transient", error=error) for r in results]
        return [r or ItemResult("delivered", target_ref=name) for r in results]

    def message_for(self, payload: dict[str, Any]) -> OutboundSet:
        """The transaction set for one delivery's payload (an entity state or an event)."""
        if payload.get("type") in MILESTONE_EVENTS:
            return write_214([dict(payload["data"])])
        domain, state = _entity(payload)
        zone = zone_named(self.partner.timezone)
        if domain == "shipment":
            return write_945(state, zone) if self._shipments == "945" else write_856(state, zone)
        if domain == "invoice":
            return write_810(state)
        if domain == "sales_order":
            if state.get("status") not in ("released", None):
                raise PermanentDeliveryError(
                    f"sales order {state.get('number')} is {state.get('status')!r}: only a "
                    "released order is sent to the warehouse (940); route released orders only"
                )
            return write_940(state, zone)
        raise PermanentDeliveryError(f"an X12 partner is not sent {domain!r} entities")

    def _write_atomically(self, name: str, body: bytes) -> None:
        self.outbox.mkdir(parents=True, exist_ok=True)
        temporary = self.outbox / f".{name}.part"
        with open(temporary, "wb") as file:
            file.write(body)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.outbox / name)


def _entity(payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if "state" in payload:  # state mode: the entity as the hub projects it
        return str(payload["entity"]).split(":", 1)[0], dict(payload["state"])
    return str(payload["subject"]).split(":", 1)[0], dict(payload["data"])  # event mode


def _reason(failure: Exception) -> str:
    if isinstance(failure, KeyError):
        return f"the entity has no {failure.args[0]!r}, which the X12 message needs"
    return str(failure)


def x12_target(name: str, system: SystemConfig, store: ControlNumberStore) -> X12Target:
    """The target for a configured X12 system, numbering its interchanges in ``store``."""
    partner = partner_of(name, system)
    return X12Target(partner, StoreControlLedger(store), shipments=partner.shipments)
