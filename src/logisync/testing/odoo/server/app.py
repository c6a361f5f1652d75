"""``create_odoo_app``: the ASGI app that serves one Odoo database the way the Odoo version
its backend presents does (XML-RPC, JSON-RPC, the ``/web`` session routes, JSON-2 from 19),
behind an optional fault plan, with the simulator's admin routes beside it."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from logisync.core.clock import Clock
from logisync.testing.odoo.backend import OdooBackend
from logisync.testing.odoo.faults import FaultInjector, FaultPlan
from logisync.testing.odoo.server.admin import SimControl, admin_routes
from logisync.testing.odoo.server.json2 import json2_routes
from logisync.testing.odoo.server.jsonrpc import jsonrpc_routes
from logisync.testing.odoo.server.site import OdooSite
from logisync.testing.odoo.server.web import web_routes
from logisync.testing.odoo.server.wire import NotFound
from logisync.testing.odoo.server.xmlrpc import xmlrpc_routes

_DESCRIPTIONS = {
    404: NotFound.default_description,
    405: "The method is not allowed for the requested URL.",
}


class OdooApp(Starlette):
    """The served app, with ``control`` to change its faults and read its counters."""

    control: SimControl


def create_odoo_app(
    backend: OdooBackend,
    faults: FaultPlan | None = None,
    *,
    list_db: bool = True,
    clock: Clock | None = None,
) -> OdooApp:
    """Serve ``backend``. ``list_db=False`` is Odoo's ``list_db = False`` (listing the
    databases is AccessDenied); ``clock`` is the time maintenance windows are read against."""
    site = OdooSite(backend, FaultInjector(faults, clock=clock), list_db=list_db)
    control = SimControl(site)
    routes = [
        *xmlrpc_routes(site),
        *jsonrpc_routes(site),
        *web_routes(site),
        *json2_routes(site),
        *admin_routes(control),
    ]
    app = OdooApp(routes=routes, exception_handlers={HTTPException: _werkzeug_page})
    app.control = control
    return app


async def _werkzeug_page(request: Request, exc: Exception) -> Response:
    """Odoo answers an unknown path or a wrong HTTP method with werkzeug's HTML page."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    phrase = "Not Found" if status == 404 else "Method Not Allowed" if status == 405 else "Error"
    description = _DESCRIPTIONS.get(status, "")
    body = (
        f"<!doctype html>\n<html lang=en>\n<title>{status} {phrase}</title>\n"
        f"<h1>{phrase}</h1>\n<p>{description}</p>\n"
    )
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
    return Response(body, status_code=status, headers=headers, media_type="text/html")
