"""Shopify webhooks: an HMAC of the body alone, and a delivery id to recognise retries.

``X-Shopify-Hmac-Sha256`` is the base64 HMAC-SHA256 of the raw body under the app's client
secret. During a secret rotation Shopify may take up to an hour to switch, so both secrets are
configured meanwhile. ``X-Shopify-Webhook-Id`` is the same on every retry of one delivery (up
to 8 retries over 4 hours, same payload): the id memory answers those as duplicates.

What this scheme cannot do: neither the id nor ``X-Shopify-Triggered-At`` is signed, so they
recognise Shopify's own retries, not an attacker who replays a captured body under a fresh id.
The optional staleness check (``max_age``) therefore bounds how late a retry may still be
taken, and is no defence against replay; set it above 4 hours to keep Shopify's retries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from logisync.api.webhooks.delivery_headers import DeliveryHeaders, check_within_tolerance
from logisync.api.webhooks.scheme import Authenticated, SchemeVerifier
from logisync.api.webhooks.seen_deliveries import SeenDeliveries
from logisync.api.webhooks.signing_keys import any_key_signed, offered_digest, plain_keys

SIGNATURE_HEADER = "X-Shopify-Hmac-Sha256"
DELIVERY_ID_HEADER = "X-Shopify-Webhook-Id"
TRIGGERED_AT_HEADER = "X-Shopify-Triggered-At"


class ShopifyVerifier(SchemeVerifier):
    """Verifies Shopify's body HMAC against one or more app secrets and de-duplicates retries.

    ``remember_for`` is how long a delivery id is kept (a day by default, well past Shopify's
    4 hours of retries). ``max_age`` turns on the staleness check on the trigger time, with
    ``clock_skew`` allowed ahead of ``now``.
    """

    def __init__(
        self,
        system: str,
        secrets: Sequence[str | bytes],
        seen: SeenDeliveries,
        *,
        remember_for: timedelta = timedelta(days=1),
        max_age: timedelta | None = None,
        clock_skew: timedelta = timedelta(minutes=5),
    ) -> None:
        super().__init__(system, seen)
        self._keys = plain_keys(secrets)
        self._remember_for = remember_for
        self._max_age = max_age
        self._clock_skew = clock_skew

    def _authenticate(
        self, read: DeliveryHeaders, body: bytes, now: datetime, query: Mapping[str, str]
    ) -> Authenticated:
        signature = read.required(SIGNATURE_HEADER, kind="missing_signature")
        delivery_id = read.required(DELIVERY_ID_HEADER)
        if self._max_age is not None:
            check_within_tolerance(
                read,
                TRIGGERED_AT_HEADER,
                read.iso_time(TRIGGERED_AT_HEADER),
                now,
                too_old_after=self._max_age,
                too_new_after=self._clock_skew,
            )
        digest = offered_digest(read, f"the header {SIGNATURE_HEADER}", signature)
        if not any_key_signed(self._keys, body, [digest]):
            raise read.refused(
                "signature_mismatch",
                f"the header {SIGNATURE_HEADER} does not match the body under any of the "
                f"{len(self._keys)} configured secrets",
            )
        return Authenticated(delivery_id, None, now + self._remember_for)
