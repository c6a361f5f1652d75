"""Pushes: UPS Track Alert and FedEx webhook POSTs of the scans that have come due.

``Pusher.tick()`` sends, with httpx, every due scan of a carrier that has a push URL and that
was not yet delivered, applying the fault plan: downtime holds pushes, pacing and bursts limit
how many leave, reordering shuffles them, and duplicates, malformed copies and unknown codes
add messages. A genuine push refused with 5xx/429 or lost to a connection error is retried at
the next tick (carriers deliver at least once); any other answer settles it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import httpx

from logisync.testing.carrier_hub.carriers import PUSHING_CARRIERS, Carrier
from logisync.testing.carrier_hub.hub import CarrierHub
from logisync.testing.carrier_hub.records import SentMessage, Tag
from logisync.testing.carrier_hub.shapes import fedex, ups
from logisync.testing.carrier_hub.shipments import Scan
from logisync.testing.carrier_hub.status_tables import UNKNOWN_STATUSES

__all__ = ["Pusher", "fedex_signature"]


def fedex_signature(token: str, body: bytes) -> str:
    """``fdx-signature``: base64 of HMAC-SHA256 of the raw body keyed with the token."""
    return base64.b64encode(hmac.new(token.encode(), body, hashlib.sha256).digest()).decode()


@dataclass(frozen=True)
class _Outgoing:
    scan: Scan
    body: bytes
    tags: tuple[Tag, ...]
    genuine: bool


class Pusher:
    """Pushes due scans to ``push_to[carrier]``; one tick at a time (a lock serialises them)."""

    def __init__(
        self,
        hub: CarrierHub,
        push_to: Mapping[str, str],
        *,
        client: httpx.Client | None = None,
    ) -> None:
        unknown = set(push_to) - set(PUSHING_CARRIERS)
        if unknown:
            raise ValueError(
                f"push_to names {sorted(unknown)}: only {', '.join(PUSHING_CARRIERS)} push "
                "(DHL and USPS only answer polls)"
            )
        self._hub = hub
        self._push_to: dict[str, str] = dict(push_to)
        self._client = client or httpx.Client(timeout=5.0)
        self._lock = threading.Lock()
        self._delivered: set[str] = set()
        self._attempted: set[str] = set()
        self._tokens = 0.0
        self._last_tick = hub.now()

    def close(self) -> None:
        self._client.close()

    def pending(self) -> list[Scan]:
        carriers = tuple(c for c in PUSHING_CARRIERS if c in self._push_to)
        return [s for s in self._hub.due_scans(carriers) if s.scan_id not in self._delivered]

    def tick(self) -> list[SentMessage]:
        """Send what is due now; return the messages sent (also in the hub's records)."""
        with self._lock:
            hub, plan, now = self._hub, self._hub.faults, self._hub.now()
            budget = self._budget(now)
            if plan.down_at(now) is not None:
                return []
            batch = self.pending()
            burst = any(b.covers(now) for b in plan.bursts)
            if budget is not None:
                batch = batch[: int(budget)]
                self._tokens -= len(batch)
            reordered = len(batch) > 1 and hub.draw_rate(plan.reorder_rate)
            if reordered:
                batch = hub.shuffled(batch)
            sent: list[SentMessage] = []
            for scan in batch:
                extra: tuple[Tag, ...] = ("reordered",) if reordered else ()
                extra += ("burst",) if burst else ()
                extra += ("late",) if plan.is_late(scan.scan_id) else ()
                for outgoing in self._messages_for(scan, extra):
                    message = self._send(outgoing, now)
                    sent.append(message)
                    if outgoing.genuine:
                        self._attempted.add(scan.scan_id)
                        if not _retryable(message):
                            self._delivered.add(scan.scan_id)
            return sent

    def _budget(self, now: datetime) -> float | None:
        """Token bucket of ``pushes_per_minute`` (raised in bursts); None when unpaced."""
        plan = self._hub.faults
        elapsed = max(0.0, (now - self._last_tick).total_seconds())
        start, self._last_tick = self._last_tick, now
        if plan.pushes_per_minute is None:
            return None
        base = plan.pushes_per_minute / 60
        added = elapsed * base
        peak = 1.0
        for burst in plan.bursts:
            end = burst.start.timestamp() + burst.seconds
            overlap = min(end, now.timestamp()) - max(burst.start.timestamp(), start.timestamp())
            if overlap > 0:
                added += overlap * base * (burst.factor - 1)
                peak = max(peak, burst.factor)
        capacity = max(1.0, plan.pushes_per_minute * peak)
        self._tokens = min(capacity, self._tokens + added)
        return self._tokens

    def _messages_for(self, scan: Scan, tags: tuple[Tag, ...]) -> list[_Outgoing]:
        plan = self._hub.faults
        retry: tuple[Tag, ...] = ("retry",) if scan.scan_id in self._attempted else ()
        body = self._body(scan)
        messages = []
        if plan.adds_unknown_code(scan.scan_id) and not retry:
            odd = replace(
                scan, scan_id=f"{scan.scan_id}:unknown", status=UNKNOWN_STATUSES[scan.carrier]
            )
            messages.append(_Outgoing(odd, self._body(odd), (*tags, "unknown_code"), False))
        if plan.is_malformed(scan.scan_id) and not retry:
            cut = body[: max(1, len(body) // 2)]
            messages.append(_Outgoing(scan, cut, (*tags, "malformed"), False))
        messages.append(_Outgoing(scan, body, (*tags, *retry), True))
        if plan.is_duplicated(scan.scan_id) and not retry:
            messages.append(_Outgoing(scan, body, (*tags, "duplicate"), False))
        return messages

    def _body(self, scan: Scan) -> bytes:
        shipment = self._hub.shipment(scan.shipment_number)
        assert shipment is not None  # scans come from registered shipments
        payload: dict[str, Any] = (
            ups.push_body(scan) if scan.carrier == "ups" else fedex.push_body(shipment, scan)
        )
        return json.dumps(payload, separators=(",", ":")).encode()

    def _headers(self, carrier: Carrier, body: bytes) -> dict[str, str]:
        credentials = self._hub.credentials
        if carrier == "ups":
            return {
                "content-type": "application/json",
                "x-api-key": credentials.ups_push_api_key,
                "user-agent": "UPSPubSubTrackingService",
            }
        return {
            "content-type": "application/json",
            "fdx-signature": fedex_signature(credentials.fedex_webhook_token, body),
        }

    def _send(self, outgoing: _Outgoing, now: datetime) -> SentMessage:
        carrier = outgoing.scan.carrier
        url = self._push_to[carrier]
        headers = self._headers(carrier, outgoing.body)
        status: int | None = None
        error = ""
        try:
            status = self._client.post(url, content=outgoing.body, headers=headers).status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        message = SentMessage(
            channel="push",
            carrier=carrier,
            target=url,
            body=outgoing.body.decode(),
            at=now.isoformat(),
            status=status,
            scan_ids=(outgoing.scan.scan_id,),
            tracking_numbers=(outgoing.scan.tracking_number,),
            tags=outgoing.tags,
            headers=headers,
            error=error,
        )
        self._hub.records.add(message)
        return message


def _retryable(message: SentMessage) -> bool:
    return message.status is None or message.status == 429 or message.status >= 500
