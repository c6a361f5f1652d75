"""An Odoo system's settings, read from its entry under ``systems:`` in the configuration.

```yaml
odoo: {kind: odoo, url: https://erp.example.com, version: 18, database: prod,
       user: env:ODOO_USER, password: env:ODOO_PASSWORD, rate_limit: 20/s}
```

Version 19 defaults to JSON-2 with ``api_key``; 16-18 to JSON-RPC with ``password`` (an API
key works there as the password too). ``protocol`` overrides the choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from logisync.config import SystemConfig
from logisync.config.secret_refs import is_secret_reference, resolve_secret
from logisync.connectors.odoo.rpc import PROTOCOLS, OdooRpc
from logisync.errors import InvalidConfig, Problem
from logisync.model.entities.logistics import Milestone

SUPPORTED_VERSIONS = (16, 17, 18, 19)


class OdooSettings(BaseModel):
    """What the connector needs besides the common system keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    database: str = Field(min_length=1)
    user: str = Field(min_length=1, description="Login, or an env:/file: reference to it")
    protocol: Literal["xmlrpc", "jsonrpc", "json2"] | None = None
    timeout_seconds: float = Field(default=30.0, gt=0)
    batch: int = Field(default=100, ge=1, le=1000, description="Records per Odoo call")
    module: str = Field(
        default="logisync", pattern=r"^[a-z_][a-z0-9_]*$", description="External id module"
    )
    picking_type: str = Field(
        default="stock.picking_type_out", description="External id of the delivery type"
    )
    locations: dict[str, str] = Field(
        default_factory=dict,
        description="Canonical stock location -> external id of the Odoo stock.location",
    )
    poll: list[Literal["partner", "product", "sales_order", "shipment", "invoice"]] = Field(
        default_factory=list, description="Canonical domains `logisync poll` reads from Odoo"
    )
    poll_interval_seconds: float = Field(default=10.0, gt=0)
    poll_overlap_seconds: float = Field(
        default=180.0,
        ge=0,
        description="Re-read this far back: longer than Odoo's longest write transaction",
    )
    pickings: Literal["hub", "odoo"] = Field(
        default="hub",
        description=(
            "hub: the hub creates a picking per shipment; odoo: Odoo made it when the order "
            "was confirmed, and the hub completes the order's open delivery order"
        ),
    )
    validate_from: Milestone = Field(
        default="picked_up",
        description="The shipment milestone from which the picking is validated in Odoo",
    )
    milestone_field: str | None = Field(
        default=None,
        pattern=r"^x_\w+$",
        description=(
            "A custom char field of stock.picking (x_..., e.g. added with Studio) where the "
            "hub writes the shipment's carrier milestone; Odoo has none of its own"
        ),
    )


Issue = tuple[tuple[str | int, ...], str]
"""A place in the configuration (``("systems", "odoo", "database")``) and what is wrong there."""


def settings_issues(name: str, system: SystemConfig) -> list[Issue]:
    """Everything wrong with an Odoo system's entry, for ``check-config`` and for startup.

    A system without a ``url`` is only declared (as an owner of data, say): the hub does not
    connect to it and its deliveries wait, so there is nothing more to check.
    """
    issues: list[Issue] = []
    here = ("systems", name)
    if not system.url:
        return issues
    try:
        settings = OdooSettings.model_validate(_own_keys(system))
    except ValidationError as error:
        for item in error.errors(include_url=False, include_input=False):
            sentence = item["msg"]
            if item["type"] == "missing":
                sentence = "missing: an Odoo system needs it"
            elif item["type"] == "extra_forbidden":
                sentence = "not a setting of Odoo systems (see the Odoo connector's settings)"
            issues.append(((*here, *item["loc"]), sentence))
        settings = None
    version = _major(system.version)
    if version is None:
        issues.append(
            (
                (*here, "version"),
                f"Odoo version {system.version!r} is not supported; use one of 16, 17, 18, 19",
            )
        )
    if settings is not None and version is not None:
        protocol = settings.protocol or ("json2" if version >= 19 else "jsonrpc")
        if protocol == "json2" and version < 19:
            issues.append(((*here, "protocol"), "JSON-2 exists from Odoo 19 on"))
        elif protocol == "json2" and system.api_key is None:
            issues.append((here, "JSON-2 needs an api_key (env:NAME or file:/path)"))
        elif system.password is None and system.api_key is None:
            issues.append((here, f"{protocol} needs a password or an api_key (env: or file:)"))
    return issues


def odoo_settings(name: str, system: SystemConfig) -> OdooSettings:
    """The Odoo-specific settings of ``system``; ``InvalidConfig`` names each mistake."""
    issues = settings_issues(name, system)
    if issues:
        raise InvalidConfig(
            [Problem(".".join(str(part) for part in loc), sentence) for loc, sentence in issues]
        )
    return OdooSettings.model_validate(_own_keys(system))


def open_rpc(name: str, system: SystemConfig, environ: Mapping[str, str] | None = None) -> OdooRpc:
    """An RPC client for ``system``, its secrets resolved now (they are needed now)."""
    settings = odoo_settings(name, system)
    version = major_version(name, system.version)
    protocol = settings.protocol or ("json2" if version >= 19 else "jsonrpc")
    secret_ref = system.api_key if protocol == "json2" else (system.password or system.api_key)
    user = settings.user
    if is_secret_reference(user):
        user = resolve_secret(user, environ=environ)
    return PROTOCOLS[protocol](
        str(system.url),
        settings.database,
        user,
        resolve_secret(str(secret_ref), environ=environ),
        timeout_seconds=settings.timeout_seconds,
    )


def major_version(name: str, version: Any) -> int:
    """16-19 from ``version: 18``, ``"18.0"``, ``"saas~18.3"``."""
    major = _major(version)
    if major is None:
        raise InvalidConfig(
            [Problem(f"systems.{name}.version", f"Odoo version {version!r} is not supported")]
        )
    return major


def _major(version: Any) -> int | None:
    try:
        major = int(str(version).removeprefix("saas~").split(".", 1)[0])
    except ValueError:
        return None
    return major if major in SUPPORTED_VERSIONS else None


def _own_keys(system: SystemConfig) -> dict[str, Any]:
    common = {"verify"}
    return {key: value for key, value in system.settings.items() if key not in common}
