"""A Shopify system's settings, from its entry under ``systems:``.

```yaml
shop:
  kind: shopify
  url: https://my-shop.myshopify.com     # the shop's admin domain
  version: "2025-07"                      # the Admin API version (YYYY-MM); default below
  token: env:SHOPIFY_ADMIN_TOKEN          # the app's Admin API access token, by reference
                                          # (``api_key:`` is taken for it too)
  verify: {scheme: shopify, secret: env:SHOPIFY_APP_SECRET}
  notify_customer: true                   # Shopify e-mails the tracking to the buyer
```
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from logisync.config import SystemConfig

DEFAULT_API_VERSION = "2025-07"
"""The Admin API version used when the entry names none: a stable one the connector was
written against (Shopify supports each version for at least a year)."""
API_VERSION = re.compile(r"^(20[0-9][0-9]-(01|04|07|10)|unstable)$")
Issue = tuple[tuple[str | int, ...], str]


class ShopifySettings(BaseModel):
    """What the fulfilment connector needs besides ``url``, ``version`` and ``token``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    notify_customer: bool = Field(default=False, description="Shopify mails the tracking")
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    batch: int = Field(default=10, ge=1, le=50, description="Shipments per delivery batch")


def settings_issues(name: str, system: SystemConfig) -> list[Issue]:
    """Everything wrong with a Shopify system's entry, for ``check-config``.

    A Shopify system without ``url`` only posts webhooks (no fulfilments go back): the
    connector's keys are then not needed.
    """
    here = ("systems", name)
    issues: list[Issue] = []
    try:
        ShopifySettings.model_validate(own_keys(system))
    except ValidationError as error:
        for item in error.errors(include_url=False, include_input=False):
            sentence = item["msg"]
            if item["type"] == "extra_forbidden":
                sentence = "not a setting of Shopify systems (see the Shopify connector)"
            issues.append(((*here, *item["loc"]), sentence))
    if not system.url:
        return issues
    if system.version is not None and not API_VERSION.match(system.version):
        issues.append(
            (
                (*here, "version"),
                f"the Admin API version {system.version!r} is not one Shopify publishes: use "
                "YYYY-01, -04, -07 or -10 (e.g. 2025-07)",
            )
        )
    if access_token_ref(system) is None:
        issues.append(
            ((*here, "token"), "the Admin API access token is needed (env:NAME or file:/path)")
        )
    return issues


def own_keys(system: SystemConfig) -> dict[str, Any]:
    return {key: value for key, value in system.settings.items() if key != "verify"}


def access_token_ref(system: SystemConfig) -> str | None:
    """The reference to the Admin API access token: ``token``, else ``api_key``."""
    ref = system.token or system.api_key
    return None if ref is None else str(ref)


def api_version(system: SystemConfig) -> str:
    return system.version or DEFAULT_API_VERSION
