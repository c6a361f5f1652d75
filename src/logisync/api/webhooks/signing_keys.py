"""Secrets as HMAC keys, and the one comparison every scheme uses.

A system may hold several secrets at once (the old and the new one while a provider rotates),
so verifiers work with a tuple of keys and accept a signature that any of them produced.
Comparisons run in constant time over the raw digest bytes (``hmac.compare_digest``), so the
time an answer takes says nothing about how much of a guessed signature was right.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Sequence
from typing import Literal

from logisync.api.webhooks.delivery_headers import DeliveryHeaders

STANDARD_WEBHOOKS_PREFIX = "whsec_"
DigestEncoding = Literal["hex", "base64"]
_DIGEST_BYTES = 32
_HEX_DIGEST = re.compile(r"^[0-9a-fA-F]{64}$")

SecretEncoding = Literal["base64", "raw"]
"""How a Standard Webhooks secret string becomes key bytes: ``base64`` (the standard's form, and
what the reference library does with any string) decodes what follows an optional ``whsec_``
prefix; ``raw`` takes the string's UTF-8 bytes as they are, for senders that sign with text."""


def standard_webhooks_key(secret: str | bytes, encoding: SecretEncoding = "base64") -> bytes:
    """The HMAC key for a Standard Webhooks secret; raise ``ValueError`` saying what is wrong.

    Bytes are taken as the key itself. Missing base64 padding is tolerated, since providers
    often print secrets without it; anything else that is not base64 is refused here, at
    start-up, rather than silently becoming a different key that matches nothing.
    """
    if isinstance(secret, bytes):
        return _non_empty(secret)
    if encoding == "raw":
        return _non_empty(secret.encode())
    text = secret.removeprefix(STANDARD_WEBHOOKS_PREFIX)
    try:
        key = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(
            "the secret is not base64 (after an optional whsec_ prefix); if the sender signs "
            "with the text itself, set secret_encoding: raw"
        ) from None
    return _non_empty(key)


def plain_key(secret: str | bytes) -> bytes:
    """The HMAC key for schemes that use the secret's text as it is (Shopify, generic HMAC)."""
    return _non_empty(secret if isinstance(secret, bytes) else secret.encode())


def plain_keys(secrets: Sequence[str | bytes]) -> tuple[bytes, ...]:
    return tuple(plain_key(secret) for secret in _some(secrets))


def standard_webhooks_keys(
    secrets: Sequence[str | bytes], encoding: SecretEncoding = "base64"
) -> tuple[bytes, ...]:
    return tuple(standard_webhooks_key(secret, encoding) for secret in _some(secrets))


def hmac_sha256(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def any_key_signed(keys: Sequence[bytes], message: bytes, offered: Sequence[bytes]) -> bool:
    """True when one of ``offered`` is the HMAC-SHA256 of ``message`` under one of ``keys``."""
    for key in keys:
        expected = hmac_sha256(key, message)
        for digest in offered:
            if hmac.compare_digest(expected, digest):
                return True
    return False


def offered_digest(
    read: DeliveryHeaders, where: str, text: str, encoding: DigestEncoding = "base64"
) -> bytes:
    """The digest bytes a signature header offers; refuse unless it is a 32-byte digest in
    ``encoding``. ``where`` names the place in the sentence (``the header X-Signature``)."""
    digest = b""
    if encoding == "hex" and _HEX_DIGEST.match(text):
        digest = bytes.fromhex(text)
    elif encoding == "base64":
        try:
            digest = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            digest = b""
    if len(digest) != _DIGEST_BYTES:
        raise read.refused(
            "malformed_header", f"{where} is not a {encoding} HMAC-SHA256 digest (32 bytes)"
        )
    return digest


def _some(secrets: Sequence[str | bytes]) -> Sequence[str | bytes]:
    if not secrets:
        raise ValueError("give at least one secret")
    return secrets


def _non_empty(key: bytes) -> bytes:
    if not key:
        raise ValueError("the secret is empty")
    return key
