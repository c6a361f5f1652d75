"""A data steward's decision on a conflict or proposal: accept applies the value, reject
closes it.

Accepting journals ``<domain>.value_accepted`` from the reserved system ``steward`` (see
``model.stewardship``), as the journal's entry of any fact; the processor applies it like an owner's
write and routes it like the fact that proposed it. So the decision is durable, replayable and
travels to the targets like any other change, and the projection is never edited here. The
event id is derived from the conflict id, so accepting twice (a double click) journals once.
The acceptance is journaled in the transaction that closes the conflict, and only if it was
still open: a concurrent reject and accept cannot both take effect.

Before journaling, the acceptance is tried on a copy of the entity's current projection with
the same rule the processor uses. If the field changed after the proposal was recorded, or the
value could not apply (a status never moves back), it is refused with a sentence saying so
and nothing is journaled: a newer value from the owner is never silently overwritten. The
processor checks again when it applies the event, for a change journaled in between.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from logisync.core.clock import Clock, SystemClock, utc_text
from logisync.core.journal import journal_entry, journal_record
from logisync.core.ports import ConflictRecord, JournalRecord, Projection, Store
from logisync.core.rules import Rules
from logisync.core.sequencing import apply_event
from logisync.errors import DecisionRefused, InvalidEvent, StaleProposal, StoreError
from logisync.model.envelope import Event, new_event
from logisync.model.stewardship import ACCEPTED_SUFFIX, STEWARD, acceptance_id


def every_conflict(
    store: Store, entity_key: str | None = None, page: int = 1000
) -> list[ConflictRecord]:
    """Every conflict and proposal (of ``entity_key``), open or decided, by id, however many:
    ``Store.conflicts`` answers a page at a time, and a view that read only the first page
    lost the newest, still open, ones of an entity past a thousand."""
    if page < 1:
        raise ValueError(f"page must be at least 1, not {page}")
    found: list[ConflictRecord] = []
    while True:
        after = found[-1].id if found else 0
        batch = store.conflicts(entity_key, after=after, limit=page)
        if batch and (batch[0].id or 0) <= after:
            raise StoreError(f"conflicts after id {after} began at id {batch[0].id}: not paging")
        found += batch
        if len(batch) < page:
            return found


@dataclass(frozen=True)
class Acceptance:
    """What accepting did: the journaled event, and whether it was already journaled."""

    conflict_id: int
    entity_key: str
    event_id: str
    seq: int
    repeated: bool


class Stewardship:
    """Carries out a steward's decisions against one store (the API's single writer)."""

    def __init__(self, store: Store, clock: Clock | None = None) -> None:
        self._store = store
        self._clock = clock or SystemClock()

    def accept(
        self, conflict_id: int, *, actor: str, reason: str, origin: str | None = None
    ) -> Acceptance | None:
        """Journal the acceptance and close the conflict as accepted (audited); ``None`` when
        the conflict is not (or no longer) open. Raises ``DecisionRefused`` (``StaleProposal``
        when the field changed since) with nothing journaled and the conflict still open."""
        conflict = self._open(conflict_id)
        if conflict is None:
            return None
        now = self._clock.now()
        event = self._acceptance(conflict, actor, reason, now)
        journaled = self._store.get_event(event.id, STEWARD)
        if journaled is None:
            self._try(conflict, event)
        else:  # journaled by an earlier version, which closed the conflict in a second step
            _same_decision(journaled, event)
        decided = self._store.decide_conflict(
            conflict_id,
            accept=True,
            actor=actor,
            reason=reason,
            now=now,
            origin=origin,
            journal=journal_entry(event, utc_text(now)),
        )
        if not decided:  # decided by someone else since it was read: nothing journaled
            return None
        stored = self._store.get_event(event.id, STEWARD)
        if stored is None:
            raise StoreError(f"the acceptance {event.id} was committed but cannot be read back")
        repeated = journaled is not None
        return Acceptance(conflict_id, conflict.entity_key, event.id, stored.seq, repeated)

    def reject(
        self, conflict_id: int, *, actor: str, reason: str, origin: str | None = None
    ) -> bool:
        """Close the conflict as rejected (audited); journals nothing: the kept value stays.
        False when it is not (or no longer) open. Refused (``DecisionRefused``) when its
        acceptance is journaled already: an earlier version journaled the acceptance and closed
        the conflict in two steps, and a crash between them left it open; rejecting it now
        would close it while the accepted value applies."""
        if self._store.get_event(acceptance_id(conflict_id), STEWARD) is not None:
            raise DecisionRefused(
                f"conflict {conflict_id} was accepted already (its acceptance is journaled); "
                "accept it again to close it"
            )
        return self._store.decide_conflict(
            conflict_id,
            accept=False,
            actor=actor,
            reason=reason,
            now=self._clock.now(),
            origin=origin,
        )

    def _open(self, conflict_id: int) -> ConflictRecord | None:
        # The page of open conflicts that starts at this id: no store method of its own.
        found = self._store.open_conflicts(after=conflict_id - 1, limit=1)
        return found[0] if found and found[0].id == conflict_id else None

    def _acceptance(
        self, conflict: ConflictRecord, actor: str, reason: str, now: datetime
    ) -> Event:
        proposal = self._store.events_by_seq([conflict.event_seq]).get(conflict.event_seq)
        if proposal is None:
            raise DecisionRefused(
                f"the event that proposed {conflict.field} of {conflict.entity_key} "
                f"(#{conflict.event_seq}) is no longer in the journal; reject this "
                f"{conflict.kind} and ask {conflict.proposed_by} to send the value again"
            )
        domain = conflict.entity_key.split(":", 1)[0]
        data = {
            "entity_key": conflict.entity_key,
            "conflict": conflict.id,
            "values": {conflict.field: conflict.proposed_value},
            "replaces": {conflict.field: conflict.current_value},
            **_origin(proposal, conflict),
            "decided_by": actor,
            "reason": reason or None,
        }
        try:
            return new_event(
                domain + ACCEPTED_SUFFIX,
                data,
                source=STEWARD,
                id=acceptance_id(conflict.id),
                subject=conflict.entity_key,
                time=utc_text(now),
                correlationid=proposal.correlationid,
                causationid=proposal.event_id,
            )
        except InvalidEvent as invalid:
            raise DecisionRefused(
                f"{conflict.field} of {conflict.entity_key} cannot be accepted: "
                + "; ".join(p.message for p in invalid.problems)
            ) from None

    def _try(self, conflict: ConflictRecord, event: Event) -> None:
        """Apply ``event`` to a copy of the current projection, as the processor will."""
        stored = self._store.get_projection(conflict.entity_key)
        projection = copy.deepcopy(stored) if stored else Projection(conflict.entity_key)
        record = journal_record(event, 0, utc_text(event.time))
        decision = apply_event(projection, record, Rules())
        name = conflict.field
        if decision.conflicts:
            setter = projection.provenance.get(name, {})
            raise StaleProposal(
                f"{name} of {conflict.entity_key} changed after {conflict.proposed_by} "
                f"proposed {conflict.proposed_value!r}: it is now "
                f"{projection.state.get(name)!r}, set by {setter.get('system', 'another fact')} "
                f"(event {setter.get('event', '?')}). Accepting would overwrite that newer "
                f"value, so nothing was done: reject this {conflict.kind} to keep the newer "
                "value, or have the owner change it"
            )
        if name in decision.superseded:
            raise DecisionRefused(
                f"{conflict.proposed_value!r} cannot become {name} of {conflict.entity_key}: "
                f"{decision.superseded[name]}"
            )


def _same_decision(journaled: JournalRecord, event: Event) -> None:
    """A journaled acceptance with this id decides this conflict the same way, or refuse: a
    store rebuilt from the journal numbers its conflicts anew, so an old id may name another."""
    keys = ("entity_key", "conflict", "values", "replaces", "proposed_event")
    if journaled.subject != event.subject or any(
        journaled.data.get(k) != event.data.get(k) for k in keys
    ):
        raise DecisionRefused(
            f"the journal already holds {event.id} (#{journaled.seq}), an acceptance of "
            f"another conflict numbered {event.data['conflict']} (the store was rebuilt from "
            "the journal?): decide this one by having the owner set the value, or reject it"
        )


def _origin(proposal: JournalRecord, conflict: ConflictRecord) -> dict[str, Any]:
    """The fact that proposed the value: the event itself, or, for a conflict re-raised by a
    stale acceptance, the fact that acceptance carried."""
    if proposal.source == STEWARD and proposal.type.endswith(ACCEPTED_SUFFIX):
        return {
            "proposed_by": proposal.data["proposed_by"],
            "proposed_event": proposal.data["proposed_event"],
            "proposed_type": proposal.data["proposed_type"],
        }
    return {
        "proposed_by": conflict.proposed_by,
        "proposed_event": proposal.event_id,
        "proposed_type": proposal.type,
    }
