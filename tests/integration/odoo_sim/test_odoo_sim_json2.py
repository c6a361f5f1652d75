"""JSON-2 (Odoo 19): bearer API keys only, named arguments with ids and context, bare JSON
results, errors with their HTTP status; absent (404) before 19."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from odoo_toy_server import Served

KEY = {"Authorization": "bearer key-123"}


def post(served: Served, path: str, body: Any = None, **headers: str) -> httpx.Response:
    return served.http.post(f"{served.url}/json/2/{path}", json=body or {}, headers=headers)


@pytest.mark.parametrize("version", [16, 17, 18])
def test_absent_before_19(toy_server: Any, version: int) -> None:
    with toy_server(version) as served:
        assert post(served, "res.partner/search_read", **KEY).status_code == 404
        assert served.http.get(f"{served.url}/doc-bearer/res.partner.json").status_code == 404


@pytest.fixture
def served19(toy_server: Any) -> Any:
    with toy_server(19) as served:
        yield served


def test_calls_with_named_arguments(served19: Served) -> None:
    created = post(served19, "res.partner/create", {"vals_list": [{"name": "Nova"}]}, **KEY)
    assert (created.status_code, created.json()) == (200, [2])
    written = post(served19, "res.partner/write", {"ids": [2], "vals": {"email": "n@x"}}, **KEY)
    assert written.json() is True
    rows = post(
        served19,
        "res.partner/search_read",
        {"domain": [["name", "=", "Nova"]], "fields": ["email"], "context": {"lang": "fr_FR"}},
        **KEY,
    ).json()
    assert rows == [{"id": 2, "email": "n@x"}]
    uid, _, _, args, kwargs = served19.backend.executed[-1]
    assert (uid, args, kwargs["context"]) == (6, [], {"lang": "fr_FR"})
    none = post(served19, "res.partner/archive_without_answer", {"ids": [2]}, **KEY)
    assert (none.status_code, none.text) == (200, "null")


def test_authentication(served19: Served) -> None:
    missing = post(served19, "res.partner/search_read")
    assert missing.status_code == 401
    assert missing.json()["message"] == 'User not authenticated, use the "Authorization" header'
    password = post(served19, "res.partner/search_read", Authorization="bearer secret")
    assert password.status_code == 401
    body = password.json()
    assert (body["name"], body["message"]) == ("werkzeug.exceptions.Unauthorized", "Invalid apikey")
    assert body["arguments"] == ["Invalid apikey", 401]
    assert password.headers["www-authenticate"] == "Bearer"
    other_db = post(served19, "res.partner/search_read", **KEY, **{"X-Odoo-Database": "x"})
    assert other_db.status_code == 404
    same_db = post(served19, "res.partner/search_read", **KEY, **{"X-Odoo-Database": "toy"})
    assert same_db.status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("no.such/read", {}, 404, "the model 'no.such' does not exist"),
        ("res.partner/fly", {}, 404, "The method 'res.partner.fly' does not exist"),
        ("res.partner/_private", {}, 403, "Private methods"),
        ("res.partner/create", {"ids": [1], "vals_list": []}, 422, "cannot call res.partner"),
        ("res.partner/write", {"ids": [1], "valz": {}}, 422, "res.partner.write()"),
        ("res.partner/refuse", {"ids": [1]}, 422, "You cannot do that on a partner."),
        ("res.partner/write", {"ids": [9], "vals": {}}, 404, "Record does not exist"),
        ("res.partner/read", {"ids": [1], "fields": ["x"]}, 500, "Invalid field 'x'"),
    ],
)
def test_errors(served19: Served, path: str, body: Any, status: int, message: str) -> None:
    answer = post(served19, path, body, **KEY)
    assert answer.status_code == status
    error = answer.json()
    assert set(error) == {"name", "message", "arguments", "context", "debug"}
    assert error["message"].startswith(message)


def test_malformed_and_misdirected(served19: Served) -> None:
    url = f"{served19.url}/json/2/res.partner/search_read"
    not_json = served19.http.post(
        url, content=b"{", headers={**KEY, "content-type": "application/json"}
    )
    assert not_json.status_code == 400
    assert not_json.json()["message"].startswith("could not parse the body as json")
    listed = served19.http.post(url, json=[1], headers=KEY)
    assert listed.json()["message"] == "could not parse the body, expecting a json object"
    text = served19.http.post(url, content=b"x", headers={**KEY, "content-type": "text/plain"})
    assert text.status_code == 400
    get = served19.http.get(url, headers=KEY)
    assert get.status_code == 404
    assert get.json()["message"] == "Did you mean POST /json/2/<model>/<method>?"


def test_doc_bearer(served19: Served) -> None:
    doc = served19.http.get(f"{served19.url}/doc-bearer/res.partner.json", headers=KEY)
    assert doc.status_code == 200
    body = doc.json()
    assert body["model"] == "res.partner"
    assert body["fields"]["name"]["type"] == "char"
    assert list(body["methods"]["search_read"]["parameters"])[:2] == ["domain", "fields"]
    assert body["methods"]["search_read"]["api"] == ["model"]
    assert body["methods"]["write"]["api"] == []
    unknown = served19.http.get(f"{served19.url}/doc-bearer/no.such.json", headers=KEY)
    assert unknown.status_code == 404
    anonymous = served19.http.get(f"{served19.url}/doc-bearer/res.partner.json")
    assert anonymous.status_code == 401
