"""The HTTP batch connector.

Request: ``POST {url}`` with ``{"items": [{"idempotency_key", "payload"}, ...]}``.
Answer: ``{"results": [{"status": 200, "id": ...} | {"status": 4xx/5xx, "error": ...}]}``.

How answers map to outcomes: 2xx per item -> delivered; 429 and 5xx (whole batch or per
item), timeouts and connection errors -> transient, honouring Retry-After; any other 4xx ->
permanent (retrying a request the target finds invalid cannot help).
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from logisync.connectors.tracing import delivery_span, trace_headers, traced_item
from logisync.core.delivery.connector import DeliveryItem, ItemResult


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return None if value is None else max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: the backoff policy decides instead


class WebhookTarget:
    def __init__(
        self,
        url: str,
        *,
        timeout_seconds: float = 10.0,
        max_batch: int = 100,
        client: httpx.Client | None = None,
    ) -> None:
        self.url = url
        self.max_batch = max_batch
        self._client = client or httpx.Client(timeout=timeout_seconds)

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        body = {
            "items": [{"idempotency_key": i.idempotency_key, "payload": i.payload} for i in items]
        }
        try:
            with delivery_span(traced_item(items), "webhook deliver"):
                response = self._client.post(self.url, json=body, headers=trace_headers())
        except httpx.TimeoutException:
            return [ItemResult("transient", error=f"timeout from {self.url}")] * len(items)
        except httpx.TransportError as failure:
            failed = f"{type(failure).__name__}: {failure}"
            return [ItemResult("transient", error=failed)] * len(items)
        if response.status_code == 429 or response.status_code >= 500:
            error = f"{response.status_code} from {self.url}"
            return [
                ItemResult("transient", error=error, retry_after_seconds=_retry_after(response))
            ] * len(items)
        if response.status_code >= 400:
            error = f"{response.status_code} from {self.url}: {response.text[:200]}"
            return [ItemResult("permanent", error=error)] * len(items)
        return [self._item(result) for result in response.json()["results"]]

    @staticmethod
    def _item(result: dict[str, object]) -> ItemResult:
        status = int(str(result.get("status", 200)))
        if status < 300:
            return ItemResult("delivered", target_ref=str(result.get("id")))
        error = f"{status}: {result.get('error', '')}"
        if status == 429 or status >= 500:
            return ItemResult("transient", error=error)
        return ItemResult("permanent", error=error)
