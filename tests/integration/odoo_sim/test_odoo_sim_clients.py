"""Real clients against the real engine, served by ``odoo_sim`` (the pytest plugin's fixture):
Python's ``xmlrpc.client`` on /xmlrpc/2 and ``odoorpc`` on /web/webclient/version_info +
/jsonrpc log in, search_read, create and write, and get Odoo's errors the way they expect."""

from __future__ import annotations

import urllib.parse
import xmlrpc.client
from collections.abc import Callable
from typing import Any

import httpx
import odoorpc
import pytest

from logisync.testing.odoo import FaultPlan, OdooSim

VERSIONS = [16, 17, 18, 19]
StartSim = Callable[..., OdooSim]


@pytest.fixture(params=VERSIONS, ids=[f"odoo{v}" for v in VERSIONS])
def odoo(request: pytest.FixtureRequest, odoo_sim: StartSim) -> OdooSim:
    return odoo_sim(request.param)


def test_the_handle_says_where_and_who(odoo: OdooSim) -> None:
    assert odoo.url.startswith("http://127.0.0.1:")
    assert (odoo.database, odoo.user.login) == ("odoo", "integration")
    assert odoo.user.api_key
    version = xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/common").version()
    assert version["server_version_info"][0] == odoo.version


def test_xmlrpc_client(odoo: OdooSim) -> None:
    db, user = odoo.database, odoo.user
    common = xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/common")
    uid = common.login(db, user.login, user.password)
    assert uid == user.uid
    assert common.authenticate(db, user.login, "wrong", {}) is False
    models = xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/object")

    def call(method: str, *args: Any, **kwargs: Any) -> Any:
        return models.execute_kw(db, uid, user.password, "res.partner", method, list(args), kwargs)

    partner = call("create", {"name": "Dock 7 Logistics", "email": "ops@dock7.example"})
    assert call("write", [partner], {"city": "Antwerp"}) is True
    rows = call("search_read", [["id", "=", partner]], fields=["name", "city"])
    assert rows == [{"id": partner, "name": "Dock 7 Logistics", "city": "Antwerp"}]
    faults = {
        3: lambda: models.execute_kw(db, uid, "wrong", "res.partner", "read", [[partner]]),
        4: lambda: call("_write", [partner], {}),
        2: lambda: models.execute_kw(db, uid, user.password, "no.model", "read", [[1]]),
        1: lambda: call("read", [partner], ["no_such_field"]),
    }
    for code, failing in faults.items():
        with pytest.raises(xmlrpc.client.Fault) as caught:
            failing()
        assert caught.value.faultCode == code
    assert "Invalid field 'no_such_field'" in caught.value.faultString


def test_odoorpc(odoo: OdooSim) -> None:
    address = urllib.parse.urlparse(odoo.url)
    client = odoorpc.ODOO(address.hostname, port=address.port)
    assert client.version.startswith(str(odoo.version))
    with pytest.raises(odoorpc.error.RPCError, match="Wrong login ID or password"):
        client.login(odoo.database, odoo.user.login, "wrong")
    client.login(odoo.database, odoo.user.login, odoo.user.password)
    assert client.env.uid == odoo.user.uid
    partners = client.env["res.partner"]
    partner = partners.create({"name": "Quay 4 Freight"})
    partners.write([partner], {"email": "quay4@example.com"})
    rows = partners.search_read([("id", "=", partner)], ["name", "email"])
    assert rows == [{"id": partner, "name": "Quay 4 Freight", "email": "quay4@example.com"}]
    assert partners.browse(partner).email == "quay4@example.com"
    with pytest.raises(odoorpc.error.RPCError) as caught:
        client.execute("res.partner", "read", [partner], ["no_such_field"])
    assert str(caught.value) == "Invalid field 'no_such_field' on model 'res.partner'"
    assert caught.value.info["code"] == (0 if odoo.version >= 19 else 200)
    with pytest.raises(odoorpc.error.RPCError, match=r"Object no\.model doesn't exist"):
        client.execute("no.model", "read", [1])


def test_web_session_on_the_engine(odoo: OdooSim) -> None:
    """odooly's path: authenticate with the session cookie, then call_kw per model/method."""
    with httpx.Client(base_url=odoo.url) as http:
        params = {"db": odoo.database, "login": odoo.user.login, "password": odoo.user.password}
        body = {"jsonrpc": "2.0", "method": "call", "params": params, "id": 1}
        session = http.post("/web/session/authenticate", json=body).json()["result"]
        assert (session["uid"], session["company_id"]) == (odoo.user.uid, 1)
        assert session["user_context"]["lang"] == "en_US"
        call = {"model": "res.partner", "method": "search_count", "args": [[]], "kwargs": {}}
        body["params"] = call
        count = http.post("/web/dataset/call_kw/res.partner/search_count", json=body).json()
        assert count["result"] >= 1


def test_json2_on_19(odoo_sim: StartSim) -> None:
    odoo = odoo_sim(19)
    url = f"{odoo.url}/json/2/res.partner"
    key = {"Authorization": f"bearer {odoo.user.api_key}"}
    created = httpx.post(f"{url}/create", json={"vals_list": [{"name": "Pier 9"}]}, headers=key)
    assert created.status_code == 200
    [partner] = created.json()
    read = httpx.post(f"{url}/read", json={"ids": [partner], "fields": ["name"]}, headers=key)
    assert read.json() == [{"id": partner, "name": "Pier 9"}]
    password = {"Authorization": f"bearer {odoo.user.password}"}
    refused = httpx.post(f"{url}/search", json={"domain": []}, headers=password)
    assert (refused.status_code, refused.json()["message"]) == (401, "Invalid apikey")


def test_timeout_after_commit_leaves_the_record(odoo_sim: StartSim) -> None:
    """The client times out, yet the partner exists: a retry must not create it twice."""
    odoo = odoo_sim(18, faults=FaultPlan(timeout_after_commit_rate=1, hang_seconds=30))
    db, user = odoo.database, odoo.user
    transport = _TimeoutTransport(timeout=1)
    models = xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/object", transport=transport)
    with pytest.raises(TimeoutError):
        models.execute_kw(db, user.uid, user.password, "res.partner", "create", [{"name": "Ghost"}])
    odoo.faults = FaultPlan()
    models = xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/object")
    found = models.execute_kw(
        db, user.uid, user.password, "res.partner", "search_count", [[["name", "=", "Ghost"]]]
    )
    assert found == 1
    assert odoo.calls()["res.partner.create"] == 1


def test_faults_reach_the_clients(odoo_sim: StartSim) -> None:
    odoo = odoo_sim(17, faults=FaultPlan(error_rate=1, error_statuses=(503,)))
    with pytest.raises(xmlrpc.client.ProtocolError) as caught:
        xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/common").version()
    assert caught.value.errcode == 503
    odoo.faults = FaultPlan(serialization_failure_rate=1)
    address = urllib.parse.urlparse(odoo.url)
    client = odoorpc.ODOO(address.hostname, port=address.port)
    with pytest.raises(odoorpc.error.RPCError, match="could not serialize access"):
        client.login(odoo.database, odoo.user.login, odoo.user.password)
    odoo.maintenance_for(30)
    answer = httpx.post(f"{odoo.url}/jsonrpc", json={"params": {}})
    assert (answer.status_code, answer.headers["retry-after"]) == (503, "30")


class _TimeoutTransport(xmlrpc.client.Transport):
    """xmlrpc.client has no timeout option; its transport's connection takes one."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host: Any) -> Any:
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection
