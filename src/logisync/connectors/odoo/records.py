"""What the Odoo writers receive and answer: an entity's latest state, an outcome per entity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from logisync.connectors.odoo.failures import is_transient_text
from logisync.core.delivery.connector import ItemResult
from logisync.model.values import date_text


@dataclass(frozen=True, slots=True)
class EntityState:
    key: str  # the business key, e.g. the shipment number
    version: int
    state: dict[str, Any]


class DomainWriter(Protocol):
    """Writes one canonical domain's entities into Odoo, many per call."""

    domain: str

    def write(self, entities: Sequence[EntityState]) -> list[ItemResult]:
        """One result per entity, in order; raise ``OdooCallFailed`` when a call failed for
        them all."""
        ...


def delivered(model: str, record_id: int) -> ItemResult:
    reference = f"{model},{record_id}"
    return ItemResult("delivered", target_ref=reference, external_id=reference)


def refused(error: str) -> ItemResult:
    return ItemResult("permanent", error=error)


def row_refused(model: str, message: str | None) -> ItemResult:
    """A record ``load`` refused: retried if Odoo's reason is a database conflict."""
    text = f"{model}: {message}"
    return later(text) if is_transient_text(str(message)) else refused(text)


def later(error: str, retry_after: float | None = None) -> ItemResult:
    return ItemResult("transient", error=error, retry_after_seconds=retry_after)


def known(cells: dict[str, Any]) -> dict[str, str]:
    """The cells whose value the hub knows (``None`` and empty ones left out, so that load
    leaves those fields as they are in Odoo)."""
    return {column: cell(value) for column, value in cells.items() if value not in (None, "")}


def cell(value: Any) -> str:
    """A value as ``load`` wants it: text, with Odoo's spelling of booleans and numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal | int | float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def amount(value: Any) -> Decimal:
    """A canonical quantity or money value (``{"value": "2"}`` or ``"2"``) as a Decimal."""
    if isinstance(value, dict):
        value = value.get("value", value.get("amount", 0))
    return Decimal(str(value))


def odoo_datetime(value: str | None) -> str:
    """``2026-03-01T11:00:00Z`` -> ``2026-03-01 11:00:00`` (Odoo stores UTC, no zone)."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return date_text(moment, "%Y-%m-%d %H:%M:%S")
