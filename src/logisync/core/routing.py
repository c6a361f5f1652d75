"""Which targets a processed fact goes to, as deliveries written with the processing marker."""

from __future__ import annotations

from logisync.core.ports import JournalRecord, NewDelivery, Projection
from logisync.core.rules import Rules
from logisync.core.sequencing import Decision


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
        self._states: dict[str, tuple[NewDelivery, int]] = {}

    def add(self, record: JournalRecord, decision: Decision, projection: Projection) -> None:
        if not decision.applied:
            return
        for flow in self._rules.flows_for(record.type, record.source):
            delivery = NewDelivery(
                target=flow.to,
                flow=flow.name,
                mode=flow.mode,
                priority=int(flow.priority),
                entity_key=projection.entity_key,
                entity_version=projection.version,
                event_seq=record.seq,
                event_id=record.event_id,
                correlationid=record.correlationid,
                created_at=self._now,
            )
            if flow.mode == "event":
                self._events.append(delivery)
            else:
                earlier = self._states.get(flow.to)
                if earlier is not None and earlier[0].priority < delivery.priority:
                    delivery = delivery._replace(priority=earlier[0].priority)  # most urgent wins
                self._states[flow.to] = (delivery, -1 if earlier is None else earlier[1] + 1)

    def deliveries(self) -> list[NewDelivery]:
        states = [
            delivery if absorbed < 0 else _absorbing(delivery, absorbed + 1)
            for delivery, absorbed in self._states.values()
        ]
        return self._events + states


def _absorbing(delivery: NewDelivery, absorbed: int) -> NewDelivery:
    return delivery._replace(absorbed=absorbed)
