"""Odoo automation rules ("Send Webhook Notification") -> canonical events.

Odoo posts ``{"_model", "_id", "_action", <selected fields>}`` read with ``load=None`` (see
``odoo_token``). The record is mapped by the same per-model rules as the Odoo poller, and its
event id is built the same way, so a change that reaches the hub both by webhook and by the
next poll is journaled once. Select ``write_date`` among the action's fields: without it two
changes with the same content cannot be told apart from a repeat, which is what they are.

Many2one values arrive as bare ids, so fields the poller fills by looking up another record
(the customer's ``ref`` on an order or invoice) are left out here; the poll brings them.
Other systems' CloudEvents posted to an Odoo system's URL still pass through as they are.
"""

from __future__ import annotations

from typing import Any

import orjson

from logisync.api.webhooks.adapters import (
    EVENT_BATCH,
    SINGLE_EVENT,
    AdaptedDelivery,
    cloudevents_passthrough,
)
from logisync.api.webhooks.verdict import VerifiedDelivery
from logisync.connectors.odoo.changes import STREAM_OF_MODEL, change_event
from logisync.errors import Problem


def odoo_automation(delivery: VerifiedDelivery) -> AdaptedDelivery:
    media_type = delivery.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type in (SINGLE_EVENT, EVENT_BATCH):
        return cloudevents_passthrough(delivery)
    try:
        body = orjson.loads(delivery.body)
    except orjson.JSONDecodeError as error:
        return _refused("", f"the body is not JSON: {error}")
    if not isinstance(body, dict):
        return _refused("", "an Odoo webhook body is one JSON object")
    model, record_id = body.get("_model"), body.get("_id")
    if not isinstance(model, str) or not isinstance(record_id, int):
        return _refused(
            "/_model", "not an Odoo automation webhook: _model and _id (an integer) are missing"
        )
    stream = STREAM_OF_MODEL.get(model)
    if stream is None:
        known = ", ".join(sorted(STREAM_OF_MODEL))
        return _refused("/_model", f"the hub does not map {model!r} (it maps {known})")
    record: dict[str, Any] = {k: v for k, v in body.items() if not k.startswith("_")}
    record["id"] = record_id
    if any(record.get(field, value) != value for field, _, value in stream.domain):
        return AdaptedDelivery()  # e.g. a receipt, not a delivery: not the hub's business
    fact = stream.fact(record, {})
    if fact is None:
        return AdaptedDelivery()  # nothing the hub can key yet (an invoice without number)
    return AdaptedDelivery(events=[change_event(delivery.system, stream, record, fact)])


def _refused(pointer: str, message: str) -> AdaptedDelivery:
    return AdaptedDelivery(problems=[Problem(pointer, message)])
