"""Which targets a processed fact goes to, as deliveries written with the processing marker."""

from __future__ import annotations

from dataclasses import replace

from logisync.core.ports import JournalRecord, NewDelivery, Projection
from logisync.core.rules import Rules
from logisync.core.sequencing import Decision


def route(
    record: JournalRecord, decision: Decision, projection: Projection, rules: Rules, now: str
) -> list[NewDelivery]:
    """One delivery per matching flow, for facts that changed the entity.

    A fact that changed nothing (stale, refused, a repeat of the current value) is not sent
    anywhere: targets hear about changes, never about the hub's bookkeeping.
    """
    if not decision.applied:
        return []
    return [
        NewDelivery(
            target=flow.to,
            flow=flow.name,
            mode=flow.mode,
            priority=int(flow.priority),
            entity_key=projection.entity_key,
            entity_version=projection.version,
            event_seq=record.seq,
            event_id=record.event_id,
            correlationid=record.correlationid,
            created_at=now,
        )
        for flow in rules.flows_for(record.type, record.source)
    ]


def coalesce(deliveries: list[NewDelivery]) -> list[NewDelivery]:
    """Keep only the latest state-mode delivery per target and entity; keep every event one."""
    latest: dict[tuple[str, str], NewDelivery] = {}
    events: list[NewDelivery] = []
    for delivery in deliveries:
        if delivery.mode == "state":
            key = (delivery.target, delivery.entity_key)
            earlier = latest.get(key)
            if earlier is not None:
                delivery = replace(delivery, absorbed=earlier.absorbed + 1)  # noqa: PLW2901
            latest[key] = delivery
        else:
            events.append(delivery)
    return events + list(latest.values())
