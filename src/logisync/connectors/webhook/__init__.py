"""Deliver to any HTTP endpoint that accepts a JSON batch and upserts by idempotency key."""

from logisync.connectors.webhook.connector import WebhookTarget

__all__ = ["WebhookTarget"]
