"""Which adapter maps a system's webhook payloads, by the system's kind."""

from __future__ import annotations

from collections.abc import Mapping

from logisync.api.webhooks.adapters import WebhookAdapter, cloudevents_passthrough
from logisync.api.webhooks.edifact_interchange import edifact_webhook
from logisync.api.webhooks.odoo_automation import odoo_automation

ADAPTERS: Mapping[str, WebhookAdapter] = {"odoo": odoo_automation, "edifact": edifact_webhook}
"""Adapters by system kind (``odoo``, later ``shopify``, ``ups``...)."""


def adapter_for(kind: str) -> WebhookAdapter:
    """The adapter for a system kind; the CloudEvents pass-through when the kind has none."""
    return ADAPTERS.get(kind, cloudevents_passthrough)
