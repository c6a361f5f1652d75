"""One served Odoo database and what stands around it: the hosting proxy's faults, the call
counters, the ``/web`` sessions, and the path every RPC takes through them.

Every protocol handler parses its request, then hands ``OdooSite.answer`` the counter keys and
a function that produces Odoo's answer. ``answer`` counts the call, lets the proxy refuse it
(maintenance, rate limit, 5xx), waits the injected latency, runs the function (the backend is
called right there, in the event loop, which serializes the calls as the engine requires),
and may withhold a committed answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from logisync.testing.odoo.backend import OdooBackend
from logisync.testing.odoo.errors import SerializationFailure
from logisync.testing.odoo.faults import FaultInjector, Refusal
from logisync.testing.odoo.server.calls import CallCounter

logger = logging.getLogger("logisync.testing.odoo")

_PHRASES = {
    429: "Too Many Requests",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}


@dataclass(frozen=True)
class WebSession:
    """What Odoo keeps in a ``session_id`` after ``/web/session/authenticate``."""

    db: str
    uid: int
    login: str


class OdooSite:
    """The state of one server: shared by its routes, changed by its admin controls."""

    def __init__(self, backend: OdooBackend, faults: FaultInjector, *, list_db: bool) -> None:
        self.backend = backend
        self.faults = faults
        self.calls = CallCounter()
        self.list_db = list_db
        self._sessions: dict[str, WebSession] = {}

    @property
    def version(self) -> int:
        return self.backend.version

    def open_session(self, session: WebSession) -> str:
        sid = secrets.token_hex(20)
        self._sessions[sid] = session
        return sid

    def session(self, sid: str | None) -> WebSession | None:
        return self._sessions.get(sid) if sid else None

    def close_session(self, sid: str) -> None:
        self._sessions.pop(sid, None)

    def warn_deprecated(self, path: str) -> None:
        """Odoo 19 logs a warning for every XML-RPC and JSON-RPC call: they are on their way
        out in favour of JSON-2."""
        if self.version >= 19:
            logger.warning(
                "%s is deprecated since Odoo 19 and will be removed; use /json/2 instead", path
            )

    async def answer(
        self, request: Request, keys: list[str], respond: Callable[[Exchange], Response]
    ) -> Response:
        """Count, let the proxy refuse, delay, respond, and maybe withhold the answer."""
        self.calls.count(keys)
        refusal = self.faults.refusal()
        if refusal is not None:
            return proxy_page(refusal)
        if (delay := self.faults.latency()) > 0:
            await asyncio.sleep(delay)
        exchange = Exchange(self)
        response = respond(exchange)
        if exchange.committed and (seconds := self.faults.withheld_for()) is not None:
            await _withhold(request, seconds)
        return response


class Exchange:
    """One request's access to the database: ORM calls go through ``execute``, which injects
    serialization failures and notes that a transaction committed."""

    def __init__(self, site: OdooSite) -> None:
        self.site = site
        self.backend = site.backend
        self.committed = False

    def execute(
        self, uid: int, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        if self.site.faults.serialization_failure():
            raise SerializationFailure()
        result = self.backend.execute(uid, model, method, args, kwargs)
        self.committed = True
        return result


def proxy_page(refusal: Refusal) -> Response:
    """The HTML page a hosting proxy (nginx) answers with, not Odoo's own shape."""
    title = f"{refusal.status} {_PHRASES[refusal.status]}"
    body = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
    headers = {} if refusal.retry_after is None else {"Retry-After": str(refusal.retry_after)}
    return Response(body, status_code=refusal.status, headers=headers, media_type="text/html")


async def _withhold(request: Request, seconds: float) -> None:
    """Hold the answer for ``seconds`` or until the client hangs up, whichever comes first:
    other requests go on meanwhile, and a client that timed out frees the handler at once."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(_client_gone(request), seconds)


async def _client_gone(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        continue
