"""Injected faults over real HTTP: proxy 5xx, latency, answers withheld after the commit, rate
limit, maintenance, serialization failures; the call counters; live changes through the admin
endpoint."""

from __future__ import annotations

import contextlib
import threading
import time
import xmlrpc.client
from typing import Any

import httpx
import pytest
from odoo_toy_server import Served, as_new

from logisync.testing.odoo.faults import FaultPlan

DB, UID, PW = "toy", 6, "secret"
VERSION_CALL = xmlrpc.client.dumps((), "version")


@pytest.fixture
def served(shared_servers: Any) -> Served:
    """Faults do not depend on the version: Odoo 19, which has every protocol."""
    return as_new(shared_servers(19))


def version(served: Served, **kwargs: Any) -> httpx.Response:
    return served.http.post(f"{served.url}/xmlrpc/2/common", content=VERSION_CALL, **kwargs)


def create_call(name: str) -> bytes:
    args = (DB, UID, PW, "res.partner", "create", [{"name": name}])
    return xmlrpc.client.dumps(args, "execute_kw").encode()


def wait_for(condition: Any, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_proxy_errors_at_the_planned_rate(served: Served) -> None:
    served.app.control.faults = FaultPlan(error_rate=0.4, seed=11)
    answers = [version(served) for _ in range(100)]
    failed = [a for a in answers if a.status_code != 200]
    assert 20 <= len(failed) <= 60
    assert {a.status_code for a in failed} <= {502, 503, 504}
    assert all(
        "nginx" in a.text and a.headers["content-type"].startswith("text/html") for a in failed
    )
    assert served.app.control.calls()["common.version"] == 100, "refused calls count too"
    served.app.control.faults = FaultPlan(error_rate=1)
    common = xmlrpc.client.ServerProxy(f"{served.url}/xmlrpc/2/common")
    with pytest.raises(xmlrpc.client.ProtocolError):
        common.version()


def test_proxy_errors_come_before_the_database(served: Served) -> None:
    served.app.control.faults = FaultPlan(error_rate=1)
    answer = served.http.post(f"{served.url}/xmlrpc/2/object", content=create_call("Lost"))
    assert answer.status_code in (502, 503, 504)
    assert served.backend.executed == []


def test_latency(served: Served) -> None:
    served.app.control.faults = FaultPlan(latency_seconds=0.3)
    started = time.monotonic()
    assert version(served).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_timeout_after_commit(served: Served) -> None:
    """The record exists although the client timed out; others are served meanwhile."""
    served.app.control.faults = FaultPlan(timeout_after_commit_rate=1, hang_seconds=30)
    outcome: list[object] = []

    def create() -> None:
        try:
            served.http.post(
                f"{served.url}/xmlrpc/2/object", content=create_call("Ghost"), timeout=1.5
            )
        except httpx.ReadTimeout as exc:
            outcome.append(exc)

    caller = threading.Thread(target=create)
    caller.start()
    partners = served.backend.records["res.partner"]
    wait_for(lambda: any(row["name"] == "Ghost" for row in partners.values()))
    assert version(served, timeout=1).status_code == 200, "not blocked by the withheld answer"
    caller.join(5)
    assert len(outcome) == 1 and isinstance(outcome[0], httpx.ReadTimeout)


def test_withheld_answer_does_not_delay_shutdown(toy_server: Any) -> None:
    plan = FaultPlan(timeout_after_commit_rate=1, hang_seconds=60)
    with toy_server(17, plan) as served:

        def create() -> None:
            with contextlib.suppress(httpx.HTTPError):
                httpx.post(f"{served.url}/xmlrpc/2/object", content=create_call("Late"), timeout=20)

        caller = threading.Thread(target=create, daemon=True)
        caller.start()
        wait_for(lambda: len(served.backend.records["res.partner"]) == 2)
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 5


def test_rate_limit_answers_429_with_retry_after(served: Served) -> None:
    served.app.control.faults = FaultPlan(rate_limit=0.5)
    assert version(served).status_code == 200
    limited = version(served)
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "2"
    assert "429 Too Many Requests" in limited.text


def test_maintenance_window(served: Served) -> None:
    plan = served.app.control.maintenance_for(60)
    assert len(plan.maintenance) == 1
    during = served.jsonrpc("/jsonrpc", {"service": "common", "method": "version", "args": []})
    assert during.status_code == 503
    assert 59 <= int(during.headers["retry-after"]) <= 60
    served.app.control.faults = FaultPlan()
    assert version(served).status_code == 200


def test_serialization_failure_per_protocol(served: Served) -> None:
    served.app.control.faults = FaultPlan(serialization_failure_rate=1)
    models = xmlrpc.client.ServerProxy(f"{served.url}/xmlrpc/2/object")
    with pytest.raises(xmlrpc.client.Fault) as caught:
        models.execute_kw(DB, UID, PW, "res.partner", "create", [{"name": "Clash"}])
    assert caught.value.faultCode == 1
    assert "could not serialize access due to concurrent update" in caught.value.faultString
    params = {
        "service": "object",
        "method": "execute_kw",
        "args": [DB, UID, PW, "res.partner", "search", [[]]],
    }
    error = served.jsonrpc("/jsonrpc", params).json()["error"]
    assert error["data"]["name"] == "psycopg2.errors.SerializationFailure"
    json2 = served.http.post(
        f"{served.url}/json/2/res.partner/search",
        json={"domain": []},
        headers={"Authorization": "bearer key-123"},
    )
    assert json2.status_code == 500
    assert json2.json()["message"] == "could not serialize access due to concurrent update"
    assert served.backend.executed == [], "the database was not called"


def test_call_counters(served: Served) -> None:
    control = served.app.control
    models = xmlrpc.client.ServerProxy(f"{served.url}/xmlrpc/2/object")
    models.execute_kw(DB, UID, PW, "res.partner", "search_read", [[]])
    models.execute(DB, UID, PW, "res.partner", "search", [])
    served.jsonrpc(
        "/jsonrpc",
        {
            "service": "object",
            "method": "execute_kw",
            "args": [DB, UID, PW, "res.partner", "search_read", [[]]],
        },
    )
    served.jsonrpc("/web/webclient/version_info", {})
    assert control.calls() == {
        "xmlrpc": 2,
        "jsonrpc": 1,
        "web": 1,
        "object.execute_kw": 2,
        "object.execute": 1,
        "web.webclient.version_info": 1,
        "res.partner.search_read": 2,
        "res.partner.search": 1,
    }
    assert served.http.get(f"{served.url}/__sim__/calls").json() == control.calls()
    assert served.http.delete(f"{served.url}/__sim__/calls").status_code == 204
    assert control.calls() == {}


def test_faults_change_live_through_the_admin_endpoint(served: Served) -> None:
    url = f"{served.url}/__sim__/faults"
    assert served.http.get(url).json()["error_rate"] == 0
    plan = served.http.put(url, json={"error_rate": 1, "error_statuses": [504]})
    assert plan.status_code == 200
    assert served.app.control.faults.error_statuses == (504,)
    assert version(served).status_code == 504
    assert served.http.get(url).json()["error_statuses"] == [504], "admin is never faulted"
    refused = served.http.put(url, json={"error_rate": 2})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["error_rate"]
    assert served.http.put(url, json={}).json() == FaultPlan().model_dump(mode="json")
    assert version(served).status_code == 200
