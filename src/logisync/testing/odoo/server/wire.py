"""What every protocol shares on the wire: the errors only the HTTP layer raises, the
traceback text Odoo puts in its faults, and Odoo's JSON encoding.

The traceback matters: for everything but UserError, AccessError and AccessDenied, Odoo's
XML-RPC fault string and JSON ``data.debug`` are the formatted traceback, and clients decide
what is transient by searching it (``could not serialize access``).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, ClassVar

from logisync.testing.odoo.errors import OdooError


class ServerKeyError(OdooError):
    """A KeyError inside Odoo's dispatch: an unknown service or model in a lookup."""

    name = "builtins.KeyError"

    def __init__(self, key: str) -> None:
        super().__init__(repr(key))


class ServerNameError(OdooError):
    """Odoo's object service raises a NameError for a method other than execute(_kw)."""

    name = "builtins.NameError"


class UnknownDatabase(OdooError):
    """What psycopg2 says when Odoo connects to a database that does not exist."""

    name = "psycopg2.OperationalError"

    def __init__(self, db: str) -> None:
        super().__init__(
            f'connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: '
            f'FATAL:  database "{db}" does not exist\n'
        )


class SessionExpired(OdooError):
    """A ``/web`` route that needs a session was called without a valid one."""

    name = "odoo.http.SessionExpiredException"
    json2_status = 403

    def __init__(self) -> None:
        super().__init__("Session expired")


class HttpError(OdooError):
    """A werkzeug HTTPException as Odoo serializes it: its message is ``"<code> <phrase>:
    <description>"`` and JSON-2 answers with its status."""

    phrase: ClassVar[str]
    default_description: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = f"werkzeug.exceptions.{cls.__name__}"

    def __init__(self, description: str | None = None) -> None:
        self.description = description or self.default_description
        super().__init__(f"{self.json2_status} {self.phrase}: {self.description}")


class BadRequest(HttpError):
    json2_status = 400
    phrase = "Bad Request"


class Unauthorized(HttpError):
    json2_status = 401
    phrase = "Unauthorized"


class NotFound(HttpError):
    json2_status = 404
    phrase = "Not Found"
    default_description = (
        "The requested URL was not found on the server. If you entered the URL manually "
        "please check your spelling and try again."
    )


class UnprocessableEntity(HttpError):
    json2_status = 422
    phrase = "Unprocessable Entity"


_FRAMES = (
    ("odoo/http.py", 2374, "__call__", "response = request._serve_db()"),
    (
        "odoo/http.py",
        1947,
        "_serve_db",
        "return service_model.retrying(self._serve_ir_http, self.env)",
    ),
    ("odoo/service/model.py", 152, "retrying", "result = func()"),
)


def server_traceback(error: OdooError) -> str:
    """The traceback text Odoo would format for ``error``: its last line is what clients
    match (``ValueError: Invalid field ...``, ``psycopg2.OperationalError: ...``). A server
    error that already carries its traceback (the engine's own failures) keeps it."""
    if error.message.startswith("Traceback (most recent call last):"):
        return error.message
    lines = ["Traceback (most recent call last):\n"]
    for path, line, function, code in _FRAMES:
        lines.append(
            f'  File "/usr/lib/python3/dist-packages/{path}", line {line}, in {function}\n'
        )
        lines.append(f"    {code}\n")
    return "".join(lines) + f"{error.name.removeprefix('builtins.')}: {error.message}\n"


def serialized(error: OdooError, *, json2: bool = False) -> dict[str, Any]:
    """Odoo's ``serialize_exception``: the JSON-RPC ``error.data``, or the JSON-2 error body
    (where an HTTP exception says its bare description and status as arguments)."""
    arguments: list[Any] = [error.message]
    message = error.message
    if isinstance(error, HttpError):
        arguments = [error.description, error.json2_status] if json2 else []
        message = error.description if json2 else error.message
    return {
        "name": error.name,
        "message": message,
        "arguments": arguments,
        "context": {},
        "debug": server_traceback(error),
    }


def _json_default(value: Any) -> Any:
    """Odoo's ``json_default``: datetimes as its strings, bytes decoded, anything else str."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, set | frozenset):
        return list(value)
    return str(value)


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, default=_json_default, ensure_ascii=False).encode()
