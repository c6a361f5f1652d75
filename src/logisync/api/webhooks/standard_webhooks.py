"""Standard Webhooks (standardwebhooks.com): the scheme for systems that sign the way it says.

The sender signs ``{webhook-id}.{webhook-timestamp}.{body}`` with HMAC-SHA256 and sends
``webhook-signature: v1,<base64 digest>``, several entries separated by spaces while it rotates
secrets; one matching entry is enough. Entries of other versions (``v1a``, asymmetric ed25519)
are passed over. The timestamp is signed, so a captured request can be replayed only within the
tolerance (five minutes either way, as in the reference library), and within it the
``webhook-id`` memory answers the copy as a duplicate.

Unlike the reference library, a timestamp must be whole seconds (the specification's form; the
library accepts a float and then signs its floor, so a sender giving ``.5`` could never match
anyway) and a malformed signature entry is refused with a reason instead of an exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from logisync.api.webhooks.delivery_headers import DeliveryHeaders, check_within_tolerance
from logisync.api.webhooks.scheme import Authenticated, SchemeVerifier
from logisync.api.webhooks.seen_deliveries import REPLAY_MARGIN, SeenDeliveries
from logisync.api.webhooks.signing_keys import (
    SecretEncoding,
    any_key_signed,
    offered_digest,
    standard_webhooks_keys,
)

SIGNATURE_VERSION = "v1"
MAX_SIGNATURES = 16
"""More entries than any rotation needs; a longer header is refused before any HMAC is spent."""


class StandardWebhooksVerifier(SchemeVerifier):
    """Verifies ``webhook-*`` headers against one or more secrets (``whsec_...`` or raw bytes)."""

    def __init__(
        self,
        system: str,
        secrets: Sequence[str | bytes],
        seen: SeenDeliveries,
        *,
        tolerance: timedelta = timedelta(minutes=5),
        secret_encoding: SecretEncoding = "base64",  # noqa: S107 (how to decode, not a secret)
    ) -> None:
        super().__init__(system, seen)
        self._keys = standard_webhooks_keys(secrets, secret_encoding)
        self._tolerance = tolerance

    def _authenticate(
        self, read: DeliveryHeaders, body: bytes, now: datetime, query: Mapping[str, str]
    ) -> Authenticated:
        delivery_id = read.required("webhook-id")
        stamp = read.required("webhook-timestamp")
        signature = read.required("webhook-signature", kind="missing_signature")
        signed_at = read.unix_time("webhook-timestamp")
        check_within_tolerance(
            read,
            "webhook-timestamp",
            signed_at,
            now,
            too_old_after=self._tolerance,
            too_new_after=self._tolerance,
        )
        offered = _v1_digests(read, signature)
        signed_content = f"{delivery_id}.{stamp}.".encode() + body
        if not any_key_signed(self._keys, signed_content, offered):
            raise read.refused(
                "signature_mismatch",
                f"no webhook-signature entry ({len(offered)} given) matches any of the "
                f"{len(self._keys)} configured secrets",
            )
        return Authenticated(delivery_id, signed_at, signed_at + self._tolerance + REPLAY_MARGIN)


def _v1_digests(read: DeliveryHeaders, header: str) -> list[bytes]:
    """The decoded ``v1`` digests of a ``webhook-signature`` header, in the order given."""
    entries = header.split()
    if len(entries) > MAX_SIGNATURES:
        raise read.refused(
            "malformed_header",
            f"the header webhook-signature holds {len(entries)} entries; at most "
            f"{MAX_SIGNATURES} are read",
        )
    digests: list[bytes] = []
    for position, entry in enumerate(entries, start=1):
        where = f"entry {position} of the header webhook-signature"
        version, comma, encoded = entry.partition(",")
        if not comma:
            raise read.refused("malformed_header", f"{where} is not 'version,signature'")
        if version == SIGNATURE_VERSION:
            digests.append(offered_digest(read, where, encoded))
    if not digests:
        versions = sorted({entry.partition(",")[0][:16] for entry in entries})
        raise read.refused(
            "missing_signature",
            "the header webhook-signature holds no v1 signature (versions given: "
            f"{', '.join(versions)}); only v1 (HMAC-SHA256) is accepted",
        )
    return digests
