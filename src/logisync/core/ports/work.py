"""Work taken with claims (a token and an expiry) and committed with a re-check of the
claim: the processor's entities and the delivery workers' deliveries, dead letters and replays.
Part of the storage port (``core.ports.Store``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from logisync.core.records import (
    DeadLetter,
    DeliveryClaim,
    DeliveryOutcome,
    EntityClaim,
    EntityResult,
    EntityWork,
    JsonObject,
    NextBatch,
    ParkedEntity,
)

T = TypeVar("T")


class ProcessingStore(Protocol):
    """The processor's side: claim entities, load their events, commit results."""

    def claim_entities(
        self, owner: str, limit: int, lease_seconds: float, now: datetime
    ) -> EntityClaim | None:
        """Lease up to ``limit`` entities with pending events, oldest waiting first, skipping
        entities another live claim holds. ``None`` when there is nothing to do."""
        ...

    def load_work(self, claim: EntityClaim, max_events: int) -> list[EntityWork]:
        """The claimed entities' projections and pending events in journal order."""
        ...

    def commit_processing(
        self, claim: EntityClaim, results: Sequence[EntityResult], now: datetime
    ) -> None:
        """Write projections, markers, history, conflicts, links and deliveries in ONE
        transaction, after checking the claim is still held (else ``LeaseLost``). A result
        with ``parked`` set parks its entity at the first event it did not process."""
        ...

    def release_claim(self, claim: EntityClaim) -> None: ...

    def parked(self) -> list[ParkedEntity]:
        """Entities stopped at an event that could not be processed, oldest first."""
        ...

    def unpark(self, entity_key: str) -> bool:
        """Let workers take a parked entity again (after the cause was fixed)."""
        ...


class DeliveryStore(Protocol):
    """The delivery workers' side: claim, finish, dead-letter, replay, re-drive."""

    def claim_deliveries(
        self,
        target: str,
        owner: str,
        limit: int,
        lease_seconds: float,
        now: datetime,
        max_in_flight: int | None = None,
    ) -> DeliveryClaim | None:
        """Lease due deliveries of ``target``, most urgent first (priority ages with waiting);
        expired leases are taken over. Never two deliveries of one entity, never one behind an
        older undelivered one, and no claim while ``max_in_flight`` batches are out."""
        ...

    def finish_deliveries(
        self,
        claim: DeliveryClaim,
        outcomes: Sequence[DeliveryOutcome],
        now: datetime,
        next_batch: NextBatch | None = None,
    ) -> DeliveryClaim | None:
        """Record outcomes and attempts in one transaction, after checking the claim is still
        held (else ``LeaseLost``); dead deliveries move to the dead-letter queue. With
        ``next_batch``, the same transaction then claims the target's next deliveries as
        ``claim_deliveries`` would, after these outcomes, and returns that claim (or ``None``).

        A first-try success writes no attempt row: the delivery's own row (``delivered``,
        one attempt, ``delivered_at``, ``target_ref``) tells it, and ``attempts`` shows it."""
        ...

    def dead_letters(
        self, target: str | None = None, limit: int = 1000, state: str | None = "dead"
    ) -> list[DeadLetter]: ...

    def replay_dead_letter(
        self,
        delivery_id: int,
        *,
        current: bool,
        actor: str,
        reason: str,
        now: datetime,
        origin: str | None = None,
    ) -> bool:
        """Queue a dead delivery again (as sent, or as the entity's current state) and audit
        who did it, why and from where, in one transaction. False when it is not (or no
        longer) dead, or when a pending state delivery of its entity already carries more."""
        ...

    def redrive(
        self, target: str, *, domain: str | None, actor: str, reason: str, now: datetime
    ) -> int:
        """Queue the current state of every entity (of ``domain``) for ``target`` again, e.g.
        after the target's database was restored; audited. Returns how many were queued."""
        ...

    def find_dead_letters(
        self,
        *,
        target: str | None = None,
        event_type: str | None = None,
        error: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[int]:
        """Ids of dead deliveries matching every given filter (error: a case-blind substring;
        since/until: UTC text bounds of when they died)."""
        ...

    def attempts(self, delivery_id: int) -> list[tuple[int, str, str, str | None]]:
        """A delivery's attempts: (number, time, outcome, detail), oldest first."""
        ...

    def update_target_state(
        self, target: str, change: Callable[[JsonObject | None], tuple[JsonObject, T]]
    ) -> T:
        """Read the target's shared policy state, apply ``change`` and save what it returns,
        in ONE transaction, so that workers on many machines share one bucket and breaker."""
        ...
