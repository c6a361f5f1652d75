"""The hub's HTTP front door: event intake, provider webhooks, keys, read API, operations."""
