"""JSON Schema (draft 2020-12) of every event type: the envelope with its payload in ``data``.

Senders validate against these before they post, and ``logisync schema`` prints them. Each
event type's schema is a self-contained resource (its own ``$id`` and ``$defs``), so it can be
cut out of the bundle and used alone. They are derived from the same pydantic models that
``parse_event`` uses, so their shape cannot drift from what the hub accepts. They are a first
check, not the last word: JSON Schema cannot express check digits, code lists or "a decimal in
a string", so ``parse_event`` still refuses some events that pass; and where ``parse_event``
coerces (an integer GTIN), the schema asks for the canonical form a sender should send.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from logisync.model.catalogue import EVENT_TYPES, EventType
from logisync.model.entities import Entity
from logisync.model.envelope import Event

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID_PREFIX = "urn:logisync:event-type:"
_ANY_KEY = r"[^\s]+"

JsonSchema = dict[str, Any]


def _inner(pattern: str | None) -> str:
    """A field's anchored pattern without its anchors, to splice into the subject pattern."""
    if pattern is None:
        return _ANY_KEY
    return pattern.removeprefix("^").removesuffix("$")


def _field_pattern(entity: type[Entity], name: str) -> str | None:
    prop = entity.model_json_schema(mode="validation")["properties"].get(name, {})
    pattern = prop.get("pattern")
    return pattern if isinstance(pattern, str) else None


def subject_pattern(entity: type[Entity]) -> str:
    """The pattern of an entity key ``<domain>:<business key>`` for ``entity``'s domain."""
    # A key made of several fields joins them with "/" (a stock level is ``<location>/<sku>``).
    key = "/".join(_inner(_field_pattern(entity, name)) for name in entity.identity())
    return f"^{re.escape(entity.domain)}:{key}$"


def _hoist_defs(target: JsonSchema, defs: dict[str, Any]) -> None:
    """Move ``defs`` into ``target["$defs"]``; a clash of two different definitions is a bug."""
    merged: dict[str, Any] = target.setdefault("$defs", {})
    for name, definition in defs.items():
        if name in merged and merged[name] != definition:
            raise ValueError(f"two different schemas are both named {name!r}")
        merged[name] = definition


def event_type_schema(fact: EventType) -> JsonSchema:
    """The schema of one event type: the envelope with ``type``, ``subject`` and ``data`` fixed."""
    # Deep copies: the edits below must never reach a schema pydantic might hand out again.
    schema: JsonSchema = copy.deepcopy(Event.model_json_schema(mode="validation"))
    envelope_defs: dict[str, Any] = schema.pop("$defs", {})
    data: JsonSchema = copy.deepcopy(fact.payload.model_json_schema(mode="validation"))
    payload_defs: dict[str, Any] = data.pop("$defs", {})
    properties: dict[str, Any] = schema["properties"]
    properties["type"] = {"const": fact.name, "title": "Type", "type": "string"}
    subject = dict(properties["subject"])
    subject["pattern"] = subject_pattern(fact.entity)
    properties["subject"] = subject
    # parse_event stores an integer sequence number as text, so a sender may send either.
    properties["sourceversion"]["anyOf"].insert(1, {"type": "integer"})
    properties["data"] = data
    _hoist_defs(schema, envelope_defs)
    _hoist_defs(schema, payload_defs)
    if not schema["$defs"]:
        del schema["$defs"]
    schema.update(
        {
            "$schema": DRAFT_2020_12,
            "$id": SCHEMA_ID_PREFIX + fact.name,
            "title": fact.name,
            "description": fact.description,
        }
    )
    return schema


def export_schemas() -> dict[str, Any]:
    """Every event type's schema, by name, under one document."""
    return {
        "$schema": DRAFT_2020_12,
        "title": "logisync event types",
        "event_types": {name: event_type_schema(EVENT_TYPES[name]) for name in sorted(EVENT_TYPES)},
    }


def export_schemas_json() -> str:
    """``export_schemas`` as JSON text with sorted keys, byte-for-byte stable between runs."""
    return json.dumps(export_schemas(), indent=2, sort_keys=True, ensure_ascii=False)


__all__ = ["event_type_schema", "export_schemas", "export_schemas_json", "subject_pattern"]
