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
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from logisync.core.clock import Clock, SystemClock, utc_text
from logisync.core.crosswalk import external_ids
from logisync.core.idle import wait_for_work
from logisync.core.journal import Journal
from logisync.core.ports import (
    ConflictRecord,
    CrosswalkLink,
    EntityClaim,
    EntityResult,
    EntityWork,
    JournalRecord,
    ProcessedEvent,
    Projection,
    Store,
)
from logisync.core.rehome import rehomed_scans
from logisync.core.routing import Routing
from logisync.core.rules import Rules
from logisync.core.sequencing import Decision, apply_event
from logisync.core.subjects import TRACKING_EVENT_TYPES
from logisync.errors import LeaseLost, StoreBusy, StoreUnavailable
from logisync.model.identifiers import carrier_code, tracking_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProcessorSettings:
    entities_per_batch: int = 500
    events_per_entity: int = 1000
    lease_seconds: float = 30.0
    idle_sleep_seconds: float = 0.05
    max_backoff_seconds: float = 5.0


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
        self._batch = self._settings.entities_per_batch

    def run_once(self) -> int:
        """Claim, process and commit one batch; return the number of events processed."""
        return self._run_batch() or 0

    def _run_batch(self) -> int | None:
        """Like ``run_once``, but ``None`` when there was nothing to claim: a batch can process
        no event (its entities parked at their first event) and still be progress."""
        settings = self._settings
        claim = self._store.claim_entities(
            self.name, self._batch, settings.lease_seconds, self._clock.now()
        )
        if claim is None:
            return None
        try:
            work = self._store.load_work(claim, settings.events_per_entity)
            now = utc_text(self._clock.now())
            results = [self._process_or_park(item, now) for item in work]
            self._rehome(work, results)
            self._store.commit_processing(claim, results, self._clock.now())
        except LeaseLost:
            # The batch took longer than the lease: take half as much next time, so that one
            # huge batch cannot fail over and over.
            self._batch = max(1, self._batch // 2)
            raise
        except BaseException:
            self._release_quietly(claim)
            raise
        self._batch = min(settings.entities_per_batch, self._batch * 2)
        return sum(len(result.processed) for result in results)

    def _rehome(self, work: list[EntityWork], results: list[EntityResult]) -> None:
        """Journal again, under their shipment, the carrier scans that came before a fact
        linked their tracking number to it (``core.rehome``). Done before the commit: if the
        commit fails, the next attempt journals the same ids, which adds nothing."""
        links = [
            link
            for item, result in zip(work, results, strict=True)
            if result.entity_key.startswith("shipment:")
            and any(e.type not in TRACKING_EVENT_TYPES for e in item.events)
            for link in result.links
        ]
        links += self._orphans_linked_since(work)
        if links and (moved := rehomed_scans(self._store, links)):
            Journal(self._store, self._clock).append(moved)

    def _orphans_linked_since(self, work: list[EntityWork]) -> list[CrosswalkLink]:
        """Scans that reached ``shipment:<tracking number>`` after the fact linking the
        number was processed (the webhook resolved the number before that fact committed,
        and journaled the scan after its re-home read the orphan's events): moved too, or
        they would stay on the orphan for good. One crosswalk read per orphan in the batch."""
        found = []
        for item in work:
            number = item.entity_key.removeprefix("shipment:")
            if number == item.entity_key:
                continue
            carriers = {
                carrier_code(str(e.data.get("carrier")))
                for e in item.events
                if e.type in TRACKING_EVENT_TYPES
                and tracking_key(str(e.data.get("tracking_number"))) == number
            }
            for carrier in carriers:
                owner = self._store.resolve(carrier, number)
                if owner is not None and owner != item.entity_key:
                    found.append(CrosswalkLink(carrier, number, owner))
        return found

    def _process_or_park(self, work: EntityWork, now: str) -> EntityResult:
        result = self.process_entity(work, now)
        if result.parked is None:
            return result
        # The poison event may have changed the projection before it raised: start again from
        # the stored projection (our lease keeps anyone else from changing it) and stop there.
        stored = self._store.get_projection(work.entity_key)
        clean = self.process_entity(
            EntityWork(stored, work.events, work.entity_key), now, stop_at=result.parked_at_index
        )
        clean.parked = result.parked
        # The reason quotes the error, whose message may quote the payload: the log names the
        # event only (personal data stays out of logs), `logisync parked` shows the reason.
        poison = work.events[result.parked_at_index or 0]
        log.error(
            "entity %s parked at event %s from %s (journal #%d, %s); see `logisync parked`",
            work.entity_key,
            poison.event_id,
            poison.source,
            poison.seq,
            poison.type,
            extra=_about(poison),
        )
        return clean

    def run_until_idle(self) -> int:
        """Process until nothing is left to claim; for tests, the demo and catch-up.

        Entities under another worker's live lease are left to it (or to whoever claims them
        once that lease expires).
        """
        total = 0
        while (processed := self._run_batch()) is not None:
            total += processed
        return total

    def run_forever(
        self, should_stop: Callable[[], bool], sleep: Callable[[float], None] = time.sleep
    ) -> None:
        """Work until told to stop, riding out a busy or unavailable store and lost leases.

        A lost lease means another worker redid the batch: nothing to repair. A store that
        cannot commit is retried with a growing pause (``sleep``, up to
        ``max_backoff_seconds``), so a full disk or a locked file delays processing but never
        stops or corrupts it. When idle it waits for news of work from the store (see
        ``core.idle``), ``idle_sleep_seconds`` at most.
        """
        backoff = self._settings.idle_sleep_seconds
        while not should_stop():
            try:
                processed = self._run_batch()
            except LeaseLost as lost:
                log.warning("%s: %s", self.name, lost)
                continue
            except (StoreBusy, StoreUnavailable) as trouble:
                backoff = min(backoff * 2, self._settings.max_backoff_seconds)
                log.warning("%s: %s; retrying in %.2fs", self.name, trouble, backoff)
                sleep(backoff)
                continue
            backoff = self._settings.idle_sleep_seconds
            if processed is None:  # idle: until news of work, or the poll interval at most
                wait_for_work(self._store, self._settings.idle_sleep_seconds, should_stop, "events")

    def process_entity(
        self, work: EntityWork, now: str, stop_at: int | None = None
    ) -> EntityResult:
        """Apply one entity's pending events in order; pure apart from reading the clock.

        An event that raises (a poison event) stops the entity there: the result is marked
        ``parked`` and its projection must be rebuilt without the poison (see ``run_once``).
        """
        projection = work.projection or Projection(work.entity_key)
        result = EntityResult(work.entity_key, projection)
        routing = Routing(self._rules, now)
        for index, record in enumerate(work.events):
            if index == stop_at:
                break
            try:
                decision = apply_event(projection, record, self._rules)
            except Exception as error:  # a poison event parks its entity, not the hub
                result.parked = (
                    f"event {record.event_id} from {record.source} (journal #{record.seq}, "
                    f"{record.type}) could not be processed: {type(error).__name__}: {error}"
                )
                result.parked_at_index = index
                return result
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
            # Identity is not governed state: every id a fact names is linked, even when the
            # fact itself lost (a stale or refused fact still tells us what the ids are).
            result.links.extend(external_ids(work.entity_key, record.data))
            routing.add(record, decision, projection)
            if log.isEnabledFor(logging.DEBUG):  # one line per event: off unless asked for
                log.debug(
                    "event %s %s (version %d)",
                    record.event_id,
                    decision.outcome,
                    projection.version,
                    extra=_about(record),
                )
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
                proposed_by=conflict.proposed_by or record.source,
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


def _about(record: JournalRecord) -> dict[str, object]:
    """The identifiers a log line about ``record`` carries (``logisync.logs`` lifts them)."""
    return {
        "correlation_id": record.correlationid,
        "event_id": record.event_id,
        "entity": record.subject,
        "seq": record.seq,
    }
