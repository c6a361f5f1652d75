"""Odoo automation rules ("Send Webhook Notification") -> canonical events.

Odoo posts ``{"_model", "_id", "_action", <selected fields>}`` read with ``load=None`` (see
``odoo_token``). The record is mapped by the same per-model rules as the Odoo poller, and its
event id is built the same way, so the same record state posted twice is journaled once.
The action must send ``write_date`` and the fields that say whether the record is the
hub's business (``picking_type_code``, ``move_type``); deliveries without them are refused
with a sentence naming them. The poller may journal the same change again with fields the
webhook cannot carry (a customer's ``ref``): applying a fact twice changes nothing.

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
    needed = ["write_date", *(field for field, _, _ in stream.domain)]
    missing = [field for field in needed if field not in body]
    if missing:
        return _refused(
            "",
            f"select {', '.join(missing)} among the fields the Odoo action sends: without "
            "write_date a change cannot be told from a repeat, and the rest says whether the "
            "record is the hub's business (a delivery, not a receipt)",
        )
    record: dict[str, Any] = {k: v for k, v in body.items() if not k.startswith("_")}
    record["id"] = record_id
    if any(record[field] != value for field, _, value in stream.domain):
        return AdaptedDelivery()  # e.g. a receipt, not a delivery: not the hub's business
    fact = stream.fact(record, {})
    if fact is None:
        return AdaptedDelivery()  # nothing the hub can key yet (an invoice without number)
    return AdaptedDelivery(events=[change_event(delivery.system, stream, record, fact)])


def _refused(pointer: str, message: str) -> AdaptedDelivery:
    return AdaptedDelivery(problems=[Problem(pointer, message)])
