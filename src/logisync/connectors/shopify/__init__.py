"""Shopify: orders, customers and refunds in through webhooks; fulfilments out over GraphQL.

``shopify_webhook`` is the webhook adapter for systems of kind ``shopify`` (see
``webhooks``); ``ShopifyTarget`` pushes a dispatched shipment back to the shop as a
fulfilment with tracking (see ``target``).
"""

from logisync.connectors.shopify.webhooks import shopify_webhook

__all__ = ["shopify_webhook"]
