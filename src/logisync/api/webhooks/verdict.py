"""What verifying one provider delivery ends in: accepted, a duplicate, or refused.

A refusal is an exception (``WebhookRefused``) carrying one plain sentence and the HTTP status
the route answers with, so the route stays a thin caller: 400 when a header is malformed, 401
when the signature or token is missing or wrong or the signed time is outside the tolerance.

A delivery whose id was already received is *not* refused. It verifies (the signature holds) and
comes back with ``outcome == "duplicate"``; the route answers 200 and processes nothing. Why not
409: providers retry until they see a 2xx (Shopify up to 8 times over 4 hours, then it may drop
the subscription), so a retry of a delivery we stored after our answer was lost must be
acknowledged or it keeps coming. An attacker's replay of a captured request gains nothing from
the same 200: it is not processed a second time, and the answer reveals nothing it did not
already know. Outside the tolerance window a replay is refused anyway, as stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from logisync.errors import LogisyncError

RefusalKind = Literal[
    "missing_header",
    "malformed_header",
    "missing_signature",
    "signature_mismatch",
    "timestamp_out_of_tolerance",
]
"""Short, stable names for metrics labels and problem-detail types; ``reason`` says the rest."""

_STATUS: dict[RefusalKind, int] = {
    "missing_header": 400,
    "malformed_header": 400,
    "missing_signature": 401,
    "signature_mismatch": 401,
    "timestamp_out_of_tolerance": 401,
}


@dataclass
class WebhookRefused(LogisyncError):
    """A provider delivery was not accepted; ``reason`` says precisely why, ``status`` is the
    HTTP status to answer with. The reason never quotes a secret or a signature."""

    system: str
    kind: RefusalKind
    reason: str

    @property
    def status(self) -> int:
        return _STATUS[self.kind]

    def __str__(self) -> str:
        return f"webhook from {self.system} refused: {self.reason}"


Outcome = Literal["accepted", "duplicate"]


@dataclass(frozen=True)
class VerifiedDelivery:
    """A delivery whose signature (or token) held, with what the adapter needs to map it.

    ``headers`` has lower-cased names. ``delivery_id`` is the provider's id of this delivery
    (``webhook-id``, ``X-Shopify-Webhook-Id``), ``None`` where the scheme has none (Odoo).
    ``signed_at`` is the time the provider signed, where the signature covers one. For a
    duplicate, ``first_seen_at`` says when the first copy arrived.
    """

    system: str
    body: bytes
    headers: Mapping[str, str]
    received_at: datetime
    outcome: Outcome = "accepted"
    delivery_id: str | None = None
    signed_at: datetime | None = None
    first_seen_at: datetime | None = None


class Verifier(Protocol):
    """Checks one system's deliveries; built from its ``verify`` settings by ``verifier_for``."""

    @property
    def system(self) -> str: ...

    def verify(
        self,
        headers: Mapping[str, str],
        body: bytes,
        now: datetime,
        query: Mapping[str, str] | None = None,
    ) -> VerifiedDelivery:
        """Return the verified delivery or raise ``WebhookRefused``.

        ``headers`` may be any mapping (names in any case); ``body`` is the raw request body,
        exactly as received; ``now`` is timezone-aware; ``query`` holds the URL's query
        parameters (only the Odoo token scheme reads it).
        """
        ...
