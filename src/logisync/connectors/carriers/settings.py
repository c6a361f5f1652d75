"""A carrier system's polling settings, read from its entry under ``systems:``.

```yaml
dhl:  {kind: dhl, url: https://api-eu.dhl.com, rate_limit: 1/s,
       headers: {DHL-API-Key: env:DHL_API_KEY}}
ups:  {kind: ups, url: https://onlinetools.ups.com, rate_limit: 5/s,
       headers: {Authorization: env:UPS_BEARER}, verify: {scheme: api_key_header, ...}}
```

``url`` is the base of the carrier's tracking API (the poller appends the carrier's own path);
``rate_limit`` feeds the poller's token bucket (``burst`` tokens saved up, 1 by default);
``headers`` are sent with every request, their values resolved from ``env:``/``file:``
references. A carrier system without ``url`` is not polled (its pushes still arrive).
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from logisync.config import SystemConfig
from logisync.connectors.carriers.code_tables import CARRIERS
from logisync.connectors.carriers.poller import CarrierEndpoint
from logisync.core.delivery.rate_limit import TokenBucket

Issue = tuple[tuple[str | int, ...], str]


class CarrierSettings(BaseModel):
    """The kind-specific keys of a carrier system (``verify`` belongs to the webhook side)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    headers: dict[str, str] = Field(default_factory=dict)
    burst: int = Field(default=1, ge=1, le=1000)


def settings_issues(name: str, system: SystemConfig) -> list[Issue]:
    """What is wrong with a carrier system's polling keys (for ``check-config``)."""
    try:
        CarrierSettings.model_validate(system.settings)
    except ValidationError as error:
        return [
            (("systems", name, *map(str, item["loc"])), item["msg"])
            for item in error.errors(include_url=False, include_input=False)
        ]
    return []


def carrier_endpoint(
    name: str, system: SystemConfig, resolve_secret: Callable[[str], str]
) -> CarrierEndpoint | None:
    """The poller's endpoint for a carrier system, or ``None`` when it is not to be polled."""
    if system.kind not in CARRIERS or not system.url:
        return None
    settings = CarrierSettings.model_validate(system.settings)
    headers = {
        header: resolve_secret(value) if value.startswith(("env:", "file:")) else value
        for header, value in settings.headers.items()
    }
    rate = None
    if system.rate_limit:
        rate = TokenBucket(rate=system.rate_limit, burst=settings.burst)
    return CarrierEndpoint(system.kind, system.url, name, rate, headers)
