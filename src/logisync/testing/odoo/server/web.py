"""The ``/web`` routes that RPC clients use besides ``/jsonrpc`` (ODOO.md §5): odoorpc reads
``/web/webclient/version_info``; odooly lists databases, opens a session with
``/web/session/authenticate`` and calls ``/web/dataset/call_kw/<model>/<method>`` with the
``session_id`` cookie. They speak the JSON-RPC envelope; a route that needs a session answers
"Odoo Session Expired" (code 100) without one. ``GET /web/version`` exists from Odoo 19.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from logisync.testing.odoo.errors import AccessDenied, OdooError, ServerTypeError
from logisync.testing.odoo.server.jsonrpc import JsonCall, bind, envelope, read_call
from logisync.testing.odoo.server.services import exp_list, require_database
from logisync.testing.odoo.server.site import Exchange, OdooSite, WebSession
from logisync.testing.odoo.server.wire import NotFound, ServerKeyError, SessionExpired, json_bytes

SESSION_COOKIE = "session_id"
_SESSION_LIFETIME = 7 * 24 * 3600


@dataclass
class WebCall:
    """One ``/web`` JSON request as its route's work sees it."""

    request: Request
    exchange: Exchange
    params: dict[str, Any]
    opened_session: str | None = None

    def session(self) -> WebSession:
        session = self.exchange.site.session(self.request.cookies.get(SESSION_COOKIE))
        if session is None or session.db != self.exchange.backend.database:
            raise SessionExpired()
        return session


Work = Callable[[WebCall], Any]


def session_info(exchange: Exchange, session: WebSession) -> dict[str, Any]:
    """``ir.http.session_info()``, the part RPC clients read: uid, user_context, db."""
    backend, uid = exchange.backend, session.uid
    fields = ["name", "login", "partner_id", "company_id"]
    [user] = backend.execute(uid, "res.users", "read", [[uid], fields], {})
    version = backend.version_info()
    return {
        "uid": uid,
        "user_context": backend.execute(uid, "res.users", "context_get", [], {}),
        "db": session.db,
        "server_version": version["server_version"],
        "server_version_info": version["server_version_info"],
        "name": user["name"],
        "username": user["login"],
        "partner_id": _record_id(user["partner_id"]),
        "company_id": _record_id(user["company_id"]),
    }


def _record_id(value: Any) -> Any:
    return value[0] if isinstance(value, list) else value


def _authenticate(call: WebCall) -> dict[str, Any]:
    """A wrong password is AccessDenied here (not False as in ``common.login``)."""
    db, login, password = bind("authenticate", call.params, ("db", "login", "password"))
    require_database(call.exchange, db)
    uid = call.exchange.backend.login(db, login, password)
    if uid is False:
        raise AccessDenied()
    session = WebSession(db=db, uid=uid, login=login)
    info = session_info(call.exchange, session)
    call.opened_session = call.exchange.site.open_session(session)
    return info


def _destroy(call: WebCall) -> None:
    call.session()
    call.exchange.site.close_session(call.request.cookies[SESSION_COOKIE])


def _call_kw(call: WebCall) -> Any:
    """``DataSet.call_kw``; from 17 an unknown model is a 404 before the call (the route's
    read-only check looks the model up), in 16 it is the registry's KeyError."""
    session = call.session()
    model, method, args, kwargs = bind(
        "call_kw", call.params, ("model", "method", "args", "kwargs")
    )
    if model not in call.exchange.backend.models():
        raise NotFound() if call.exchange.site.version >= 17 else ServerKeyError(model)
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        raise ServerTypeError("call_kw() takes a list of args and a dict of kwargs")
    return call.exchange.execute(session.uid, model, method, args, kwargs)


def _respond(exchange: Exchange, request: Request, parsed: JsonCall, work: Work) -> Response:
    call = WebCall(request, exchange, parsed.params or {})
    version = exchange.site.version
    try:
        response = envelope(version, parsed.id, work(call))
    except OdooError as error:
        return envelope(version, parsed.id, error=error)
    if call.opened_session is not None:
        response.set_cookie(
            SESSION_COOKIE, call.opened_session, max_age=_SESSION_LIFETIME, httponly=True
        )
    return response


def _json_route(site: OdooSite, path: str, work: Work, *, orm: bool = False) -> Route:
    key = "web." + ".".join(path.split("/")[2:4])

    async def endpoint(request: Request) -> Response:
        parsed = await read_call(request)
        if parsed.refusal is not None:
            site.calls.count(["web", key])
            return parsed.refusal
        keys = ["web", key]
        params = parsed.params or {}
        if orm and isinstance(params.get("model"), str) and isinstance(params.get("method"), str):
            keys.append(f"{params['model']}.{params['method']}")
        return await site.answer(
            request, keys, lambda exchange: _respond(exchange, request, parsed, work)
        )

    return Route(path, endpoint, methods=["POST"])


def web_routes(site: OdooSite) -> list[Route]:
    routes = [
        _json_route(
            site, "/web/webclient/version_info", lambda c: c.exchange.backend.version_info()
        ),
        _json_route(site, "/web/database/list", lambda c: exp_list(c.exchange)),
        _json_route(site, "/web/session/authenticate", _authenticate),
        _json_route(
            site, "/web/session/get_session_info", lambda c: session_info(c.exchange, c.session())
        ),
        _json_route(site, "/web/session/destroy", _destroy),
        _json_route(site, "/web/dataset/call_kw", _call_kw, orm=True),
        _json_route(site, "/web/dataset/call_kw/{path:path}", _call_kw, orm=True),
    ]
    if site.version >= 19:
        routes.append(Route("/web/version", _version_endpoint(site), methods=["GET"]))
    return routes


def _version_endpoint(site: OdooSite) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        def respond(exchange: Exchange) -> Response:
            info = exchange.backend.version_info()
            body = {"version_info": info["server_version_info"], "version": info["server_version"]}
            return Response(json_bytes(body), media_type="application/json")

        return await site.answer(request, ["web", "web.version"], respond)

    return endpoint
