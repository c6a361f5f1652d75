"""Calling Odoo over the wire: XML-RPC and JSON-RPC (16-19) and JSON-2 (19+).

The connector speaks one calling convention, ``call(model, method, ids, **params)``: named
parameters plus the record ids for methods that take them. That is JSON-2's own shape, and the
older protocols take it unchanged as ``execute_kw(model, method, [ids], params)``, so the
mapping code never knows which protocol carries it.

Every call is counted per ``model.method`` (``calls``): the benchmark's "RPC calls per
thousand events" and the tests' "no second validation" read it. Secrets never appear in an
error message or a log line.
"""

from __future__ import annotations

import itertools
import xmlrpc.client
from collections import Counter
from typing import Any, Literal
from xml.parsers.expat import ExpatError

import httpx
import orjson

from logisync.connectors.odoo.failures import (
    OdooCallFailed,
    fault_error,
    http_error,
    server_error,
)
from logisync.connectors.tracing import trace_headers

Protocol = Literal["xmlrpc", "jsonrpc", "json2"]
LOGIN_RETRY_SECONDS = 300.0


class OdooRpc:
    """One Odoo database reached as one user. Subclasses carry the protocol."""

    protocol: Protocol

    def __init__(
        self,
        url: str,
        database: str,
        login: str,
        secret: str,
        *,
        timeout_seconds: float = 30.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.database = database
        self.login = login
        self._secret = secret
        self._client = client or httpx.Client(timeout=timeout_seconds)
        self._uid: int | None = None
        self.calls: Counter[str] = Counter()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r}, {self.database!r}, {self.login!r})"

    def call(self, model: str, method: str, ids: list[int] | None = None, **params: Any) -> Any:
        """``model.method`` on ``ids`` (None for model-level methods) with named parameters."""
        what = f"{model}.{method}"
        self.calls[what] += 1
        return self._execute(what, model, method, ids, params)

    def uid(self) -> int:
        """The user the hub acts as (logging in on first use)."""
        if self._uid is None:
            self._uid = self._authenticate()
        return self._uid

    def close(self) -> None:
        self._client.close()

    def _execute(
        self, what: str, model: str, method: str, ids: list[int] | None, params: dict[str, Any]
    ) -> Any:
        raise NotImplementedError

    def _authenticate(self) -> int:
        raise NotImplementedError

    def _post(
        self, what: str, path: str, content: bytes, headers: dict[str, str]
    ) -> httpx.Response:
        """POST, turning transport failures and proxy answers into ``OdooCallFailed``."""
        try:
            response = self._client.post(
                self.url + path, content=content, headers={**headers, **trace_headers()}
            )
        except httpx.TimeoutException:
            raise OdooCallFailed(
                what, "timed out (Odoo may have applied it)", name="timeout", transient=True
            ) from None
        except httpx.TransportError as error:
            raise OdooCallFailed(
                what, f"{type(error).__name__}: {error}", name="transport", transient=True
            ) from None
        if response.status_code in (429, 502, 503, 504) or (
            response.status_code >= 400 and "json" not in response.headers.get("content-type", "")
        ):
            raise http_error(what, response.status_code, response.headers.get("Retry-After"))
        return response

    def _login_refused(self) -> OdooCallFailed:
        """Retried, later: a refused login is a property of the target (a rotated key, the
        login cooldown after failures), not of the items, and dead-lettering a whole backlog
        would leave an operator to replay it all once the credentials are fixed."""
        return OdooCallFailed(
            "login",
            f"Odoo refused the credentials of {self.login!r} on database {self.database!r}",
            name="odoo.exceptions.AccessDenied",
            transient=True,
            retry_after=LOGIN_RETRY_SECONDS,
        )


class _ExecuteKw(OdooRpc):
    """The protocols of 16-18 (kept in 19): ``common.login``, then ``object.execute_kw``
    with the password or API key on every call; only the envelope differs."""

    def _authenticate(self) -> int:
        self.calls["common.login"] += 1
        uid = self._rpc("login", "common", "login", [self.database, self.login, self._secret])
        if not uid:
            raise self._login_refused()
        return int(uid)

    def _execute(
        self, what: str, model: str, method: str, ids: list[int] | None, params: dict[str, Any]
    ) -> Any:
        args = [] if ids is None else [ids]
        call = [self.database, self.uid(), self._secret, model, method, args, params]
        return self._rpc(what, "object", "execute_kw", call)

    def _rpc(self, what: str, service: str, method: str, args: list[Any]) -> Any:
        raise NotImplementedError


class XmlRpc(_ExecuteKw):
    """``/xmlrpc/2/common`` and ``/xmlrpc/2/object`` (``execute_kw``)."""

    protocol: Protocol = "xmlrpc"

    def _rpc(self, what: str, service: str, method: str, args: list[Any]) -> Any:
        body = xmlrpc.client.dumps(tuple(args), method, allow_none=False).encode()
        response = self._post(what, f"/xmlrpc/2/{service}", body, {"Content-Type": "text/xml"})
        try:
            return xmlrpc.client.loads(response.content, use_builtin_types=True)[0][0]
        except xmlrpc.client.Fault as fault:
            if "cannot marshal None" in str(fault.faultString):
                return None  # Odoo committed; only its answer could not be written
            raise fault_error(what, fault.faultCode, str(fault.faultString)) from None
        except ExpatError:  # a proxy's HTML page with status 200, a login redirect...
            raise OdooCallFailed(
                what, f"HTTP {response.status_code} with a body that is not XML-RPC", transient=True
            ) from None


class JsonRpc(_ExecuteKw):
    """``/jsonrpc`` with services ``common`` and ``object``."""

    protocol: Protocol = "jsonrpc"
    _ids = itertools.count(1)

    def _rpc(self, what: str, service: str, method: str, args: list[Any]) -> Any:
        envelope = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": next(self._ids),
        }
        response = self._post(
            what, "/jsonrpc", orjson.dumps(envelope), {"Content-Type": "application/json"}
        )
        answer = _json(what, response)
        error = answer.get("error")
        if error is not None:
            data = error.get("data") or {}
            name = str(data.get("name") or "")
            message = str(data.get("message") or error.get("message") or "")
            if error.get("code") == 100:
                self._uid = None
                return _raise(OdooCallFailed(what, message, name=name, transient=True))
            return _raise(server_error(what, name, message))
        return answer.get("result")


class Json2(OdooRpc):
    """Odoo 19's ``/json/2/<model>/<method>`` with an API key as bearer token."""

    protocol: Protocol = "json2"

    def _authenticate(self) -> int:
        uid = self.call("res.users", "context_get").get("uid")
        if not uid:
            raise self._login_refused()
        return int(uid)

    def _execute(
        self, what: str, model: str, method: str, ids: list[int] | None, params: dict[str, Any]
    ) -> Any:
        body = dict(params) if ids is None else {"ids": ids, **params}
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"bearer {self._secret}",
            "X-Odoo-Database": self.database,
        }
        response = self._post(what, f"/json/2/{model}/{method}", orjson.dumps(body), headers)
        if response.status_code == 200:
            return _json(what, response)
        error = _json(what, response)
        name = str(error.get("name") or "")
        message = str(error.get("message") or f"HTTP {response.status_code}")
        if response.status_code == 401:
            raise self._login_refused()
        if response.status_code == 409:
            raise OdooCallFailed(what, message, name=name, transient=True)
        raise server_error(what, name, message)


def _json(what: str, response: httpx.Response) -> Any:
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        raise OdooCallFailed(
            what, f"HTTP {response.status_code} with a body that is not JSON", transient=True
        ) from None


def _raise(error: OdooCallFailed) -> Any:
    raise error


PROTOCOLS: dict[Protocol, type[OdooRpc]] = {"xmlrpc": XmlRpc, "jsonrpc": JsonRpc, "json2": Json2}
