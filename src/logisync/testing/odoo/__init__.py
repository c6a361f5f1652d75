"""An Odoo test server: Odoo's wire protocols over a small ORM that keeps its data in SQLite.

A real Odoo cannot be installed where the hub's tests run, so this package stands in for it,
faithfully enough that ``xmlrpc.client``, ``odoorpc`` and the hub's own connector cannot tell
the difference for what integrations do (see ../shared/ODOO.md for the facts it follows).

Layers: ``errors`` (Odoo's exceptions, and how each protocol shapes them), ``backend`` (the
port between the protocols and the ORM), the ORM engine (``orm``), the protocol server
(``server``) with fault injection (``faults``), and ``running`` to serve it all on loopback:

    with odoo_sim(18, faults=FaultPlan(error_rate=0.1, seed=1)) as odoo:
        xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/common").version()

The public names are imported on first use, so that importing ``errors`` alone (as the engine
does) does not load the web server.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from logisync.testing.odoo.faults import FaultPlan, MaintenanceWindow
    from logisync.testing.odoo.running import OdooSim, OdooUser, odoo_sim
    from logisync.testing.odoo.server import OdooApp, SimControl, create_odoo_app

__all__ = [
    "FaultPlan",
    "MaintenanceWindow",
    "OdooApp",
    "OdooSim",
    "OdooUser",
    "SimControl",
    "create_odoo_app",
    "odoo_sim",
]

_HOMES = {
    "FaultPlan": "faults",
    "MaintenanceWindow": "faults",
    "OdooSim": "running",
    "OdooUser": "running",
    "odoo_sim": "running",
    "OdooApp": "server",
    "SimControl": "server",
    "create_odoo_app": "server",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
