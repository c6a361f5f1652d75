"""Odoo's RPC services ``common``, ``db`` and ``object`` (``odoo/service/*.py``), shared by
XML-RPC and JSON-RPC exactly as Odoo's ``dispatch_rpc`` shares them.

The ``exp_*`` functions keep Odoo's names and parameters: a call with the wrong number of
arguments fails with the TypeError Odoo gives (``exp_login() missing 1 required positional
argument``), as a fault 1 with its traceback.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Literal

from logisync.testing.odoo.errors import (
    AccessDenied,
    OdooError,
    ServerTypeError,
    ServerValueError,
)
from logisync.testing.odoo.server.site import Exchange
from logisync.testing.odoo.server.wire import ServerKeyError, ServerNameError, UnknownDatabase

LANGUAGES = [
    ["en_US", "English (US)"],
    ["fr_FR", "French / Français"],
    ["de_DE", "German / Deutsch"],
]
_MASTER_DB_METHODS = (
    "create_database",
    "duplicate_database",
    "drop",
    "dump",
    "restore",
    "rename",
    "change_admin_password",
    "migrate_databases",
    "list_countries",
)


def dispatch_rpc(exchange: Exchange, service: str, method: str, params: list[Any]) -> Any:
    """Odoo's ``http.dispatch_rpc``: an unknown service is a KeyError (fault 1)."""
    services = {"common": _common, "db": _db, "object": _object}
    if service not in services:
        raise ServerKeyError(service)
    return services[service](exchange, method, params)


def orm_target(service: str, method: str, params: list[Any]) -> tuple[str, str] | None:
    """The model and method an object-service call names, for the call counters."""
    if service != "object" or method not in ("execute", "execute_kw") or len(params) < 5:
        return None
    model, model_method = params[3], params[4]
    if isinstance(model, str) and isinstance(model_method, str):
        return model, model_method
    return None


def _call(function: Callable[..., Any], exchange: Exchange, params: list[Any]) -> Any:
    """Call an ``exp_*`` function as Python would, a wrong arity being Odoo's TypeError."""
    try:
        inspect.signature(function).bind(exchange, *params)
    except TypeError as exc:
        raise ServerTypeError(f"{function.__name__}() {exc}") from None
    return function(exchange, *params)


def _common(exchange: Exchange, method: str, params: list[Any]) -> Any:
    functions: dict[str, Callable[..., Any]] = {
        "login": exp_login,
        "authenticate": exp_authenticate,
        "version": exp_version,
        "about": exp_about,
    }
    if method not in functions:
        raise OdooError(f"Method not found: {method}")
    return _call(functions[method], exchange, params)


def exp_version(exchange: Exchange) -> dict[str, Any]:
    return exchange.backend.version_info()


def exp_about(exchange: Exchange, extended: bool = False) -> Any:
    info = "See http://openerp.com"
    if extended:
        return [info, exchange.backend.version_info()["server_version"]]
    return info


def exp_login(exchange: Exchange, db: str, login: str, password: str) -> int | Literal[False]:
    return exp_authenticate(exchange, db, login, password, None)


def exp_authenticate(
    exchange: Exchange, db: str, login: str, password: str, user_agent_env: Any
) -> int | Literal[False]:
    """The uid, or False: Odoo turns every AccessDenied here (wrong password, login cooldown)
    into False; a database that does not exist is a server error."""
    require_database(exchange, db)
    try:
        return exchange.backend.login(db, login, password)
    except AccessDenied:
        return False


def require_database(exchange: Exchange, db: Any) -> None:
    if db != exchange.backend.database:
        raise UnknownDatabase(str(db))


def _db(exchange: Exchange, method: str, params: list[Any]) -> Any:
    """The database service: the four open methods; the others need the master password,
    which this server has none of, so they are always AccessDenied."""
    functions: dict[str, Callable[..., Any]] = {
        "db_exist": exp_db_exist,
        "list": exp_list,
        "list_lang": exp_list_lang,
        "server_version": exp_server_version,
    }
    if method in functions:
        return _call(functions[method], exchange, params)
    if method in _MASTER_DB_METHODS:
        raise AccessDenied()
    raise ServerKeyError(f"Method not found: {method}")


def exp_db_exist(exchange: Exchange, db_name: str) -> bool:
    return db_name == exchange.backend.database


def exp_list(exchange: Exchange, document: bool = False) -> list[str]:
    if not exchange.site.list_db:
        raise AccessDenied()
    return [exchange.backend.database]


def exp_list_lang(exchange: Exchange) -> list[list[str]]:
    return LANGUAGES


def exp_server_version(exchange: Exchange) -> str:
    return str(exchange.backend.version_info()["server_version"])


def _object(exchange: Exchange, method: str, params: list[Any]) -> Any:
    """``odoo.service.model.dispatch``: check the credentials first, then run the call."""
    if len(params) < 3:
        raise ServerTypeError(f"not enough values to unpack (expected 3, got {len(params)})")
    db, uid, password = params[0], _as_uid(params[1]), params[2]
    require_database(exchange, db)
    exchange.backend.check(db, uid, password)
    if method == "execute":
        return _call(execute, exchange, [uid, *params[3:]])
    if method == "execute_kw":
        return _call(execute_kw, exchange, [uid, *params[3:]])
    raise ServerNameError(f"Method not available {method}")


def execute(exchange: Exchange, uid: int, obj: str, method: str, *args: Any) -> Any:
    return exchange.execute(uid, obj, method, list(args), {})


def execute_kw(
    exchange: Exchange, uid: int, obj: str, method: str, args: Any, kw: Any = None
) -> Any:
    if not isinstance(args, list | tuple):
        raise ServerTypeError(f"{obj}.{method}() argument after * must be an iterable")
    if kw is not None and kw is not False and not isinstance(kw, dict):
        raise ServerTypeError(f"{obj}.{method}() argument after ** must be a mapping")
    return exchange.execute(uid, obj, method, list(args), dict(kw or {}))


def _as_uid(value: Any) -> int:
    """Odoo's ``int(params[1])``: False (a failed login) is uid 0, which then fails the check."""
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        error = ServerValueError if isinstance(exc, ValueError) else ServerTypeError
        raise error(str(exc)) from None
