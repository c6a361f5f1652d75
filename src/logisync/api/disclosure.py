"""What a reader may see of personal data: all of it with ``pii:read``, masks otherwise.

Every read route passes its values through one ``Disclosure``, so that no route can forget a
place where personal data sits: event ``data`` (by the event type's payload model), projection
state and history (by the entity's model), conflict values (by the field they propose). Which
fields are personal is marked in the model itself (``logisync.model.pii``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from logisync.core.keys import ADMIN, PII, ApiKey
from logisync.model.catalogue import entity_pii, payload_pii
from logisync.model.pii import MASK, PiiTree, masked, masked_field


@dataclass(frozen=True)
class Disclosure:
    reveal: bool

    @classmethod
    def for_key(cls, key: ApiKey) -> Disclosure:
        return cls(reveal=bool({PII, ADMIN} & key.scopes))

    def event_data(self, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
        if self.reveal:
            return data
        result: dict[str, Any] = _masked(data, payload_pii(event_type))
        return result

    def state(self, entity_key: str, state: dict[str, Any]) -> dict[str, Any]:
        if self.reveal:
            return state
        result: dict[str, Any] = _masked(state, entity_pii(_domain(entity_key)))
        return result

    def field_value(self, entity_key: str, field: str, value: Any) -> Any:
        if self.reveal:
            return value
        tree = entity_pii(_domain(entity_key))
        return _masked(value, None) if tree is None else masked_field(value, field, tree)

    def processing_detail(self, entity_key: str, detail: dict[str, Any]) -> dict[str, Any]:
        """A processed event's detail: ``changed`` holds the new values of the entity."""
        if self.reveal or "changed" not in detail:
            return detail
        return {**detail, "changed": self.state(entity_key, detail["changed"])}


def _domain(entity_key: str) -> str:
    return entity_key.split(":", 1)[0]


def _masked(value: Any, tree: PiiTree | None) -> Any:
    """``tree`` None: a shape the model does not know, so every value in it is masked."""
    if tree is not None:
        return masked(value, tree)
    if isinstance(value, dict):
        return {name: _masked(item, None) for name, item in value.items()}
    if isinstance(value, list):
        return [_masked(item, None) for item in value]
    return None if value is None else MASK
