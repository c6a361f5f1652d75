"""Which adapter maps a system's webhook payloads, by the system's kind."""

from __future__ import annotations

from collections.abc import Mapping

from logisync.api.webhooks.adapters import AdaptedDelivery, WebhookAdapter, cloudevents_passthrough
from logisync.api.webhooks.odoo_automation import odoo_automation
from logisync.api.webhooks.verdict import VerifiedDelivery


def _shopify(delivery: VerifiedDelivery) -> AdaptedDelivery:
    # imported when called: the Shopify connector imports this package's adapter types
    from logisync.connectors.shopify.webhooks import shopify_webhook

    return shopify_webhook(delivery)


ADAPTERS: Mapping[str, WebhookAdapter] = {"odoo": odoo_automation, "shopify": _shopify}
"""Adapters by system kind (``odoo``, later ``shopify``, ``ups``...)."""


def adapter_for(kind: str) -> WebhookAdapter:
    """The adapter for a system kind; the CloudEvents pass-through when the kind has none."""
    return ADAPTERS.get(kind, cloudevents_passthrough)
