"""The ``monitors:`` section: business SLAs, declared without an expression language.

```yaml
monitors:
  - name: delivered but not invoiced
    kind: stuck                    # an entity stays in a status too long
    entity: shipment
    in: {status: delivered}
    missing: {entity: invoice, status: [posted, paid]}   # ...and its order has no such invoice
    after: 2h
    webhook: {url: https://ops.example.com/hooks, secret: env:ALERT_SECRET}
  - name: released but not acknowledged
    kind: stuck
    entity: sales_order
    in: {status: released}
    until: {reported_by: wms}      # ...and the WMS has not reported on it since
    after: 15m
  - name: ups feed silent
    kind: silent                   # no event from a source
    source: ups
    after: 30m
```

Statuses are checked against the model's lifecycles, so a typo is a ``check-config`` error at
its line and column, not a monitor that never fires.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from logisync.config.secret_refs import SecretRef
from logisync.model.lifecycle import LIFECYCLES

_DURATION = re.compile(r"^\s*([0-9]+)\s*(s|m|min|h|d)\s*$")
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def _error(kind: str, sentence: str) -> PydanticCustomError:
    return PydanticCustomError(kind, sentence)


def _duration(value: object) -> timedelta:
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None:
        raise _error("duration", "must look like 30s, 15m, 2h or 1d")
    seconds = int(match[1]) * _UNITS[match[2]]
    if seconds <= 0:
        raise _error("duration", "must be longer than zero")
    return timedelta(seconds=seconds)


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _error("http_url", "must be an http:// or https:// URL with a host name")
    return value


def _one_or_many(value: object) -> object:
    return [value] if isinstance(value, str) else value


def _statuses_of(domain: str) -> dict[str, int]:
    lifecycle = LIFECYCLES.get(domain)
    if lifecycle is None:
        raise _error(
            "no_lifecycle",
            f"'{domain}' has no status to watch; the domains with one are "
            f"{', '.join(sorted(LIFECYCLES))}",
        )
    return lifecycle.ranks


def _check_status(domain: str, status: str) -> None:
    known = _statuses_of(domain)
    if status not in known:
        raise _error(
            "unknown_status",
            f"{domain} has no status '{status}'; its statuses are {', '.join(known)}",
        )


Duration = Annotated[timedelta, BeforeValidator(_duration)]
Name = Annotated[str, Field(min_length=1)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


class InStatus(_Section):
    """The status an entity sits in while the monitor watches it."""

    status: Name = Field(description="A status of the entity's lifecycle, e.g. delivered")


class Missing(_Section):
    """An entity of another domain, for the same order, in one of these statuses."""

    entity: Name = Field(description="The other domain, e.g. invoice")
    status: Annotated[tuple[Name, ...], BeforeValidator(_one_or_many), Field(min_length=1)] = Field(
        description="Its statuses that satisfy the monitor, e.g. [posted, paid]"
    )

    @model_validator(mode="after")
    def _known(self) -> Self:
        for status in self.status:
            _check_status(self.entity, status)
        return self


class Until(_Section):
    """The entity's status must be re-stated by this system (e.g. the WMS acknowledging)."""

    reported_by: Name = Field(description="The system whose report ends the wait")


class MonitorWebhookConfig(_Section):
    """Where alerts are also posted, signed per Standard Webhooks and retried."""

    url: Annotated[str, AfterValidator(_http_url)] = Field(description="http(s) URL")
    secret: SecretRef = Field(description="The signing secret (whsec_...), by reference")


class MonitorConfig(_Section):
    """A business SLA check: an alert is raised once when it breaks and clears by itself.

    ``kind: stuck`` watches entities of one domain in a status for longer than ``after``
    (unless ``missing`` or ``until`` is satisfied); ``kind: silent`` watches a source that has
    sent nothing for ``after``.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, hide_input_in_errors=True, validate_by_name=True
    )

    name: Name = Field(description="Unique; the alert's and the metric label's name")
    kind: Literal["stuck", "silent"] = Field(
        description="stuck: entities in one status too long; silent: a source quiet too long"
    )
    after: Duration = Field(description="How long before it breaks: 90s, 15m, 2h, 1d")
    entity: Name | None = Field(default=None, description="stuck: the domain watched")
    in_: InStatus | None = Field(default=None, alias="in", description="stuck: the status")
    missing: Missing | None = Field(
        default=None, description="stuck: breaks unless the order has this other entity"
    )
    until: Until | None = Field(
        default=None, description="stuck: breaks unless this system has reported the status"
    )
    source: Name | None = Field(default=None, description="silent: the system listened to")
    webhook: MonitorWebhookConfig | None = Field(default=None, description="Post alerts here too")

    @model_validator(mode="after")
    def _fits_its_kind(self) -> Self:
        if self.kind == "silent":
            if self.source is None:
                raise _error("silent_monitor", "a silent monitor names its source")
            extra = [k for k in ("entity", "in_", "missing", "until") if getattr(self, k)]
            if extra:
                names = ", ".join(k.rstrip("_") for k in extra)
                raise _error("silent_monitor", f"a silent monitor has no {names}")
            return self
        if self.entity is None or self.in_ is None:
            raise _error("stuck_monitor", "a stuck monitor names its entity and in: {status: ...}")
        if self.source is not None:
            raise _error("stuck_monitor", "a stuck monitor has no source (that is kind: silent)")
        if self.missing is not None and self.until is not None:
            raise _error("stuck_monitor", "give missing or until, not both")
        _check_status(self.entity, self.in_.status)
        return self


def unique_names(monitors: list[MonitorConfig]) -> list[MonitorConfig]:
    seen: set[str] = set()
    for monitor in monitors:
        if monitor.name in seen:
            raise _error("duplicate_monitor", f"two monitors are named '{monitor.name}'")
        seen.add(monitor.name)
    return monitors


Monitors = Annotated[list[MonitorConfig], AfterValidator(unique_names)]
