"""A WMS's settings, from its entry under ``systems:`` in the configuration.

```yaml
acme_wms: {kind: wms, url: https://wms.example.com, token: env:ACME_WMS_TOKEN,
           timeout_seconds: 10, priority: normal, rate_limit: 5/s}
```

``url`` is the WMS's API root (the connector posts to ``/api/v2/outbound-orders`` under it) and
``token`` the bearer token it accepts. Its messages to the hub arrive on the webhook route with
``verify: {scheme: standard_webhooks, secrets: [...]}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from logisync.config import SystemConfig
from logisync.config.secret_refs import resolve_secret
from logisync.errors import InvalidConfig, Problem


class WmsSettings(BaseModel):
    """The kind-specific keys of a ``wms`` system."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    priority: Literal["normal", "express"] = "normal"
    batch: int = Field(default=20, ge=1, le=500, description="Orders per delivery batch")


def _issue(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        return "not a setting of WMS systems (timeout_seconds, priority, batch)"
    return error["msg"]


def settings_issues(name: str, system: SystemConfig) -> list[tuple[tuple[str | int, ...], str]]:
    """What ``check-config`` reports about a WMS system's keys."""
    issues: list[tuple[tuple[str | int, ...], str]] = []
    try:
        WmsSettings.model_validate(_own_keys(system))
    except ValidationError as error:
        issues += [(("systems", name, *e["loc"]), _issue(e)) for e in error.errors()]
    if system.url is None:
        issues.append((("systems", name), "a WMS system needs the url of its API"))
    if system.token is None:
        issues.append((("systems", name), "a WMS system needs token: env:NAME (its bearer token)"))
    return issues


def wms_settings(name: str, system: SystemConfig) -> WmsSettings:
    """The validated settings, or ``InvalidConfig`` naming every problem."""
    issues = settings_issues(name, system)
    if issues:
        raise InvalidConfig([Problem(".".join(map(str, where)), why) for where, why in issues])
    return WmsSettings.model_validate(_own_keys(system))


def _own_keys(system: SystemConfig) -> dict[str, Any]:
    """The settings of the connector; ``verify`` is the webhook route's (checked there)."""
    return {key: value for key, value in system.settings.items() if key != "verify"}


def wms_token(system: SystemConfig, environ: Mapping[str, str] | None = None) -> str:
    return resolve_secret(str(system.token), environ=environ)
