"""The signing side of Standard Webhooks (standardwebhooks.com), for the hub's own webhooks.

``webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`` with the secret
decoded as the specification says (``whsec_`` + base64); ``api.webhooks.standard_webhooks``
verifies exactly this, and the tests check one against the other.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

PREFIX = "whsec_"


def signing_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_...`` secret (the prefix is optional)."""
    try:
        return base64.b64decode(secret.removeprefix(PREFIX), validate=True)
    except binascii.Error:
        raise ValueError("a Standard Webhooks secret is base64 after an optional whsec_") from None


def signed_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three ``webhook-*`` headers for ``body``."""
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), content, hashlib.sha256).digest()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }
