"""Shopify: orders, customers and refunds in through webhooks; fulfilments out over GraphQL.

``shopify_webhook`` is the webhook adapter for systems of kind ``shopify`` (see
``webhooks``); ``ShopifyTarget`` pushes a dispatched shipment back to the shop as a
fulfilment with tracking (see ``target``).
"""

from __future__ import annotations

from logisync.config import SystemConfig
from logisync.config.secret_refs import resolve_secret
from logisync.connectors.shopify.graphql import ShopifyCallFailed, ShopifyGraphql
from logisync.connectors.shopify.settings import (
    ShopifySettings,
    access_token_ref,
    api_version,
    own_keys,
    settings_issues,
)
from logisync.connectors.shopify.target import ShopifyTarget
from logisync.connectors.shopify.webhooks import shopify_webhook
from logisync.errors import InvalidConfig, Problem


def shopify_target(name: str, system: SystemConfig) -> ShopifyTarget:
    """The fulfilment connector for ``system``; ``InvalidConfig`` names each mistake."""
    issues = settings_issues(name, system)
    if issues:
        raise InvalidConfig([Problem(".".join(map(str, loc)), text) for loc, text in issues])
    settings = ShopifySettings.model_validate(own_keys(system))
    graphql = ShopifyGraphql(
        str(system.url),
        api_version(system),
        resolve_secret(str(access_token_ref(system))),
        timeout_seconds=settings.timeout_seconds,
    )
    return ShopifyTarget(
        graphql, notify_customer=settings.notify_customer, max_batch=settings.batch
    )


__all__ = [
    "ShopifyCallFailed",
    "ShopifyGraphql",
    "ShopifyTarget",
    "settings_issues",
    "shopify_target",
    "shopify_webhook",
]
