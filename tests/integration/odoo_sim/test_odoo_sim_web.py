"""The /web routes RPC clients use: version_info, database list, session authenticate with its
cookie, session info, call_kw (needs the session, else "Odoo Session Expired"), and
GET /web/version from Odoo 19."""

from __future__ import annotations

from typing import Any

from odoo_toy_server import Served


def authenticate(served: Served, password: str = "secret") -> dict[str, Any]:
    params = {"db": "toy", "login": "integration", "password": password}
    body: dict[str, Any] = served.jsonrpc("/web/session/authenticate", params).json()
    return body


def test_version_info_and_database_list(served: Served) -> None:
    info = served.jsonrpc("/web/webclient/version_info", {}).json()["result"]
    assert info["server_serie"] == f"{served.backend.version}.0"
    assert served.jsonrpc("/web/database/list", {}).json()["result"] == ["toy"]


def test_web_version_exists_from_19(served: Served) -> None:
    answer = served.http.get(f"{served.url}/web/version")
    if served.backend.version < 19:
        assert answer.status_code == 404
        assert "<title>404 Not Found</title>" in answer.text
    else:
        assert answer.json() == {"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}


def test_authenticate_opens_a_session(served: Served) -> None:
    result = authenticate(served)["result"]
    assert (result["uid"], result["db"], result["username"]) == (6, "toy", "integration")
    assert result["user_context"]["lang"] == "en_US"
    assert served.http.cookies.get("session_id")
    info = served.jsonrpc("/web/session/get_session_info", {}).json()["result"]
    assert info["uid"] == 6


def test_wrong_password_is_access_denied(served: Served) -> None:
    error = authenticate(served, "wrong")["error"]
    assert error["data"]["name"] == "odoo.exceptions.AccessDenied"
    assert "session_id" not in served.http.cookies


def test_call_kw_needs_the_session(served: Served) -> None:
    params = {
        "model": "res.partner",
        "method": "search_read",
        "args": [[]],
        "kwargs": {"fields": ["name"]},
    }
    expired = served.jsonrpc("/web/dataset/call_kw/res.partner/search_read", params).json()
    assert expired["error"]["code"] == 100
    assert expired["error"]["message"] == "Odoo Session Expired"
    assert expired["error"]["data"]["name"] == "odoo.http.SessionExpiredException"
    authenticate(served)
    rows = served.jsonrpc("/web/dataset/call_kw/res.partner/search_read", params).json()
    assert rows["result"] == [{"id": 1, "name": "Acme"}]
    assert served.jsonrpc("/web/dataset/call_kw", params).json()["result"] == rows["result"]
    assert served.backend.executed[-1][0] == 6, "called as the session's user"


def test_call_kw_unknown_model(served: Served) -> None:
    authenticate(served)
    params = {"model": "no.such", "method": "read", "args": [[1]], "kwargs": {}}
    error = served.jsonrpc("/web/dataset/call_kw", params).json()["error"]
    if served.backend.version >= 17:
        assert (error["code"], error["message"]) == (404, "404: Not Found")
    else:
        assert error["data"]["name"] == "builtins.KeyError"


def test_destroy_ends_the_session(served: Served) -> None:
    authenticate(served)
    assert served.jsonrpc("/web/session/destroy", {}).json() == {"jsonrpc": "2.0", "id": 7}
    after = served.jsonrpc("/web/session/get_session_info", {}).json()
    assert after["error"]["code"] == 100
