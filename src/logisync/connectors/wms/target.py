"""The ``wms`` target: releases sales orders for fulfilment through the WMS's own API.

One ``POST {url}/api/v2/outbound-orders`` per order (see ``release``), bearer token. Answers:

* 201 (new) or 200 (a repeat of the same order): delivered, the WMS's order id as the
  external id; unless the body's ``status`` is ``rejected`` (a synchronous acknowledgement
  saying no): permanent, with the WMS's reason. ``received`` means the WMS acknowledges later,
  with an ``order.acknowledged`` message the ``wms`` webhook adapter maps;
* 409: the WMS holds the order with other items and does not change a released order:
  permanent, naming its order id (change it in the WMS, or cancel and release anew);
* 429, 5xx, timeouts and connection errors: transient, honouring Retry-After;
* 401/403 and any other 4xx: permanent, with the WMS's message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from logisync.config import SystemConfig
from logisync.connectors.tracing import delivery_span, trace_headers
from logisync.connectors.wms.release import release_request
from logisync.connectors.wms.settings import wms_settings, wms_token
from logisync.core.delivery.connector import DeliveryItem, ItemResult
from logisync.errors import PermanentDeliveryError

RELEASE_PATH = "/api/v2/outbound-orders"


class WmsTarget:
    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout_seconds: float = 10.0,
        priority: str = "normal",
        max_batch: int = 20,
        client: httpx.Client | None = None,
    ) -> None:
        self.url = url.rstrip("/") + RELEASE_PATH
        self.max_batch = max_batch
        self._priority = priority
        self._headers = {"authorization": f"Bearer {token}"}
        self._client = client or httpx.Client(timeout=timeout_seconds)

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        return [self._release(item) for item in items]

    def _release(self, item: DeliveryItem) -> ItemResult:
        try:
            body = release_request(item.payload, self._priority)
        except (PermanentDeliveryError, KeyError, TypeError) as refused:
            return ItemResult("permanent", error=_reason(refused))
        try:
            with delivery_span(item, "wms release"):
                response = self._client.post(
                    self.url, json=body, headers={**self._headers, **trace_headers()}
                )
        except httpx.TimeoutException:
            return ItemResult("transient", error=f"timeout from {self.url}")
        except httpx.TransportError as failure:
            return ItemResult("transient", error=f"{type(failure).__name__}: {failure}")
        return _outcome(body["client_reference"], response)


def _outcome(number: str, response: httpx.Response) -> ItemResult:
    status, answer = response.status_code, _json(response)
    said = str(answer.get("message") or response.text[:200])
    if status in (200, 201):
        wms_id = answer.get("id")
        if not isinstance(wms_id, str) or not wms_id:
            return ItemResult("permanent", error=f"the WMS answered {status} without an order id")
        if answer.get("status") == "rejected":
            reason = answer.get("reason") or "no reason given"
            return ItemResult("permanent", error=f"the WMS rejected {number} ({wms_id}): {reason}")
        return ItemResult("delivered", target_ref=wms_id, external_id=wms_id)
    if status == 429 or status >= 500:
        return ItemResult(
            "transient",
            error=f"{status} from the WMS: {said}",
            retry_after_seconds=_retry_after(response),
        )
    if status == 409:
        return ItemResult(
            "permanent",
            error=f"the WMS already holds {number} as {answer.get('id')} with other items and "
            "does not change a released order: change it in the WMS, or cancel and re-release",
        )
    if status in (401, 403):
        return ItemResult("permanent", error=f"the WMS refused the token ({status}): {said}")
    return ItemResult("permanent", error=f"the WMS refused {number} ({status}): {said}")


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return None if value is None else max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: the backoff policy decides instead


def _reason(failure: Exception) -> str:
    if isinstance(failure, KeyError):
        return f"the order lacks {failure.args[0]!r}, which the WMS needs"
    return str(failure)


def wms_target(name: str, system: SystemConfig) -> WmsTarget:
    """The connector of a configured ``wms`` system (``InvalidConfig`` if its keys are wrong)."""
    settings = wms_settings(name, system)
    return WmsTarget(
        str(system.url),
        wms_token(system),
        timeout_seconds=settings.timeout_seconds,
        priority=settings.priority,
        max_batch=settings.batch,
    )
