"""Which adapter maps a system's webhook payloads, by the system's kind."""

from __future__ import annotations

from collections.abc import Mapping

from logisync.api.webhooks.adapters import WebhookAdapter, cloudevents_passthrough
from logisync.api.webhooks.odoo_automation import odoo_automation
from logisync.api.webhooks.warehouse_messages import tms_message, wms_message
from logisync.api.webhooks.x12 import x12_interchange

ADAPTERS: Mapping[str, WebhookAdapter] = {
    "odoo": odoo_automation,
    "x12": x12_interchange,
    "wms": wms_message,
    "tms": tms_message,
}
"""Adapters by system kind (``odoo``, later ``shopify``, ``ups``...)."""


def adapter_for(kind: str) -> WebhookAdapter:
    """The adapter for a system kind; the CloudEvents pass-through when the kind has none."""
    return ADAPTERS.get(kind, cloudevents_passthrough)
