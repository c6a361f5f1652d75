"""Which adapter maps a system's webhook payloads, by the system's kind.

Adapters are named by import path and imported on first use: a connector's adapter imports
this package's types, and most hubs use two or three kinds of the many known.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import import_module

from logisync.api.webhooks.adapters import WebhookAdapter, cloudevents_passthrough

ADAPTERS: Mapping[str, str] = {
    "odoo": "logisync.api.webhooks.odoo_automation:odoo_automation",
    "x12": "logisync.api.webhooks.x12:x12_interchange",
    "shopify": "logisync.connectors.shopify.webhooks:shopify_webhook",
    "ups": "logisync.api.webhooks.carrier_tracking:ups_tracking",
    "fedex": "logisync.api.webhooks.carrier_tracking:fedex_tracking",
    "dhl": "logisync.api.webhooks.carrier_tracking:dhl_tracking",
    "usps": "logisync.api.webhooks.carrier_tracking:usps_tracking",
    "edifact": "logisync.api.webhooks.edifact_interchange:edifact_webhook",
    "wms": "logisync.api.webhooks.warehouse_messages:wms_message",
    "tms": "logisync.api.webhooks.warehouse_messages:tms_message",
}
"""Adapters by system kind, as ``module:function``."""


@cache
def adapter_for(kind: str) -> WebhookAdapter:
    """The adapter for a system kind; the CloudEvents pass-through when the kind has none."""
    path = ADAPTERS.get(kind)
    if path is None:
        return cloudevents_passthrough
    module, _, name = path.partition(":")
    adapter: WebhookAdapter = getattr(import_module(module), name)
    return adapter
