"""XML-RPC as Odoo 16-19 serve it: /xmlrpc/2 with integer faultCodes, the legacy /xmlrpc with
string faultCodes, HTTP 200 text/xml always, None faulting after the commit."""

from __future__ import annotations

import xmlrpc.client
from typing import Any

import httpx
import pytest
from odoo_toy_server import Served

DB, UID, PW = "toy", 6, "secret"


def proxy(served: Served, service: str, *, legacy: bool = False) -> xmlrpc.client.ServerProxy:
    path = f"/xmlrpc/{service}" if legacy else f"/xmlrpc/2/{service}"
    return xmlrpc.client.ServerProxy(served.url + path)


def fault_of(call: Any) -> xmlrpc.client.Fault:
    with pytest.raises(xmlrpc.client.Fault) as caught:
        call()
    return caught.value


def test_common_version_login_authenticate_about(served: Served) -> None:
    common = proxy(served, "common")
    version = served.backend.version
    assert common.version()["server_version_info"][0] == version
    assert common.login(DB, "integration", "secret") == UID
    assert common.login(DB, "integration", "key-123") == UID, "an API key works as password"
    assert common.login(DB, "integration", "wrong") is False, "no fault for bad credentials"
    assert common.authenticate(DB, "integration", "secret", {}) == UID
    assert common.about() == "See http://openerp.com"


def test_object_execute_kw_and_execute(served: Served) -> None:
    models = proxy(served, "object")
    new_id = models.execute_kw(DB, UID, PW, "res.partner", "create", [{"name": "Zed"}])
    assert models.execute_kw(DB, UID, PW, "res.partner", "write", [[new_id], {"email": "z@x"}])
    rows = models.execute_kw(
        DB, UID, PW, "res.partner", "search_read", [[["name", "=", "Zed"]]], {"fields": ["email"]}
    )
    assert rows == [{"id": new_id, "email": "z@x"}]
    assert models.execute(DB, UID, PW, "res.partner", "search", [["name", "=", "Zed"]]) == [new_id]
    assert served.backend.executed[-1][4] == {}, "execute passes no kwargs"


@pytest.mark.parametrize(
    ("model", "method", "args", "code", "text"),
    [
        ("res.partner", "_private", [], 4, "cannot be called remotely"),
        ("res.partner", "refuse", [[1]], 2, "You cannot do that on a partner."),
        ("res.partner", "write", [[99], {"name": "x"}], 2, "Record does not exist"),
        ("no.such", "read", [[1]], 2, "Object no.such doesn't exist"),
        ("res.partner", "fly", [], 1, "AttributeError: The method 'res.partner.fly'"),
        ("res.partner", "read", [[1], ["nope"]], 1, "ValueError: Invalid field 'nope'"),
        ("res.partner", "write", [], 1, "TypeError:"),
    ],
)
def test_object_fault_codes(
    served: Served, model: str, method: str, args: list[Any], code: int, text: str
) -> None:
    models = proxy(served, "object")
    fault = fault_of(lambda: models.execute_kw(DB, UID, PW, model, method, args))
    assert fault.faultCode == code
    assert text in fault.faultString
    if code == 1:
        assert fault.faultString.startswith("Traceback (most recent call last):")


def test_wrong_password_is_access_denied(served: Served) -> None:
    models = proxy(served, "object")
    fault = fault_of(lambda: models.execute_kw(DB, UID, "wrong", "res.partner", "read", [[1]]))
    assert (fault.faultCode, fault.faultString) == (3, "Access Denied")
    fault = fault_of(lambda: models.execute_kw(DB, False, PW, "res.partner", "read", [[1]]))
    assert fault.faultCode == 3, "a failed login's False uid is uid 0"


def test_none_result_faults_after_the_commit(served: Served) -> None:
    models = proxy(served, "object")
    fault = fault_of(
        lambda: models.execute_kw(DB, UID, PW, "res.partner", "archive_without_answer", [[1]])
    )
    assert fault.faultCode == 1
    assert "cannot marshal None unless allow_none is enabled" in fault.faultString
    assert served.backend.records["res.partner"][1]["active"] is False, "committed anyway"


def test_integer_dict_keys_fault(served: Served) -> None:
    models = proxy(served, "object")
    fault = fault_of(lambda: models.execute_kw(DB, UID, PW, "res.partner", "ids_by_name", []))
    assert (fault.faultCode, "dictionary key must be string" in fault.faultString) == (1, True)


def test_legacy_path_string_fault_codes(served: Served) -> None:
    models = proxy(served, "object", legacy=True)
    denied = fault_of(lambda: models.execute_kw(DB, UID, "wrong", "res.partner", "read", [[1]]))
    assert (denied.faultCode, denied.faultString) == ("AccessDenied", "Access Denied")
    user = fault_of(lambda: models.execute_kw(DB, UID, PW, "res.partner", "refuse", [[1]]))
    assert user.faultCode == "warning -- UserError\n\nYou cannot do that on a partner."
    access = fault_of(lambda: models.execute_kw(DB, UID, PW, "res.partner", "_x", []))
    assert access.faultCode.startswith("warning -- AccessError\n\nPrivate methods")
    missing = fault_of(lambda: models.execute_kw(DB, UID, PW, "res.partner", "write", [[9], {}]))
    assert missing.faultCode.startswith("warning -- MissingError\n\n")
    server = fault_of(lambda: models.execute_kw(DB, UID, PW, "res.partner", "read", [[1], ["x"]]))
    assert server.faultCode == "Invalid field 'x' on model 'res.partner'"
    assert server.faultString.startswith("Traceback")
    assert proxy(served, "common", legacy=True).login(DB, "integration", "secret") == UID


def test_db_service(toy_server: Any) -> None:
    with toy_server(18) as served:
        db = proxy(served, "db")
        assert db.list() == ["toy"]
        assert db.db_exist("toy") is True
        assert db.db_exist("other") is False
        assert db.server_version() == "18.0"
        assert ["en_US", "English (US)"] in db.list_lang()
        assert fault_of(lambda: db.drop("master", "toy")).faultCode == 3
        assert fault_of(db.frobnicate).faultCode == 1
    with toy_server(18, list_db=False) as served:
        fault = fault_of(lambda: proxy(served, "db").list())
        assert (fault.faultCode, fault.faultString) == (3, "Access Denied")


def test_unknown_service_method_and_database(served: Served) -> None:
    assert "KeyError: 'nope'" in fault_of(lambda: proxy(served, "nope").version()).faultString
    common = proxy(served, "common")
    assert "Method not found: fly" in fault_of(common.fly).faultString
    missing = fault_of(lambda: common.login(DB, "integration"))
    assert "exp_login() missing a required argument: 'password'" in missing.faultString
    unknown_db = fault_of(lambda: common.login("nodb", "integration", "secret"))
    assert 'database "nodb" does not exist' in unknown_db.faultString
    models = proxy(served, "object")
    unknown_db = fault_of(lambda: models.execute_kw("nodb", UID, PW, "res.partner", "read", [[1]]))
    assert (unknown_db.faultCode, "OperationalError" in unknown_db.faultString) == (1, True)


def test_http_shape(served: Served) -> None:
    body = xmlrpc.client.dumps((), "version")
    answer = served.http.post(f"{served.url}/xmlrpc/2/common", content=body)
    assert (answer.status_code, answer.headers["content-type"]) == (200, "text/xml; charset=utf-8")
    broken = served.http.post(f"{served.url}/xmlrpc/2/common", content=b"<not xml")
    assert broken.status_code == 200
    with pytest.raises(xmlrpc.client.Fault):
        xmlrpc.client.loads(broken.content)
    assert httpx.get(f"{served.url}/xmlrpc/2/common").status_code == 405
