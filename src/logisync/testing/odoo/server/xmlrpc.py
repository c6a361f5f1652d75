"""XML-RPC: ``POST /xmlrpc/2/<service>`` with integer faultCodes and the legacy
``POST /xmlrpc/<service>`` with string faultCodes (``base/controllers/rpc.py``).

Always HTTP 200 and text/xml. The answer is marshalled after the call committed, with
``allow_none=False`` as Odoo does: a method returning None commits, then faults (code 1,
"cannot marshal None unless allow_none is enabled"), and so does a dict with integer keys.
"""

from __future__ import annotations

import xmlrpc.client
from datetime import date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from logisync.testing.odoo.errors import (
    AccessDenied,
    AccessError,
    OdooError,
    ServerTypeError,
    UserError,
)
from logisync.testing.odoo.server.services import dispatch_rpc, orm_target
from logisync.testing.odoo.server.site import Exchange, OdooSite
from logisync.testing.odoo.server.wire import server_traceback


def _as_odoo_marshals(value: Any) -> Any:
    """What Odoo's marshaller sends instead of XML-RPC's own types: datetimes and dates as
    its strings, bytes as text. Everything else is left for the stdlib marshaller to accept
    or refuse (None, integer dict keys)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, list | tuple):
        return [_as_odoo_marshals(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_odoo_marshals(item) for key, item in value.items()}
    return value


def marshal_result(result: Any) -> str:
    """A methodResponse for ``result``; raises Odoo's TypeError if it cannot be marshalled."""
    try:
        return xmlrpc.client.dumps((_as_odoo_marshals(result),), methodresponse=True)
    except TypeError as exc:
        raise ServerTypeError(str(exc)) from None


def fault_int(error: OdooError) -> xmlrpc.client.Fault:
    """``xmlrpc_handle_exception_int``: AccessError 4, AccessDenied 3, UserError 2 with the
    message; anything else 1 with the traceback."""
    if isinstance(error, AccessError | AccessDenied | UserError):
        return xmlrpc.client.Fault(error.fault_code, error.message)
    return xmlrpc.client.Fault(1, server_traceback(error))


def fault_string(error: OdooError) -> xmlrpc.client.Fault:
    """``xmlrpc_handle_exception_string``: the kind (and message) in the faultCode."""
    if isinstance(error, AccessDenied):
        return xmlrpc.client.Fault(error.legacy_fault, error.message)  # type: ignore[arg-type]
    if isinstance(error, AccessError | UserError):
        return xmlrpc.client.Fault(error.legacy_fault, "")  # type: ignore[arg-type]
    return xmlrpc.client.Fault(error.message, server_traceback(error))  # type: ignore[arg-type]


def _xml(text: str) -> Response:
    return Response(text, media_type="text/xml")


def _answer(exchange: Exchange, legacy: bool, service: str, parsed: Any) -> Response:
    make_fault = fault_string if legacy else fault_int
    try:
        if isinstance(parsed, OdooError):
            raise parsed
        params, method = parsed
        return _xml(marshal_result(dispatch_rpc(exchange, service, method, list(params))))
    except OdooError as error:
        return _xml(xmlrpc.client.dumps(make_fault(error), methodresponse=True))


def _parse(body: bytes) -> tuple[tuple[Any, ...], str] | OdooError:
    try:
        params, method = xmlrpc.client.loads(body)
    except Exception as exc:  # any parse failure is a fault 1, as in Odoo
        return OdooError(f"{type(exc).__name__}: {exc}")
    if method is None:
        return OdooError("the request names no method")
    return params, method


def xmlrpc_routes(site: OdooSite) -> list[Route]:
    async def endpoint(request: Request) -> Response:
        service = request.path_params["service"]
        legacy = not request.url.path.startswith("/xmlrpc/2/")
        site.warn_deprecated(request.url.path)
        parsed = _parse(await request.body())
        keys = ["xmlrpc"]
        if not isinstance(parsed, OdooError):
            params, method = parsed
            keys.append(f"{service}.{method}")
            if target := orm_target(service, method, list(params)):
                keys.append(".".join(target))
        return await site.answer(
            request, keys, lambda exchange: _answer(exchange, legacy, service, parsed)
        )

    return [
        Route("/xmlrpc/2/{service}", endpoint, methods=["POST"]),
        Route("/xmlrpc/{service}", endpoint, methods=["POST"]),
    ]
