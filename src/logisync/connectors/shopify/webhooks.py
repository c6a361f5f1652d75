"""Shopify webhook deliveries -> canonical event drafts, by ``X-Shopify-Topic``.

==================  =====================================================================
Topic               Events
==================  =====================================================================
orders/create       ``partner.created``/``partner.changed`` (the customer, if an account)
                    then ``sales_order.placed``
orders/updated      ``partner.changed`` then ``sales_order.changed``
orders/paid         the same as orders/updated (the body is the whole order)
orders/edited       ``sales_order.changed`` when the body is a whole order; Shopify's
                    ``order_edit`` summary (added/removed lines only) is acknowledged without
                    events, as the orders/updated Shopify sends with it carries the new state
orders/cancelled    ``sales_order.cancelled`` (with ``cancelled_at`` and ``cancel_reason``)
refunds/create      ``return.requested`` then ``return.refunded`` (see ``refunds``)
==================  =====================================================================

Topics that echo what the hub itself wrote (fulfilments) or that the hub does not map
(``orders/delete``) are acknowledged without events, so Shopify stops retrying them; any
other topic is a problem naming the topics the hub maps.

Ordering: every event carries the record's ``updated_at`` as ``sourceversion``, so an older
``orders/updated`` that arrives after a newer one is superseded by the processor. Event ids are
made from what the event says (topic, Shopify id, ``updated_at``), not from the delivery: the
same state re-sent under a new webhook id, or by the reconciliation poll, is journaled once.
CloudEvents posted to a Shopify system's URL pass through as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from logisync.api.webhooks.adapters import (
    EVENT_BATCH,
    SINGLE_EVENT,
    AdaptedDelivery,
    cloudevents_passthrough,
)
from logisync.api.webhooks.verdict import VerifiedDelivery
from logisync.connectors.shopify.orders import order_name_of, partner_data, sales_order_data
from logisync.connectors.shopify.reading import BodyReader
from logisync.connectors.shopify.refunds import refunded_at, return_data
from logisync.errors import Problem

TOPIC_HEADER = "x-shopify-topic"
ACKNOWLEDGED_TOPICS = frozenset(
    {
        "orders/fulfilled",
        "orders/partially_fulfilled",
        "orders/delete",
        "fulfillments/create",
        "fulfillments/update",
    }
)

Draft = dict[str, Any]


def shopify_webhook(delivery: VerifiedDelivery) -> AdaptedDelivery:
    """The ``WebhookAdapter`` for systems of kind ``shopify``."""
    media_type = delivery.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type in (SINGLE_EVENT, EVENT_BATCH):
        return cloudevents_passthrough(delivery)
    topic = delivery.headers.get(TOPIC_HEADER, "").strip()
    mapper = _MAPPERS.get(topic)
    if mapper is None:
        if topic in ACKNOWLEDGED_TOPICS:
            return AdaptedDelivery()
        said = f"the topic {topic!r}" if topic else "a delivery without X-Shopify-Topic"
        return _refused(
            "",
            f"the hub does not map {said}; it maps {', '.join(sorted(_MAPPERS))} "
            f"(and acknowledges {', '.join(sorted(ACKNOWLEDGED_TOPICS))})",
        )
    try:
        body = orjson.loads(delivery.body)
    except orjson.JSONDecodeError as error:
        return _refused("", f"the body is not JSON: {error}")
    if not isinstance(body, dict):
        return _refused("", f"a Shopify {topic} body is one JSON object")
    read = BodyReader()
    events = mapper(delivery.system, topic, body, read)
    if read.problems:
        return AdaptedDelivery(problems=read.problems)
    received = delivery.received_at.isoformat()
    return AdaptedDelivery(events=[{**e, "time": e["time"] or received} for e in events])


def _order_events(system: str, topic: str, body: dict[str, Any], read: BodyReader) -> list[Draft]:
    if topic == "orders/edited" and "order_edit" in body:
        return []
    version = read.text(body, "updated_at", "", required=True)
    order = sales_order_data(system, body, read)
    customer = partner_data(system, body, read)
    if order is None or version is None:
        return []
    events = []
    if customer is not None:
        events.append(_customer_event(system, topic, body, customer, version))
    kind = "sales_order.placed" if topic == "orders/create" else "sales_order.changed"
    order_id = order.get("external_ids", {}).get(system, order["number"])
    events.append(_draft(kind, order, system, f"{topic}:{order_id}:{version}", version))
    return events


def _customer_event(
    system: str, topic: str, body: dict[str, Any], customer: dict[str, Any], order_version: str
) -> Draft:
    account = body["customer"]
    version = account.get("updated_at") if isinstance(account.get("updated_at"), str) else None
    version = version or order_version
    created = account.get("created_at")
    first_seen = topic == "orders/create" and created == version
    kind = "partner.created" if first_seen else "partner.changed"
    customer_id = customer["external_ids"][system]
    return _draft(kind, customer, system, f"customer:{customer_id}:{version}", version)


def _cancelled(system: str, topic: str, body: dict[str, Any], read: BodyReader) -> list[Draft]:
    number = order_name_of(body, read)
    order_id = read.ident(body, "id", "", required=True)
    at = read.text(body, "cancelled_at", "")
    version = read.text(body, "updated_at", "") or at
    reason = read.text(body, "cancel_reason", "")
    if number is None or order_id is None:
        return []
    data: dict[str, Any] = {"number": number}
    if at is not None:
        data["at"] = at
    if reason is not None:
        data["reason"] = reason
    event_id = f"{topic}:{order_id}:{version or 'unversioned'}"
    return [_draft("sales_order.cancelled", data, system, event_id, version)]


def _refund(system: str, topic: str, body: dict[str, Any], read: BodyReader) -> list[Draft]:
    data = return_data(system, body, read)
    if data is None:
        return []
    version = read.text(body, "created_at", "")
    refund_id = data["external_ids"][system]
    refunded: dict[str, Any] = {"number": data["number"]}
    at = refunded_at(body)
    if at is not None:
        refunded["at"] = at
    return [
        _draft("return.requested", data, system, f"{topic}:{refund_id}:requested", version),
        _draft("return.refunded", refunded, system, f"{topic}:{refund_id}:refunded", version),
    ]


def _draft(
    kind: str, data: dict[str, Any], system: str, event_id: str, version: str | None
) -> Draft:
    domain = kind.split(".", 1)[0]
    key = data["ref"] if domain == "partner" else data["number"]
    draft: Draft = {
        "specversion": "1.0",
        "id": event_id,
        "source": system,
        "type": kind,
        "subject": f"{domain}:{key}",
        "time": version or data.get("at") or data.get("requested_at") or "",
        "data": data,
    }
    if version is not None:
        draft["sourceversion"] = version
    return draft


def _refused(pointer: str, message: str) -> AdaptedDelivery:
    return AdaptedDelivery(problems=[Problem(pointer, message)])


_MAPPERS: dict[str, Callable[[str, str, dict[str, Any], BodyReader], list[Draft]]] = {
    "orders/create": _order_events,
    "orders/updated": _order_events,
    "orders/paid": _order_events,
    "orders/edited": _order_events,
    "orders/cancelled": _cancelled,
    "refunds/create": _refund,
}
