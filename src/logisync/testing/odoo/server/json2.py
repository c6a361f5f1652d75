"""JSON-2, Odoo 19's external API (``rpc/controllers/json2.py``, ``api_doc``): absent, so 404,
on older versions.

``POST /json/2/<model>/<method>`` with ``Authorization: bearer <API key>`` (a password is not
a key: 401 "Invalid apikey"). The body holds named arguments, plus ``ids`` for methods on
records and ``context``; the backend's ``method_parameters`` says whether a method takes ids.
Success is the bare JSON result; an error is ``serialize_exception``'s object with the status
the exception carries (401, 403, 404, 409, 422, 500). ``GET /doc-bearer/<model>.json`` lists a
model's fields and methods, which odoo-client-lib reads to name positional arguments.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from logisync.testing.odoo.errors import OdooError, ServerAttributeError, ServerTypeError
from logisync.testing.odoo.server.site import Exchange, OdooSite
from logisync.testing.odoo.server.wire import (
    BadRequest,
    NotFound,
    Unauthorized,
    UnprocessableEntity,
    json_bytes,
    serialized,
)

_ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]
_DOCUMENTED_METHODS = (
    "search", "search_read", "search_count", "read", "create", "write", "unlink", "copy",
    "fields_get", "default_get", "name_search", "name_create", "load", "export_data",
    "read_group", "context_get", "check_object_reference", "get_external_id",
    "action_confirm", "action_cancel", "button_validate", "process", "process_cancel_backorder",
    "action_post", "action_apply_inventory", "create_invoices",
)  # fmt: skip
_FIELD_ATTRIBUTES = ["type", "string", "required", "readonly", "relation", "selection"]


def error_response(error: OdooError) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthorized) else {}
    return Response(
        json_bytes(serialized(error, json2=True)),
        status_code=error.json2_status,
        headers=headers,
        media_type="application/json",
    )


def bearer_uid(exchange: Exchange, request: Request) -> int:
    """The API key's user; the database header, when given, must name this database."""
    database = request.headers.get("x-odoo-database")
    if database is not None and database != exchange.backend.database:
        raise NotFound()
    match = re.match(r"^bearer\s+(.+)$", request.headers.get("authorization", ""), re.IGNORECASE)
    if match is None:
        raise Unauthorized('User not authenticated, use the "Authorization" header')
    uid = exchange.backend.uid_for_api_key(match.group(1).strip())
    if uid is None:
        raise Unauthorized("Invalid apikey")
    return uid


def _body(request: Request, raw: bytes) -> dict[str, Any]:
    mimetype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if mimetype != "application/json":
        raise BadRequest(
            "Request inferred type is compatible with ['http'] but '/json/2/<model>/<method>' "
            "is type='/json/2/rpc'.\n\nPlease verify the Content-Type request header and try again."
        )
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise BadRequest(f"could not parse the body as json: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("could not parse the body, expecting a json object")
    return body


def _takes_ids(exchange: Exchange, model: str, method: str) -> bool:
    if model not in exchange.backend.models():
        raise NotFound(f"the model {model!r} does not exist")
    try:
        return exchange.backend.method_parameters(model, method)[1]
    except ServerAttributeError as error:
        raise NotFound(error.message) from None


def _call(exchange: Exchange, request: Request, raw: bytes) -> Any:
    model, method = request.path_params["model"], request.path_params["method"]
    body = _body(request, raw)
    uid = bearer_uid(exchange, request)
    ids = body.pop("ids", [])
    context = body.pop("context", None)
    takes_ids = _takes_ids(exchange, model, method)
    if ids and not takes_ids:
        raise UnprocessableEntity(f"cannot call {model}.{method} with ids")
    if isinstance(ids, int):
        ids = [ids]
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise UnprocessableEntity("ids must be a list of record ids")
    kwargs = body if context is None else {**body, "context": context}
    try:
        return exchange.execute(uid, model, method, [ids] if takes_ids else [], kwargs)
    except ServerTypeError as error:
        # JSON-2 binds the named arguments to the method's signature before calling it.
        raise UnprocessableEntity(error.message) from None


def _respond(exchange: Exchange, request: Request, raw: bytes) -> Response:
    try:
        result = _call(exchange, request, raw)
    except OdooError as error:
        return error_response(error)
    return Response(json_bytes(result), media_type="application/json")


def model_doc(exchange: Exchange, uid: int, model: str) -> dict[str, Any]:
    """The part of ``/doc-bearer/<model>.json`` clients read: fields, and per method its
    parameters and whether it is an ``@api.model`` method."""
    backend = exchange.backend
    if model not in backend.models():
        raise NotFound(f"the model {model!r} does not exist")
    domain = [["model", "=", model]]
    described = backend.execute(uid, "ir.model", "search_read", [domain], {"fields": ["name"]})
    methods: dict[str, Any] = {}
    for method in _DOCUMENTED_METHODS:
        try:
            parameters, takes_ids = backend.method_parameters(model, method)
        except OdooError:
            continue
        methods[method] = {
            "signature": f"({', '.join(parameters)})",
            "parameters": {name: {} for name in parameters},
            "api": [] if takes_ids else ["model"],
        }
    return {
        "model": model,
        "name": described[0]["name"] if described else model,
        "fields": backend.execute(uid, model, "fields_get", [], {"attributes": _FIELD_ATTRIBUTES}),
        "methods": methods,
    }


def json2_routes(site: OdooSite) -> list[Route]:
    if site.version < 19:
        return []

    async def rpc(request: Request) -> Response:
        raw = await request.body()
        model, method = request.path_params["model"], request.path_params["method"]
        keys = ["json2", f"{model}.{method}"]
        return await site.answer(request, keys, lambda ex: _respond(ex, request, raw))

    async def misdirected(request: Request) -> Response:
        site.calls.count(["json2"])
        return error_response(NotFound("Did you mean POST /json/2/<model>/<method>?"))

    async def doc(request: Request) -> Response:
        def respond(exchange: Exchange) -> Response:
            try:
                uid = bearer_uid(exchange, request)
                body = model_doc(exchange, uid, request.path_params["model"])
            except OdooError as error:
                return error_response(error)
            return Response(json_bytes(body), media_type="application/json")

        return await site.answer(request, ["json2", "doc_bearer"], respond)

    return [
        Route("/json/2/{model}/{method}", rpc, methods=["POST"]),
        Route("/json/2", misdirected, methods=_ALL_METHODS),
        Route("/json/2/{subpath:path}", misdirected, methods=_ALL_METHODS),
        Route("/doc-bearer/{model}.json", doc, methods=["GET"]),
    ]
