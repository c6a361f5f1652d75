"""JSON-RPC on /jsonrpc: Odoo's envelope, no ``result`` key for None, the error object with
code 200 (16-18) or 0 (19) and ``data`` as serialize_exception makes it; Odoo 19 logs a
deprecation warning per call."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from odoo_toy_server import Served

DB, UID, PW = "toy", 6, "secret"


def call(served: Served, service: str, method: str, *args: Any) -> dict[str, Any]:
    answer = served.jsonrpc("/jsonrpc", {"service": service, "method": method, "args": list(args)})
    assert (answer.status_code, answer.headers["content-type"]) == (200, "application/json")
    body: dict[str, Any] = answer.json()
    assert (body["jsonrpc"], body["id"]) == ("2.0", 7)
    return body


def test_common_and_object_results(served: Served) -> None:
    assert call(served, "common", "version")["result"]["protocol_version"] == 1
    assert call(served, "common", "login", DB, "integration", "secret")["result"] == UID
    assert call(served, "common", "login", DB, "integration", "nope")["result"] is False
    created = call(
        served,
        "object",
        "execute_kw",
        DB,
        UID,
        PW,
        "res.partner",
        "create",
        [[{"name": "A"}, {"name": "B"}]],
    )
    assert created == {"jsonrpc": "2.0", "id": 7, "result": [2, 3]}
    rows = call(
        served,
        "object",
        "execute_kw",
        DB,
        UID,
        PW,
        "res.partner",
        "read",
        [[2]],
        {"fields": ["name"]},
    )["result"]
    assert rows == [{"id": 2, "name": "A"}]
    assert call(served, "db", "list")["result"] == ["toy"]


def test_none_result_has_no_result_key(served: Served) -> None:
    body = call(
        served, "object", "execute_kw", DB, UID, PW, "res.partner", "archive_without_answer", [[1]]
    )
    assert body == {"jsonrpc": "2.0", "id": 7}
    assert served.backend.records["res.partner"][1]["active"] is False


@pytest.mark.parametrize(
    ("method", "args", "name", "message"),
    [
        ("refuse", [[1]], "odoo.exceptions.UserError", "You cannot do that on a partner."),
        ("_secret", [], "odoo.exceptions.AccessError", "Private methods"),
        ("write", [[42], {}], "odoo.exceptions.MissingError", "Record does not exist"),
        ("read", [[1], ["zz"]], "builtins.ValueError", "Invalid field 'zz'"),
        ("fly", [], "builtins.AttributeError", "The method 'res.partner.fly' does not exist"),
    ],
)
def test_error_object(
    served: Served, method: str, args: list[Any], name: str, message: str
) -> None:
    body = call(served, "object", "execute_kw", DB, UID, PW, "res.partner", method, args)
    assert "result" not in body
    error = body["error"]
    assert error["code"] == (0 if served.backend.version >= 19 else 200)
    assert error["message"] == "Odoo Server Error"
    data = error["data"]
    assert (data["name"], data["context"]) == (name, {})
    assert data["message"].startswith(message)
    assert data["arguments"] == [data["message"]]
    assert data["debug"].startswith("Traceback (most recent call last):")


def test_access_denied(served: Served) -> None:
    error = call(served, "object", "execute_kw", DB, UID, "bad", "res.partner", "read", [[1]])
    assert error["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    assert error["error"]["data"]["message"] == "Access Denied"


def test_malformed_requests(served: Served) -> None:
    not_json = served.http.post(
        f"{served.url}/jsonrpc", content=b"{", headers={"content-type": "application/json"}
    )
    assert (not_json.status_code, not_json.text) == (400, "Invalid JSON data")
    not_object = served.http.post(f"{served.url}/jsonrpc", json=[1])
    assert (not_object.status_code, not_object.text) == (400, "Invalid JSON-RPC data")
    missing = served.jsonrpc("/jsonrpc", {"service": "common", "method": "version"}).json()
    assert missing["error"]["data"]["name"] == "builtins.TypeError"
    assert "missing 1 required positional argument: 'args'" in missing["error"]["data"]["message"]
    unknown = served.jsonrpc("/jsonrpc", {"service": "x", "method": "y", "args": []}).json()
    assert unknown["error"]["data"]["name"] == "builtins.KeyError"


def test_odoo_19_logs_a_deprecation_warning(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="logisync.testing.odoo"):
        call(served, "common", "version")
    deprecated = [r for r in caplog.records if "deprecated" in r.getMessage()]
    assert len(deprecated) == (1 if served.backend.version >= 19 else 0)
