"""Which targets a processed fact goes to, as deliveries written with the processing marker."""

from __future__ import annotations

from logisync.core.ports import JournalRecord, NewDelivery, Projection
from logisync.core.rules import Flow, Rules
from logisync.core.sequencing import Decision
from logisync.model.stewardship import STEWARD, is_acceptance


class Routing:
    """Collects the deliveries of one entity's batch of facts.

    A fact that changed nothing (stale, refused, a repeat of the current value) is sent nowhere:
    targets hear about changes, never about the hub's bookkeeping. Event-mode flows get one
    delivery per fact; state-mode flows get one per target carrying the latest version, with
    the number of earlier changes it absorbed.
    """

    def __init__(self, rules: Rules, now: str) -> None:
        self._rules = rules
        self._now = now
        self._events: list[NewDelivery] = []
        # target -> (flow, fact, entity version, priority, changes absorbed); built at the end
        self._states: dict[str, tuple[Flow, JournalRecord, int, int, int]] = {}
        self._entity_key = ""

    def add(self, record: JournalRecord, decision: Decision, projection: Projection) -> None:
        if not decision.applied:
            return
        self._entity_key = projection.entity_key
        for flow in self._rules.flows_for(*routed_as(record)):
            if flow.mode == "event":
                self._events.append(
                    self._delivery(flow, record, projection.version, int(flow.priority), 0)
                )
                continue
            earlier = self._states.get(flow.to)
            if earlier is None:
                self._states[flow.to] = (flow, record, projection.version, int(flow.priority), 0)
            else:  # coalesce: the latest version, the most urgent priority
                priority = min(earlier[3], int(flow.priority))
                self._states[flow.to] = (flow, record, projection.version, priority, earlier[4] + 1)

    def deliveries(self) -> list[NewDelivery]:
        return self._events + [
            self._delivery(flow, record, version, priority, absorbed)
            for flow, record, version, priority, absorbed in self._states.values()
        ]

    def _delivery(
        self, flow: Flow, record: JournalRecord, version: int, priority: int, absorbed: int
    ) -> NewDelivery:
        return NewDelivery(
            target=flow.to,
            flow=flow.name,
            mode=flow.mode,
            priority=priority,
            entity_key=self._entity_key,
            entity_version=version,
            event_seq=record.seq,
            event_id=record.event_id,
            correlationid=record.correlationid,
            created_at=self._now,
            absorbed=absorbed,
        )


def routed_as(record: JournalRecord) -> tuple[str, str]:
    """The event type and source that choose a fact's flows (see ``Routing``)."""
    if record.source == STEWARD and is_acceptance(record.type):
        return str(record.data["proposed_type"]), str(record.data["proposed_by"])
    return record.type, record.source
