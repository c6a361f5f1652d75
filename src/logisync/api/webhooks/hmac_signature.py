"""A generic HMAC-SHA256 signature in one header: for providers with their own variant.

Covers the common shapes: ``X-Signature: <hex>`` or ``sha256=<hex>`` (GitHub style), base64
instead of hex (FedEx's ``fdx-signature``), and, when the provider also sends a timestamp
header, a signature over ``{timestamp}.{body}`` with a tolerance on that timestamp. With an
``id_header`` the delivery ids are remembered and copies answered as duplicates.

Without a timestamp header nothing bounds a replay in time: the id memory (when there is an id)
is then the only protection, for as long as ``remember_for`` keeps ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from logisync.api.webhooks.delivery_headers import DeliveryHeaders, check_within_tolerance
from logisync.api.webhooks.scheme import Authenticated, SchemeVerifier
from logisync.api.webhooks.seen_deliveries import REPLAY_MARGIN, SeenDeliveries
from logisync.api.webhooks.signing_keys import (
    DigestEncoding,
    any_key_signed,
    offered_digest,
    plain_keys,
)


class HmacSignatureVerifier(SchemeVerifier):
    """Verifies an HMAC-SHA256 digest in ``header`` against one or more secrets.

    ``signature_prefix`` (``sha256=`` by default) is stripped when the value starts with it,
    in any case; a value without it is read as the bare digest.
    """

    def __init__(
        self,
        system: str,
        secrets: Sequence[str | bytes],
        seen: SeenDeliveries,
        *,
        header: str = "X-Signature",
        signature_prefix: str = "sha256=",
        encoding: DigestEncoding = "hex",
        timestamp_header: str | None = None,
        tolerance: timedelta = timedelta(minutes=5),
        id_header: str | None = None,
        remember_for: timedelta = timedelta(days=1),
    ) -> None:
        super().__init__(system, seen)
        self._keys = plain_keys(secrets)
        self._header = header
        self._prefix = signature_prefix.lower()
        self._encoding = encoding
        self._timestamp_header = timestamp_header
        self._tolerance = tolerance
        self._id_header = id_header
        self._remember_for = remember_for

    def _authenticate(
        self, read: DeliveryHeaders, body: bytes, now: datetime, query: Mapping[str, str]
    ) -> Authenticated:
        signature = read.required(self._header, kind="missing_signature")
        delivery_id = read.required(self._id_header) if self._id_header else None
        signed_content, signed_at = body, None
        if self._timestamp_header:
            stamp = read.required(self._timestamp_header)
            signed_at = read.unix_time(self._timestamp_header)
            check_within_tolerance(
                read,
                self._timestamp_header,
                signed_at,
                now,
                too_old_after=self._tolerance,
                too_new_after=self._tolerance,
            )
            signed_content = f"{stamp}.".encode() + body
        if self._prefix and signature.lower().startswith(self._prefix):
            signature = signature[len(self._prefix) :]
        digest = offered_digest(read, f"the header {self._header}", signature, self._encoding)
        if not any_key_signed(self._keys, signed_content, [digest]):
            raise read.refused(
                "signature_mismatch",
                f"the header {self._header} does not match any of the {len(self._keys)} "
                "configured secrets",
            )
        remember_until = (
            now + self._remember_for
            if signed_at is None
            else signed_at + self._tolerance + REPLAY_MARGIN
        )
        return Authenticated(delivery_id, signed_at, remember_until)
