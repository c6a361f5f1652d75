"""The steps every verification scheme shares, so that a scheme only says how it authenticates.

Each scheme reads the headers it needs and checks its signature or token (``_authenticate``);
the order around it is fixed here: the clock is checked, headers are read case-insensitively,
and only once authentication held is the delivery id recorded, so that a forged request cannot
make the genuine delivery under the same id look like a duplicate.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from logisync.api.webhooks.delivery_headers import DeliveryHeaders, require_aware
from logisync.api.webhooks.seen_deliveries import SeenDeliveries
from logisync.api.webhooks.verdict import VerifiedDelivery


@dataclass(frozen=True)
class Authenticated:
    """What a scheme proved: the delivery's id and signing time where it has them, and until
    when the id must be remembered to recognise a copy (``None``: the scheme has no id)."""

    delivery_id: str | None = None
    signed_at: datetime | None = None
    remember_until: datetime | None = None


class SchemeVerifier(ABC):
    """A ``Verifier`` for one system; subclasses implement ``_authenticate``."""

    def __init__(self, system: str, seen: SeenDeliveries | None = None) -> None:
        self.system = system
        self._seen = seen

    def verify(
        self,
        headers: Mapping[str, str],
        body: bytes,
        now: datetime,
        query: Mapping[str, str] | None = None,
    ) -> VerifiedDelivery:
        require_aware(now)
        read = DeliveryHeaders(self.system, headers)
        proof = self._authenticate(read, body, now, query or {})
        delivery = VerifiedDelivery(
            system=self.system,
            body=body,
            headers=read.as_lower_cased(),
            received_at=now,
            delivery_id=proof.delivery_id,
            signed_at=proof.signed_at,
        )
        if self._seen is None or proof.delivery_id is None or proof.remember_until is None:
            return delivery
        sighting = self._seen.record(self.system, proof.delivery_id, now, proof.remember_until)
        if sighting.is_new:
            return delivery
        return replace(delivery, outcome="duplicate", first_seen_at=sighting.first_seen_at)

    @abstractmethod
    def _authenticate(
        self, read: DeliveryHeaders, body: bytes, now: datetime, query: Mapping[str, str]
    ) -> Authenticated:
        """Return what the request proves, or raise ``WebhookRefused`` saying why it does not."""
