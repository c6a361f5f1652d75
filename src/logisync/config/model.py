"""The configuration of one hub as a validated pydantic model.

``HubConfig`` is what the YAML file means: where the store is, which systems exist, who owns
which data (``ownership``) and which facts flow where (``flows``). Every check that needs only
one value (a URL, a rate limit, a known event type) lives on the field's type; checks that
relate sections to each other (an owner must be a declared system) live in
``logisync.config.references`` and run both here and in the loader, which needs them on the raw
document to report them together with the type errors.

Sections are strict (an unknown key is an error, so a typo never silently disables a rule),
except a system: its kind-specific keys (``database``, ``inbox``...) are kept for the connector
of that kind, which validates them.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from logisync.config.monitors import Monitors
from logisync.config.references import (
    dotted,
    known_domains,
    known_event_pattern,
    reference_issues,
)
from logisync.config.retention import RetentionConfig
from logisync.config.secret_refs import SecretRef, SystemSetting
from logisync.core.rules import (
    DeliveryMode,
    DomainOwnership,
    FieldRule,
    Flow,
    OwnershipMap,
    Policy,
    Priority,
    Rules,
)
from logisync.model.catalogue import entity_fields
from logisync.model.stewardship import STEWARD

DEFAULT_STORE = "sqlite:///logisync.db"
"""The embedded default: one SQLite file in the working directory."""

_SYSTEM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_RATE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*/\s*(s|sec|second|m|min|minute|h|hour)\s*$")
_SECONDS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60}


def _error(kind: str, sentence: str) -> PydanticCustomError:
    # Without a context the template is not formatted, so braces in a sentence print as they are.
    return PydanticCustomError(kind, sentence)


def _store_url(value: str) -> str:
    """Only the backends the hub has; the value is not quoted back, it may hold a password."""
    if value.startswith("sqlite:///") and len(value) > len("sqlite:///"):
        return value
    if value.startswith("postgresql://") and len(value) > len("postgresql://"):
        return value
    raise _error(
        "store_url",
        "the store must be sqlite:///PATH (one file, the default) or postgresql://HOST/DATABASE",
    )


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _error("http_url", "must be an http:// or https:// URL with a host name")
    if parts.username or parts.password:
        raise _error(
            "http_url",
            "a URL must not carry credentials; give them by reference in password or token",
        )
    return value


def _version_text(value: object) -> object:
    """``version: 18`` is a number in YAML but a label to us."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _per_second(value: object) -> object:
    """``20/s``, ``600/min`` or ``5000/h`` become requests per second."""
    if not isinstance(value, str):
        raise _error("rate_limit", "must look like 20/s, 600/min or 5000/h")
    match = _RATE.match(value)
    if match is None:
        raise _error("rate_limit", "must look like 20/s, 600/min or 5000/h")
    count, unit = float(match.group(1)), match.group(2)
    if count <= 0:
        raise _error("rate_limit", "must allow more than zero requests")
    return count / _SECONDS.get(unit, 3600)


def _one_or_many(value: object) -> object:
    """``owner: odoo`` is shorthand for ``owner: [odoo]``."""
    return [value] if isinstance(value, str) else value


def _system_name(name: str) -> str:
    if not _SYSTEM_NAME.match(name):
        raise _error(
            "system_name",
            "a system name uses lower-case letters, digits and underscores, starting with a "
            "letter (it appears in entity keys and metric labels)",
        )
    if name == STEWARD:
        raise _error(
            "reserved_system",
            f"'{STEWARD}' is reserved for the hub's data steward decisions (accepted on the "
            "dashboard, allowed to set every governed field); give this system another name",
        )
    return name


def _ownership_key(key: str) -> str:
    """``domain`` or ``domain.field``, both known to the canonical model."""
    domain, dot, field = key.partition(".")
    domains = known_domains()
    if domain not in domains:
        raise _error(
            "unknown_domain",
            f"'{domain}' is not a domain of the canonical model; "
            f"the domains are {', '.join(sorted(domains))}",
        )
    if dot and field not in entity_fields(domain):
        raise _error(
            "unknown_field",
            f"{domain} has no field '{field}'; "
            f"its fields are {', '.join(sorted(entity_fields(domain)))}",
        )
    return key


def _event_pattern(pattern: str) -> str:
    problem = known_event_pattern(pattern)
    if problem:
        raise _error("unknown_event_type", problem)
    return pattern


_POLICY = (
    "For writers other than the owner: owner_only (refused, a conflict is recorded), "
    "fill_if_empty (they may fill it while empty), propose (queued for a data steward)"
)

Name = Annotated[str, Field(min_length=1)]
Owners = Annotated[tuple[Name, ...], BeforeValidator(_one_or_many), Field(min_length=1)]
EventPattern = Annotated[str, AfterValidator(_event_pattern)]


class _Section(BaseModel):
    """A strict, immutable section; inputs are never quoted in errors (they may be secrets)."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


class SystemConfig(BaseModel):
    """One external system: how to reach it, how hard to push it, and its secrets by reference.

    Keys other than the common ones are kind-specific settings (see ``settings``); secrets
    nested in them (``verify: {secret: env:UPS_SECRET}``) must be references too.
    """

    model_config = ConfigDict(extra="allow", frozen=True, hide_input_in_errors=True)
    __pydantic_extra__: dict[str, SystemSetting] = Field(init=False)

    kind: Name = Field(
        description="Which connector serves it: odoo, webhook, null, wms, tms, shopify, ups, "
        "fedex, dhl, usps, x12, edifact, csv, xlsx, nats (see Systems by kind)"
    )
    url: Annotated[str, AfterValidator(_http_url)] | None = Field(
        default=None, description="Its API's base URL (http or https, no credentials in it)"
    )
    version: Annotated[str, BeforeValidator(_version_text)] | None = Field(
        default=None, description="Its API version, e.g. Odoo 16-19 or Shopify 2025-01"
    )
    rate_limit: Annotated[float, BeforeValidator(_per_second)] | None = Field(
        default=None, description="Requests per second; written as 20/s, 600/min or 5000/h"
    )
    concurrency: int = Field(
        default=1, ge=1, strict=True, description="Deliveries in flight at once to it"
    )
    password: SecretRef | None = Field(default=None, description="Login password (Odoo)")
    secret: SecretRef | None = Field(default=None, description="A shared signing secret")
    token: SecretRef | None = Field(default=None, description="A bearer/access token")
    api_key: SecretRef | None = Field(default=None, description="An API key it issued to us")
    auth: SecretRef | None = Field(default=None, description="An Authorization header value, whole")

    @property
    def settings(self) -> dict[str, Any]:
        """The kind-specific keys, for the connector of this kind to validate."""
        return dict(self.model_extra or {})


class FieldOwnership(_Section):
    """Who owns one field, overriding the domain's owner."""

    owner: Owners = Field(description="The system (or systems) of record for this field")
    policy: Policy = Field(default="owner_only", description=_POLICY)


class OwnershipEntry(_Section):
    """Who owns a domain (``partner``) or one field of it (``shipment.status``). A value the
    owner did not send is refused (a conflict) or queued (a proposal); a data steward accepts
    or rejects it on the dashboard, and an accepted value is set as if its owner had sent it
    (by the reserved system ``steward``, which needs no entry here).
    """

    owner: Owners | None = Field(
        default=None, description="The system (or systems) of record: only they may set it"
    )
    policy: Policy = Field(default="owner_only", description=_POLICY)
    fields: dict[str, FieldOwnership] = Field(
        default_factory=dict, description="Fields owned by another system than the domain"
    )

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if self.owner is None and not self.fields:
            raise _error("empty_ownership", "give an owner, or fields with their owners")
        return self


class FlowConfig(_Section):
    """Facts of some event types go to one target system."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, hide_input_in_errors=True, validate_by_name=True
    )

    name: Name = Field(description="Shown in deliveries, traces and metrics")
    on: Annotated[tuple[EventPattern, ...], BeforeValidator(_one_or_many), Field(min_length=1)] = (
        Field(description="Event types, or patterns like shipment.*")
    )
    to: Name = Field(description="The target system")
    mode: DeliveryMode = Field(
        default="state",
        description="state: one write of the entity's latest state (pending changes "
        "coalesce); event: every event delivered, in order",
    )
    priority: Literal["high", "normal", "low"] = Field(
        default="normal", description="Workers take high first, without starving low"
    )
    sources: Owners | None = Field(
        default=None, alias="from", description="Only facts from these systems (default: all)"
    )


class HubConfig(_Section):
    """The whole configuration of one hub; build it with ``load_config``.

    ``LOGISYNC_STORE`` in the environment overrides ``store`` (applied by the loader).
    """

    store: Annotated[str, AfterValidator(_store_url)] = Field(
        default=DEFAULT_STORE,
        description="sqlite:///PATH (embedded, one file) or postgresql://HOST/DATABASE",
    )
    systems: dict[Annotated[str, AfterValidator(_system_name)], SystemConfig] = Field(
        default_factory=dict,
        description="Every system the hub talks to, by name (steward is reserved: the data "
        "steward's accepted values, which may set every governed field)",
    )
    ownership: dict[Annotated[str, AfterValidator(_ownership_key)], OwnershipEntry] = Field(
        default_factory=dict, description="Who may set what: domain or domain.field -> owner"
    )
    flows: list[FlowConfig] = Field(
        default_factory=list, description="Which facts go to which target, and how"
    )
    monitors: Monitors = Field(
        default_factory=list, description="Business SLA checks that raise and clear alerts"
    )
    retention: RetentionConfig = Field(
        default_factory=RetentionConfig, description="How long growing records are kept"
    )

    @model_validator(mode="after")
    def _references_hold(self) -> Self:
        issues = reference_issues(self.model_dump(by_alias=True))
        if issues:
            summary = "; ".join(f"{dotted(issue.loc)}: {issue.sentence}" for issue in issues)
            raise _error("config_reference", summary)
        return self

    def rules(self) -> Rules:
        """The frozen rules the processor applies; ``domain.field`` entries join their domain."""
        defaults: dict[str, FieldRule | None] = {}
        fields: dict[str, dict[str, FieldRule]] = {}
        for key, entry in self.ownership.items():
            domain, _, field = key.partition(".")
            rule = None if entry.owner is None else FieldRule(frozenset(entry.owner), entry.policy)
            fields.setdefault(domain, {})
            if field:
                if rule is not None:
                    fields[domain][field] = rule
            else:
                defaults[domain] = rule
                for name, owned in entry.fields.items():
                    fields[domain][name] = FieldRule(frozenset(owned.owner), owned.policy)
        ownership = OwnershipMap(
            {
                domain: DomainOwnership(default=defaults.get(domain), fields=fields[domain])
                for domain in fields
            }
        )
        flows = tuple(
            Flow(
                name=flow.name,
                on=flow.on,
                to=flow.to,
                mode=flow.mode,
                priority=Priority[flow.priority.upper()],
                sources=None if flow.sources is None else frozenset(flow.sources),
            )
            for flow in self.flows
        )
        return Rules(ownership=ownership, flows=flows)
