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
    poll: list[Literal["partner", "product", "sales_order", "shipment", "invoice"]] = Field(
        default_factory=list, description="Canonical domains `logisync poll` reads from Odoo"
    )
    poll_interval_seconds: float = Field(default=10.0, gt=0)
    poll_overlap_seconds: float = Field(
        default=180.0,
        ge=0,
        description="Re-read this far back: longer than Odoo's longest write transaction",
    )
    validate_from: str = Field(
        default="picked_up",
        description="The shipment milestone from which the picking is validated in Odoo",
    )


def odoo_settings(name: str, system: SystemConfig) -> OdooSettings:
    """Validate the Odoo-specific keys of ``system``; ``InvalidConfig`` names each mistake."""
    known = {"verify", "rate_limit", "concurrency"}
    extra = {k: v for k, v in system.settings.items() if k not in known}
    try:
        return OdooSettings.model_validate(extra)
    except ValidationError as error:
        problems = [
            Problem(
                f"systems.{name}.{'.'.join(str(p) for p in e['loc'])}",
                e["msg"],
            )
            for e in error.errors()
        ]
        raise InvalidConfig(problems) from None


def open_rpc(name: str, system: SystemConfig, environ: Mapping[str, str] | None = None) -> OdooRpc:
    """An RPC client for ``system``, its secrets resolved now (they are needed now)."""
    settings = odoo_settings(name, system)
    version = major_version(name, system.version)
    if not system.url:
        raise InvalidConfig([Problem(f"systems.{name}.url", "an Odoo system needs its url")])
    protocol = settings.protocol or ("json2" if version >= 19 else "jsonrpc")
    secret_ref = system.api_key if protocol == "json2" else (system.password or system.api_key)
    if secret_ref is None:
        key = "api_key" if protocol == "json2" else "password"
        raise InvalidConfig([Problem(f"systems.{name}.{key}", f"{protocol} needs a {key}")])
    if protocol == "json2" and version < 19:
        raise InvalidConfig([Problem(f"systems.{name}.protocol", "JSON-2 exists from Odoo 19 on")])
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
    try:
        major = int(str(version).split(".", 1)[0].removeprefix("saas~"))
    except ValueError:
        major = 0
    if major not in SUPPORTED_VERSIONS:
        raise InvalidConfig(
            [
                Problem(
                    f"systems.{name}.version",
                    f"Odoo version {version!r} is not supported; use one of 16, 17, 18, 19",
                )
            ]
        )
    return major
