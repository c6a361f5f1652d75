"""JSON-RPC: ``POST /jsonrpc`` and the envelope every ``type='json'`` route shares (the
``/web`` routes too), after Odoo's ``JsonRPCDispatcher``.

A call is ``{"jsonrpc": "2.0", "method": "call", "params": {...}, "id": n}``. The answer is
HTTP 200 with ``result`` (left out when None) or ``error``: ``code`` 200 for a server error
in 16-18 and 0 in 19, 404 "404: Not Found", 100 "Odoo Session Expired", and ``data`` as
``serialize_exception`` makes it. A body that is not JSON is refused with a bare 400, as Odoo
does before its error handling starts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from logisync.testing.odoo.errors import OdooError, ServerTypeError
from logisync.testing.odoo.server.services import dispatch_rpc, orm_target
from logisync.testing.odoo.server.site import Exchange, OdooSite
from logisync.testing.odoo.server.wire import NotFound, SessionExpired, json_bytes, serialized


@dataclass(frozen=True)
class JsonCall:
    """A parsed JSON-RPC request: its id and params, or the bare 400 that refuses it."""

    id: Any = None
    params: dict[str, Any] | None = None
    refusal: Response | None = None


async def read_call(request: Request) -> JsonCall:
    try:
        body = json.loads(await request.body())
    except ValueError:
        return JsonCall(refusal=Response("Invalid JSON data", status_code=400))
    if not isinstance(body, dict) or not isinstance(body.get("params", {}), dict):
        return JsonCall(refusal=Response("Invalid JSON-RPC data", status_code=400))
    return JsonCall(id=body.get("id"), params=dict(body.get("params", {})))


def bind(route: str, params: dict[str, Any], required: tuple[str, ...]) -> list[Any]:
    """The route's required parameters in order, or the TypeError Odoo's call gives. Extra
    parameters are ignored, as Odoo's route wrapper ignores them (with a warning)."""
    missing = [name for name in required if name not in params]
    if missing:
        names = " and ".join(repr(name) for name in missing)
        plural = "s" if len(missing) > 1 else ""
        raise ServerTypeError(
            f"{route}() missing {len(missing)} required positional argument{plural}: {names}"
        )
    return [params[name] for name in required]


def error_object(version: int, error: OdooError) -> dict[str, Any]:
    if isinstance(error, NotFound):
        code, message = 404, "404: Not Found"
    elif isinstance(error, SessionExpired):
        code, message = 100, "Odoo Session Expired"
    else:
        code, message = (0 if version >= 19 else 200), "Odoo Server Error"
    return {"code": code, "message": message, "data": serialized(error)}


def envelope(
    version: int, request_id: Any, result: Any = None, error: OdooError | None = None
) -> Response:
    answer: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id}
    if error is not None:
        answer["error"] = error_object(version, error)
    elif result is not None:
        answer["result"] = result
    return Response(json_bytes(answer), media_type="application/json")


def json_answer(
    exchange: Exchange, call: JsonCall, produce: Callable[[dict[str, Any]], Any]
) -> Response:
    """Run a route's work and wrap its result or its Odoo error in the envelope."""
    version = exchange.site.version
    try:
        return envelope(version, call.id, produce(call.params or {}))
    except OdooError as error:
        return envelope(version, call.id, error=error)


def jsonrpc_routes(site: OdooSite) -> list[Route]:
    def produce(exchange: Exchange) -> Callable[[dict[str, Any]], Any]:
        def run(params: dict[str, Any]) -> Any:
            service, method, args = bind("jsonrpc", params, ("service", "method", "args"))
            if not isinstance(args, list):
                raise ServerTypeError(f"args must be a list, not {type(args).__name__}")
            return dispatch_rpc(exchange, service, method, args)

        return run

    async def endpoint(request: Request) -> Response:
        site.warn_deprecated("/jsonrpc")
        call = await read_call(request)
        if call.refusal is not None:
            site.calls.count(["jsonrpc"])
            return call.refusal
        return await site.answer(
            request, _keys(call.params or {}), lambda ex: json_answer(ex, call, produce(ex))
        )

    return [Route("/jsonrpc", endpoint, methods=["POST"])]


def _keys(params: dict[str, Any]) -> list[str]:
    keys = ["jsonrpc"]
    service, method, args = params.get("service"), params.get("method"), params.get("args")
    if isinstance(service, str) and isinstance(method, str):
        keys.append(f"{service}.{method}")
        if isinstance(args, list) and (target := orm_target(service, method, args)):
            keys.append(".".join(target))
    return keys
