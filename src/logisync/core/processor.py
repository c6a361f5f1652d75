"""The processor: per entity, strictly in journal order; across entities, in parallel.

A worker claims a batch of entities with pending events (a lease with a token), applies each
entity's events in order with ``apply_event``, routes the changes, and commits projections,
processed markers, history, conflicts, crosswalk links and deliveries in ONE transaction that
also re-checks the lease. A worker killed at any point leaves either the whole batch committed
or nothing; its lease expires and another worker (or itself, restarted) redoes the batch. So
nothing is lost and nothing is applied twice, without any in-process lock.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from logisync.core.clock import Clock, SystemClock, utc_text
from logisync.core.crosswalk import external_ids
from logisync.core.ports import (
    ConflictRecord,
    EntityClaim,
    EntityResult,
    EntityWork,
    JournalRecord,
    ProcessedEvent,
    Projection,
    Store,
)
from logisync.core.routing import Routing
from logisync.core.rules import Rules
from logisync.core.sequencing import Decision, apply_event


@dataclass(frozen=True)
class ProcessorSettings:
    entities_per_batch: int = 500
    events_per_entity: int = 1000
    lease_seconds: float = 30.0
    idle_sleep_seconds: float = 0.05


class Processor:
    def __init__(
        self,
        store: Store,
        rules: Rules,
        *,
        clock: Clock | None = None,
        settings: ProcessorSettings | None = None,
        name: str | None = None,
    ) -> None:
        self._store = store
        self._rules = rules
        self._clock = clock or SystemClock()
        self._settings = settings or ProcessorSettings()
        self.name = name or f"processor-{uuid.uuid4().hex[:8]}"

    def run_once(self) -> int:
        """Claim, process and commit one batch; return the number of events processed."""
        settings = self._settings
        claim = self._store.claim_entities(
            self.name, settings.entities_per_batch, settings.lease_seconds, self._clock.now()
        )
        if claim is None:
            return 0
        try:
            work = self._store.load_work(claim, settings.events_per_entity)
            now = utc_text(self._clock.now())
            results = [self.process_entity(item, now) for item in work]
            self._store.commit_processing(claim, results, self._clock.now())
        except BaseException:
            self._release_quietly(claim)
            raise
        return sum(len(result.processed) for result in results)

    def run_until_idle(self) -> int:
        """Process until no entity has pending events; for tests, the demo and catch-up."""
        total = 0
        while processed := self.run_once():
            total += processed
        return total

    def run_forever(self, should_stop: Callable[[], bool]) -> None:
        while not should_stop():
            if not self.run_once():
                time.sleep(self._settings.idle_sleep_seconds)

    def process_entity(self, work: EntityWork, now: str) -> EntityResult:
        """Apply one entity's pending events in order; pure apart from reading the clock."""
        projection = work.projection or Projection(work.entity_key)
        result = EntityResult(work.entity_key, projection)
        routing = Routing(self._rules, now)
        for record in work.events:
            decision = apply_event(projection, record, self._rules)
            result.changed = result.changed or decision.touched or bool(decision.applied)
            result.processed.append(
                ProcessedEvent(
                    record.seq,
                    work.entity_key,
                    decision.outcome,
                    projection.version,
                    decision.detail(),
                )
            )
            if decision.conflicts:
                result.conflicts.extend(self._conflicts(record, decision, work.entity_key, now))
            if decision.applied:
                result.links.extend(external_ids(work.entity_key, record.source, record.data))
            routing.add(record, decision, projection)
        projection.updated_at = now
        result.deliveries = routing.deliveries()
        return result

    @staticmethod
    def _conflicts(
        record: JournalRecord, decision: Decision, entity_key: str, now: str
    ) -> list[ConflictRecord]:
        return [
            ConflictRecord(
                entity_key=entity_key,
                field=conflict.field,
                kind="proposal" if conflict.kind == "proposal" else "conflict",
                policy=conflict.policy,
                event_seq=record.seq,
                event_id=record.event_id,
                proposed_by=record.source,
                proposed_value=conflict.proposed,
                current_value=conflict.current,
                current_source=conflict.current_source,
                created_at=now,
            )
            for conflict in decision.conflicts
        ]

    def _release_quietly(self, claim: EntityClaim) -> None:
        # The lease expires anyway; the original error is the one worth raising.
        with contextlib.suppress(Exception):
            self._store.release_claim(claim)
