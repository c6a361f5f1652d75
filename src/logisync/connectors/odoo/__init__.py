"""The Odoo connector: a delivery target that writes canonical state into Odoo 16-19.

See ``target`` for how a batch becomes a handful of calls, ``rpc`` for the three protocols
and ``failures`` for which Odoo errors are retried.
"""

from __future__ import annotations

from collections.abc import Mapping

from logisync.config import SystemConfig
from logisync.connectors.odoo.failures import OdooCallFailed
from logisync.connectors.odoo.rpc import Json2, JsonRpc, OdooRpc, XmlRpc
from logisync.connectors.odoo.settings import (
    OdooSettings,
    major_version,
    odoo_settings,
    open_rpc,
)
from logisync.connectors.odoo.target import OdooTarget

__all__ = [
    "Json2",
    "JsonRpc",
    "OdooCallFailed",
    "OdooRpc",
    "OdooSettings",
    "OdooTarget",
    "XmlRpc",
    "odoo_settings",
    "odoo_target",
    "open_rpc",
]


def odoo_target(
    name: str, system: SystemConfig, environ: Mapping[str, str] | None = None
) -> OdooTarget:
    """The delivery target for the Odoo system configured as ``name``."""
    rpc = open_rpc(name, system, environ)
    return OdooTarget(rpc, odoo_settings(name, system), major_version(name, system.version))
