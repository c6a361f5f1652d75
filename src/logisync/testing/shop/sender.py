"""Posting webhooks as Shopify does: signed, with its headers, retried until a 2xx.

Shopify signs the raw body (base64 HMAC-SHA256 under the app's client secret), sends each
delivery with a fixed ``X-Shopify-Webhook-Id`` and retries a failed one up to 8 times over
4 hours. The simulator keeps the count and the growing gaps but compresses the time
(``retry_delays``), so a test sees a retried delivery within a second.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import queue
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

DEFAULT_RETRY_DELAYS = (0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56)
"""Eight retries with doubling gaps, as Shopify's 4 hours compressed about 5000 times."""


@dataclass
class Delivery:
    """One webhook delivery and what became of it."""

    topic: str
    body: bytes
    webhook_id: str
    event_id: str
    triggered_at: str
    statuses: list[int] = field(default_factory=list)  # per attempt; 0 = no answer

    @property
    def delivered(self) -> bool:
        return any(200 <= status < 300 for status in self.statuses)


def signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class WebhookSender:
    """Sends queued deliveries in order from one thread, each retried until a 2xx."""

    def __init__(
        self,
        hub_url: str | None,
        secret: str,
        shop_domain: str,
        api_version: str,
        retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS,
    ) -> None:
        self.hub_url = hub_url
        self.secret = secret
        self.shop_domain = shop_domain
        self.api_version = api_version
        self.retry_delays = retry_delays
        self.sent: list[Delivery] = []
        self._queue: queue.Queue[Delivery | None] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, daemon=True, name="shop-webhooks")
        self._client = httpx.Client(timeout=httpx.Timeout(5.0, connect=1.0))
        self._thread.start()

    def enqueue(self, delivery: Delivery) -> None:
        self._idle.clear()
        self._queue.put(delivery)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until every queued delivery was delivered or gave up; False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._queue.unfinished_tasks == 0:
                return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)
        self._client.close()

    def headers(self, delivery: Delivery) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "X-Shopify-Topic": delivery.topic,
            "X-Shopify-Hmac-Sha256": signature(self.secret, delivery.body),
            "X-Shopify-Shop-Domain": self.shop_domain,
            "X-Shopify-API-Version": self.api_version,
            "X-Shopify-Webhook-Id": delivery.webhook_id,
            "X-Shopify-Event-Id": delivery.event_id,
            "X-Shopify-Triggered-At": delivery.triggered_at,
        }

    def _run(self) -> None:
        while True:
            delivery = self._queue.get()
            if delivery is None:
                self._queue.task_done()
                return
            try:
                self._send(delivery)
            finally:
                self.sent.append(delivery)
                self._queue.task_done()

    def _send(self, delivery: Delivery) -> None:
        if self.hub_url is None:
            return
        for delay in (0.0, *self.retry_delays):
            time.sleep(delay)
            try:
                response = self._client.post(
                    self.hub_url, content=delivery.body, headers=self.headers(delivery)
                )
                delivery.statuses.append(response.status_code)
            except httpx.HTTPError:
                delivery.statuses.append(0)
            if delivery.delivered:
                return


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
