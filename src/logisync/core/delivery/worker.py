"""The delivery worker: claim due deliveries of a target, send them, record what happened.

At-least-once: a worker killed after the target applied a batch but before recording it
leaves its claims to expire; the batch is sent again with the same idempotency keys, and the
target's upsert makes the second send a no-op.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from logisync.core.clock import Clock, SystemClock, utc_text
from logisync.core.delivery.connector import DeliveryItem, ItemResult, TargetConnector
from logisync.core.delivery.gate import TargetGate
from logisync.core.delivery.retry import RetryPolicy
from logisync.core.idle import wait_for_work
from logisync.core.log_context import bound
from logisync.core.ports import (
    DeliveryClaim,
    DeliveryOutcome,
    DeliveryRecord,
    NextBatch,
    Store,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliverySettings:
    lease_seconds: float = 60.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_in_flight: dict[str, int] = field(default_factory=dict)  # batches out per target


class DeliveryWorker:
    def __init__(
        self,
        store: Store,
        connectors: Mapping[str, TargetConnector],
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        settings: DeliverySettings | None = None,
        name: str | None = None,
        gates: Mapping[str, TargetGate] | None = None,
    ) -> None:
        self._store = store
        self._connectors = connectors
        self._clock = clock or SystemClock()
        self._rng = rng or random.Random()
        self._settings = settings or DeliverySettings()
        self.name = name or f"deliverer-{uuid.uuid4().hex[:8]}"
        self._gates = gates or {}
        self._correlation: dict[int, str | None] = {}  # per delivery of the batch being sent

    def wait_for_work(self, seconds: float, should_stop: Callable[[], bool]) -> bool:
        """Idle: wait for news of work from the store (new deliveries from any process), at
        most ``seconds``; see ``core.idle``."""
        return wait_for_work(self._store, seconds, should_stop, "deliveries")

    def run_once(self, target: str, max_batches: int = 1) -> int:
        """Send up to ``max_batches`` batches to ``target``, back to back, while deliveries
        are due; return how many deliveries were attempted.

        Each batch after the first is claimed in the transaction that records the outcomes
        of the one before (one commit per batch instead of two); the last one is recorded
        without claiming more, so no claim is left unsent when this returns.
        """
        connector = self._connectors[target]
        limit = self._admitted(target, connector.max_batch)
        if limit == 0:
            return 0  # over its rate, or its breaker is open: the deliveries wait
        claim = self._store.claim_deliveries(
            target,
            self.name,
            limit,
            self._settings.lease_seconds,
            self._clock.now(),
            max_in_flight=self._settings.max_in_flight.get(target),
        )
        attempted = batches = 0
        while claim is not None:
            outcomes, (ok, failed) = self._send(connector, claim)
            attempted, batches = attempted + len(outcomes), batches + 1
            wanted = connector.max_batch if batches < max_batches else 0
            next_batch = None
            if limit := self._settled(target, ok, failed, wanted):
                next_batch = NextBatch(
                    limit,
                    self._settings.lease_seconds,
                    self._settings.max_in_flight.get(target),
                )
            claim = self._store.finish_deliveries(claim, outcomes, self._clock.now(), next_batch)
        return attempted

    def run_until_idle(self) -> int:
        total = 0
        for target in self._connectors:
            while sent := self.run_once(target, max_batches=100):
                total += sent
        return total

    def _admitted(self, target: str, wanted: int) -> int:
        gate = self._gates.get(target)
        return wanted if gate is None else gate.admit(wanted, self._clock.now())

    def _settled(self, target: str, ok: int, failed: int, wanted: int) -> int:
        """Tell the target's breaker how a batch went and, when ``wanted``, how many of the
        next batch may go: one gate transaction per batch, not two."""
        gate = self._gates.get(target)
        if gate is None:
            return wanted
        now = self._clock.now()
        if not wanted:
            gate.report(ok, failed, now)
            return 0
        return gate.report_and_admit(ok, failed, wanted, now)

    def _send(
        self, connector: TargetConnector, claim: DeliveryClaim
    ) -> tuple[list[DeliveryOutcome], tuple[int, int]]:
        """Send a claimed batch; return the outcomes, and how many were delivered and how many
        failed in a way the breaker counts (transient). A batch that fails in transit fails as
        a whole (every item may be retried)."""
        self._correlation = {}
        items = self._items(claim)
        try:
            results = connector.deliver(items)
            if len(results) != len(items):
                raise RuntimeError(f"{claim.target} answered {len(results)} of {len(items)} items")
        except Exception as error:
            results = [ItemResult("transient", error=f"{type(error).__name__}: {error}")] * len(
                items
            )
        ok = sum(result.kind == "delivered" for result in results)
        failed = sum(result.kind == "transient" for result in results)
        outcomes = []
        for item, result in zip(items, results, strict=True):
            outcome = self._outcome(item.delivery, result)
            self._log(item.delivery, outcome)
            outcomes.append(outcome)
        return outcomes, (ok, failed)

    def _log(self, delivery: DeliveryRecord, outcome: DeliveryOutcome) -> None:
        """One line per delivery: debug when delivered, warning when it will be retried or went
        to the dead-letter queue. The error names the target's answer, not the payload."""
        level = logging.DEBUG if outcome.kind == "delivered" else logging.WARNING
        if not log.isEnabledFor(level):
            return
        with bound(
            target=delivery.target,
            entity=delivery.entity_key,
            event_id=delivery.event_id,
            correlation_id=self._correlation.get(delivery.id),
            delivery_id=delivery.id,
        ):
            if outcome.kind == "delivered":
                log.debug("delivery %d delivered", delivery.id)
            elif outcome.kind == "retry":
                log.warning("delivery %d will be retried at %s", delivery.id, outcome.due_at)
            else:
                log.warning("delivery %d went to the dead-letter queue", delivery.id)

    def _items(self, claim: DeliveryClaim) -> list[DeliveryItem]:
        # Every delivery's event (a state delivery's: the latest it absorbed), for the trace
        # context and correlation id it carries on, besides the payload of event deliveries.
        events = self._store.events_by_seq([d.event_seq for d in claim.deliveries])
        items = []
        payload: dict[str, Any]
        for delivery in claim.deliveries:
            record = events.get(delivery.event_seq)
            if delivery.mode == "event":
                if record is None:
                    raise LookupError(f"journal #{delivery.event_seq} of a delivery is missing")
                payload = {
                    "id": record.event_id,
                    "source": record.source,
                    "type": record.type,
                    "subject": record.subject,
                    "time": record.time,
                    "data": record.data,
                }
                key = f"{record.source}:{record.event_id}"
            else:  # the latest state, whatever version was routed: that is the coalescing
                projection = self._store.get_projection(delivery.entity_key)
                state = projection.state if projection else {}
                version = projection.version if projection else delivery.entity_version
                payload = {"entity": delivery.entity_key, "version": version, "state": state}
                key = f"{delivery.entity_key}@{version}"
            traceparent = record.traceparent if record else None
            tracestate = record.tracestate if record else None
            items.append(DeliveryItem(delivery, key, payload, traceparent, tracestate))
            self._correlation[delivery.id] = record.correlationid if record else None
        return items

    def _outcome(self, delivery: DeliveryRecord, result: ItemResult) -> DeliveryOutcome:
        if result.kind == "delivered":
            return DeliveryOutcome(
                delivery.id,
                "delivered",
                target_ref=result.target_ref,
                external_id=result.external_id,
            )
        error = result.error or result.kind
        if result.kind == "permanent":
            return DeliveryOutcome(delivery.id, "dead", error=error)
        now = self._clock.now()
        due = self._settings.retry.next_attempt(
            delivery.attempts + 1,
            # Waiting behind an open breaker or a backlog does not use up the retry age.
            datetime.fromisoformat(delivery.first_attempt_at or delivery.created_at),
            now,
            self._rng,
            result.retry_after_seconds,
        )
        if due is None:
            return DeliveryOutcome(delivery.id, "dead", error=f"retries exhausted: {error}")
        return DeliveryOutcome(delivery.id, "retry", error=error, due_at=utc_text(due))
