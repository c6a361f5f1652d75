"""Provider webhooks: prove a delivery came from its system, then map it to event drafts.

No web framework here: the route ``POST /v1/webhooks/{system}`` is a thin caller::

    verifier = verifier_for(name, system.settings["verify"], resolve_secret, seen_deliveries=seen)
    try:
        delivery = verifier.verify(request.headers, await request.body(), clock.now(),
                                   request.query_params)
    except WebhookRefused as refusal:
        ...  # answer refusal.status with refusal.reason (problem details)
    if delivery.outcome == "duplicate":
        ...  # answer 200: already received at delivery.first_seen_at; process nothing
    adapted = adapter_for(system.kind)(delivery)
    ...  # append adapted.events, or answer 422 with adapted.problems

Schemes: ``standard_webhooks``, ``shopify``, ``hmac_sha256`` and ``odoo_token``; see each
module for what the provider sends and what the scheme can and cannot prove.
"""

from logisync.api.webhooks.adapters import (
    AdaptedDelivery,
    WebhookAdapter,
    cloudevents_passthrough,
)
from logisync.api.webhooks.api_key_header import ApiKeyHeaderVerifier
from logisync.api.webhooks.by_kind import ADAPTERS, adapter_for
from logisync.api.webhooks.hmac_signature import HmacSignatureVerifier
from logisync.api.webhooks.odoo_token import OdooTokenVerifier
from logisync.api.webhooks.seen_deliveries import InMemorySeenDeliveries, SeenDeliveries, Sighting
from logisync.api.webhooks.settings import SCHEMES, parse_verify_settings, verifier_for
from logisync.api.webhooks.shopify import ShopifyVerifier
from logisync.api.webhooks.standard_webhooks import StandardWebhooksVerifier
from logisync.api.webhooks.verdict import VerifiedDelivery, Verifier, WebhookRefused

__all__ = [
    "ADAPTERS",
    "SCHEMES",
    "AdaptedDelivery",
    "ApiKeyHeaderVerifier",
    "HmacSignatureVerifier",
    "InMemorySeenDeliveries",
    "OdooTokenVerifier",
    "SeenDeliveries",
    "ShopifyVerifier",
    "Sighting",
    "StandardWebhooksVerifier",
    "VerifiedDelivery",
    "Verifier",
    "WebhookAdapter",
    "WebhookRefused",
    "adapter_for",
    "cloudevents_passthrough",
    "parse_verify_settings",
    "verifier_for",
]
