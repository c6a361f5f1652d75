"""A static credential in a header: how UPS Track Alert authenticates its pushes.

UPS sends the credential the subscriber registered (``x-api-key`` by default) on every push,
with no signature, timestamp or delivery id. The value is compared in constant time against
each configured secret (two while rotating). Nothing bounds a replay: a copied request is
accepted again, which is harmless for carrier scans (their events are deduplicated by
content) but is why the URL must stay on HTTPS.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime

from logisync.api.webhooks.delivery_headers import DeliveryHeaders
from logisync.api.webhooks.scheme import Authenticated, SchemeVerifier
from logisync.api.webhooks.signing_keys import plain_keys


class ApiKeyHeaderVerifier(SchemeVerifier):
    """Accepts a delivery whose ``header`` equals one of the configured secrets."""

    def __init__(
        self, system: str, secrets: Sequence[str | bytes], *, header: str = "x-api-key"
    ) -> None:
        super().__init__(system)
        self._keys = plain_keys(secrets)
        self._header = header

    def _authenticate(
        self, read: DeliveryHeaders, body: bytes, now: datetime, query: Mapping[str, str]
    ) -> Authenticated:
        given = read.required(self._header, kind="missing_signature")
        presented = given.encode("utf-8", "surrogatepass")
        # Every key is compared, so the time taken does not say which one matched.
        matches = [hmac.compare_digest(presented, key) for key in self._keys]
        if not any(matches):
            raise read.refused(
                "signature_mismatch",
                f"the header {self._header} does not match any of the {len(self._keys)} "
                "configured secrets",
            )
        return Authenticated()
