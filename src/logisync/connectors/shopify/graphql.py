"""One GraphQL Admin API call, its failures sorted into "try later" and "will never work".

``POST {shop}/admin/api/{version}/graphql.json`` with ``X-Shopify-Access-Token``. Shopify
answers a throttled query with HTTP 200 and an error whose ``extensions.code`` is
``THROTTLED``; the cost extension says how many points are missing and how fast they come
back, which gives the wait. 429 (with Retry-After), 5xx, timeouts and connection errors are
transient; 401/403/404 and other GraphQL errors are permanent (a token without the
fulfilment scopes will not gain them by retrying). ``userErrors`` are the caller's to judge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import httpx

from logisync.connectors.tracing import trace_headers
from logisync.errors import LogisyncError


@dataclass
class ShopifyCallFailed(LogisyncError):
    message: str
    transient: bool
    retry_after: float | None = None

    def __str__(self) -> str:
        return self.message


class ShopifyGraphql:
    """Posts queries to one shop's GraphQL Admin endpoint."""

    def __init__(
        self,
        shop_url: str,
        version: str,
        token: str,
        *,
        timeout_seconds: float = 10.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.endpoint = f"{shop_url.rstrip('/')}/admin/api/{version}/graphql.json"
        self._headers = {"X-Shopify-Access-Token": token, "Content-Type": "application/json"}
        self._client = client or httpx.Client(timeout=timeout_seconds)

    def call(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The ``data`` of the answer, or ``ShopifyCallFailed``."""
        try:
            response = self._client.post(
                self.endpoint,
                json={"query": query, "variables": variables},
                headers={**self._headers, **trace_headers()},
            )
        except httpx.TimeoutException:
            raise ShopifyCallFailed(f"timeout from {self.endpoint}", transient=True) from None
        except httpx.TransportError as failure:
            raise ShopifyCallFailed(
                f"{type(failure).__name__} calling {self.endpoint}: {failure}", transient=True
            ) from None
        status = response.status_code
        if status == 429 or status >= 500:
            raise ShopifyCallFailed(
                f"{status} from {self.endpoint}", True, _retry_after(response.headers)
            )
        if status >= 400:
            hint = " (check the access token and its scopes)" if status in (401, 403) else ""
            raise ShopifyCallFailed(f"{status} from {self.endpoint}{hint}", transient=False)
        try:
            answer = response.json()
        except ValueError:
            raise ShopifyCallFailed("the shop answered with invalid JSON", True) from None
        if not isinstance(answer, dict):
            raise ShopifyCallFailed("the shop answered with a non-object JSON", True)
        errors = answer.get("errors")
        if errors:
            raise _graphql_failure(errors, answer.get("extensions"))
        data = answer.get("data")
        if not isinstance(data, dict):
            raise ShopifyCallFailed("the shop's answer has no data", transient=True)
        return data


def _graphql_failure(errors: Any, extensions: Any) -> ShopifyCallFailed:
    listed = errors if isinstance(errors, list) else [errors]
    codes = {
        str((e.get("extensions") or {}).get("code", "")) for e in listed if isinstance(e, dict)
    }
    text = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in listed)
    if "THROTTLED" in codes:
        return ShopifyCallFailed(f"throttled by Shopify: {text}", True, _throttle_wait(extensions))
    if "INTERNAL_SERVER_ERROR" in codes:
        return ShopifyCallFailed(f"Shopify failed: {text}", transient=True)
    return ShopifyCallFailed(f"Shopify refused the query: {text}", transient=False)


def _throttle_wait(extensions: Any) -> float | None:
    """Seconds until the bucket holds the query's cost again, from the cost extension."""
    try:
        cost = extensions["cost"]
        missing = float(cost["requestedQueryCost"]) - float(
            cost["throttleStatus"]["currentlyAvailable"]
        )
        rate = float(cost["throttleStatus"]["restoreRate"])
    except (KeyError, TypeError, ValueError):
        return None
    if rate <= 0 or not math.isfinite(missing):
        return None
    return max(0.0, missing / rate)


def _retry_after(headers: httpx.Headers) -> float | None:
    try:
        value = float(headers.get("Retry-After", ""))
    except ValueError:
        return None
    return max(0.0, value) if math.isfinite(value) else None
