"""The canonical model: envelope, entities, identifiers and event types. No I/O here."""

from logisync.model.catalogue import EVENT_TYPES, EventType, StatusChange, entity_fields
from logisync.model.entities import ENTITY_TYPES, Entity
from logisync.model.envelope import Event, new_event, parse_event
from logisync.model.lifecycle import LIFECYCLES, Lifecycle

__all__ = [
    "ENTITY_TYPES",
    "EVENT_TYPES",
    "LIFECYCLES",
    "Entity",
    "Event",
    "EventType",
    "Lifecycle",
    "StatusChange",
    "entity_fields",
    "new_event",
    "parse_event",
]
