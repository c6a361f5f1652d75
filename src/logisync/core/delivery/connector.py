"""The one shape every target connector has: ``deliver(batch) -> an outcome per item``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from logisync.core.ports import DeliveryRecord


@dataclass(frozen=True, slots=True)
class DeliveryItem:
    """What a target receives. ``idempotency_key`` is stable across retries of one change, so
    a target that upserts by it applies a change once however often it is sent (at-least-once
    delivery, exactly-once effect)."""

    delivery: DeliveryRecord
    idempotency_key: str
    payload: dict[str, Any]
    # The W3C trace context of the event that caused the delivery: the target's calls continue
    # that trace (``logisync.connectors.tracing``).
    traceparent: str | None = None
    tracestate: str | None = None


@dataclass(frozen=True, slots=True)
class ItemResult:
    kind: Literal["delivered", "transient", "permanent"]
    target_ref: str | None = None  # the target's own id for what it stored
    # The target's lasting id for the entity (an Odoo record), linked in the crosswalk so
    # that what the target later says about that record resolves to the same entity.
    external_id: str | None = None
    error: str | None = None
    retry_after_seconds: float | None = None


class TargetConnector(Protocol):
    """A target system as the delivery worker sees it."""

    max_batch: int

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        """One result per item, in order. Raising counts as a transient failure of them all."""
        ...


class NullTarget:
    """Accepts everything and keeps nothing: for benchmarks and for flows being tried out."""

    max_batch = 500

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        return [ItemResult("delivered", target_ref=item.idempotency_key) for item in items]
