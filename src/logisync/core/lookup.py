"""Find a business transaction from whatever number an operator has in hand.

A customer quotes an order number, a carrier a tracking number, the warehouse its own
shipment id, a log line a correlation id: each names the same transaction differently. This
resolves any of them to the entities and transactions the hub knows, through the entity keys,
the crosswalk (every system's ids) and the journal's correlation ids, so that the CLI's
``trace`` and the dashboard's search answer the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from logisync.core.ports import Store
from logisync.model.entities import ENTITY_TYPES
from logisync.model.identifiers import tracking_key

MAX_MATCHES = 50
"""More matches than this means the text is too vague to be one transaction's."""


@dataclass(frozen=True)
class Found:
    """What a text names: entities (by key) and business transactions (by correlation id).

    ``correlation_ids`` holds the text itself when it is one, then the transactions of the
    entities found, in the order their events arrived."""

    query: str
    entity_keys: tuple[str, ...]
    correlation_ids: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.entity_keys and not self.correlation_ids


def find(store: Store, text: str) -> Found:
    """Resolve ``text`` as an entity key, a business key of any domain, any system's external
    id (a tracking number also as carriers compare it) and a correlation id."""
    query = text.strip()
    if not query:
        return Found(text, (), ())
    keys: dict[str, None] = {}
    domain, _, rest = query.partition(":")
    if rest and domain in ENTITY_TYPES and store.get_projection(query) is not None:
        keys[query] = None
    for candidate in dict.fromkeys((query, tracking_key(query))):
        for name in ENTITY_TYPES:
            key = f"{name}:{candidate}"
            if store.get_projection(key) is not None:
                keys[key] = None
        for link in store.known_as(candidate, limit=MAX_MATCHES):
            keys[link.entity_key] = None
    correlations: dict[str, None] = {}
    correlated = store.events_for_correlation(query)
    if correlated:
        correlations[query] = None
        for record in correlated:
            keys.setdefault(record.subject, None)
    for key in list(keys)[:MAX_MATCHES]:
        for record in store.events_for(key):
            if record.correlationid:
                correlations.setdefault(record.correlationid, None)
    return Found(query, tuple(keys)[:MAX_MATCHES], tuple(correlations)[:MAX_MATCHES])
