"""Event intake over real HTTP: 202 only after the commit, repeats, refusals, batches."""

from __future__ import annotations

import concurrent.futures

import orjson

from logisync.api.services import ApiSettings

from .conftest import BATCH, STRUCTURED, RunningHub, order


def test_a_structured_event_is_journaled_before_the_202(running: RunningHub) -> None:
    token, _ = running.key()
    with running.client(token) as client:
        response = client.post(
            "/v1/events", content=orjson.dumps(order("SO1", "e1")), headers=STRUCTURED
        )
    assert response.status_code == 202, response.text
    assert response.json() == {"id": "e1", "source": "shop", "seq": 1}
    stored = running.store.get_event("e1", "shop")
    assert stored is not None and stored.subject == "sales_order:SO1"
    assert orjson.loads(running.store.raw_payload(1) or b"") == order("SO1", "e1")


def test_binary_mode_takes_attributes_from_ce_headers(running: RunningHub) -> None:
    token, _ = running.key()
    headers = {
        "content-type": "application/json",
        "ce-specversion": "1.0",
        "ce-id": "b%201",  # header values are percent-encoded in the binding
        "ce-source": "shop",
        "ce-type": "sales_order.placed",
        "ce-subject": "sales_order:SO2",
        "ce-time": "2026-03-01T10:00:00Z",
        "ce-correlationid": "order-SO2",
    }
    with running.client(token) as client:
        response = client.post(
            "/v1/events", content=b'{"number": "SO2", "channel": "web"}', headers=headers
        )
    assert response.status_code == 202, response.text
    stored = running.store.get_event("b 1", "shop")
    assert stored is not None and stored.correlationid == "order-SO2"


def test_a_repeat_is_answered_as_the_first_and_stores_nothing(running: RunningHub) -> None:
    token, _ = running.key()
    body = orjson.dumps(order("SO1", "e1"))
    with running.client(token) as client:
        first = client.post("/v1/events", content=body, headers=STRUCTURED)
        again = client.post("/v1/events", content=body, headers=STRUCTURED)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert running.store.counts().journal == 1


def test_an_idempotency_key_reused_for_another_fact_is_a_409(running: RunningHub) -> None:
    token, _ = running.key()
    with running.client(token) as client:
        first = client.post(
            "/v1/events",
            content=orjson.dumps(order("SO1", "e1")),
            headers={**STRUCTURED, "idempotency-key": "k-1"},
        )
        reused = client.post(
            "/v1/events",
            content=orjson.dumps(order("SO9", "e2")),
            headers={**STRUCTURED, "idempotency-key": "k-1"},
        )
    assert first.status_code == 202
    assert reused.status_code == 409
    assert reused.headers["content-type"] == "application/problem+json"
    assert reused.json()["type"] == "/problems/idempotency-conflict"
    assert running.store.counts().journal == 1


def test_an_invalid_event_gets_a_pointer_to_each_bad_field(running: RunningHub) -> None:
    token, _ = running.key()
    bad = order("SO1", "e1", time="yesterday")
    bad["data"]["channel"] = 7
    with running.client(token) as client:
        response = client.post("/v1/events", content=orjson.dumps(bad), headers=STRUCTURED)
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422 and problem["type"] == "/problems/invalid-event"
    pointers = {error["pointer"] for error in problem["errors"]}
    assert "/time" in pointers
    assert running.store.counts().journal == 0


def test_binary_mode_problems_name_the_header_or_the_body_position(running: RunningHub) -> None:
    token, _ = running.key()
    headers = {
        "content-type": "application/json",
        "ce-specversion": "1.0",
        "ce-id": "x",
        "ce-source": "shop",
        "ce-type": "sales_order.placed",
        "ce-subject": "sales_order:SO1",
        "ce-time": "not a time",
    }
    with running.client(token) as client:
        bad_time = client.post("/v1/events", content=b'{"number": "SO1"}', headers=headers)
        headers["ce-time"] = "2026-03-01T10:00:00Z"
        bad_data = client.post(
            "/v1/events", content=b'{"number": "SO1", "lines": "x"}', headers=headers
        )
    assert (bad_time.status_code, bad_data.status_code) == (422, 422)
    assert [e.get("header") for e in bad_time.json()["errors"]] == ["ce-time"]
    assert [e.get("pointer") for e in bad_data.json()["errors"]] == ["/lines"]


def test_transport_refusals_have_their_own_status(start_hub) -> None:  # type: ignore[no-untyped-def]
    running = start_hub(ApiSettings(max_body_bytes=2000, max_batch_events=3))
    token, _ = running.key()
    with running.client(token) as client:
        not_json = client.post("/v1/events", content=b"{nope", headers=STRUCTURED)
        wrong_type = client.post("/v1/events", content=b"x", headers={"content-type": "text/csv"})
        no_ce = client.post(
            "/v1/events", content=b"{}", headers={"content-type": "application/json"}
        )
        too_big = client.post("/v1/events", content=b" " * 2001, headers=STRUCTURED)
        too_many = client.post(
            "/v1/events/batch",
            content=orjson.dumps([order(f"S{i}", str(i)) for i in range(4)]),
            headers=BATCH,
        )
    assert not_json.status_code == 400 and "not valid JSON" in not_json.json()["detail"]
    assert wrong_type.status_code == 415
    assert no_ce.status_code == 400 and "ce-specversion" in no_ce.json()["detail"]
    assert too_big.status_code == 413
    assert too_many.status_code == 413 and "4 events" in too_many.json()["detail"]
    for response in (not_json, wrong_type, no_ce, too_big, too_many):
        assert response.headers["content-type"] == "application/problem+json"
    assert running.store.counts().journal == 0


def test_a_batch_answers_for_each_event(running: RunningHub) -> None:
    token, _ = running.key()
    with running.client(token) as client:
        client.post("/v1/events", content=orjson.dumps(order("SO0", "old")), headers=STRUCTURED)
        items = [
            order("SO1", "a"),
            order("SO2", "b", time="bad"),
            order("SO0", "old"),  # already stored
            order("SO3", "c", source="wms"),  # not this key's system
            42,
            order("SO1", "a"),  # repeat inside the batch
        ]
        response = client.post("/v1/events/batch", content=orjson.dumps(items), headers=BATCH)
    assert response.status_code == 202, response.text
    outcome = response.json()
    statuses = [r["status"] for r in outcome["results"]]
    assert statuses == ["accepted", "rejected", "duplicate", "rejected", "rejected", "duplicate"]
    assert (outcome["accepted"], outcome["duplicates"], outcome["rejected"]) == (1, 2, 3)
    assert outcome["results"][1]["problem"]["errors"][0]["pointer"] == "/time"
    assert outcome["results"][3]["problem"]["status"] == 403
    assert outcome["results"][5]["seq"] == outcome["results"][0]["seq"]
    assert running.store.counts().journal == 2


def test_concurrent_requests_share_commits(running: RunningHub) -> None:
    token, _ = running.key(rate_limit=10_000)
    with running.client(token) as client:  # one connection pool shared by the threads

        def send(n: int) -> int:
            body = orjson.dumps(order(f"SO{n}", f"e{n}"))
            return client.post("/v1/events", content=body, headers=STRUCTURED).status_code

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(send, range(200)))
    assert statuses == [202] * 200
    assert running.store.counts().journal == 200
    stats = running.hub.committer.stats
    assert stats.events == 200
    assert stats.commits < 200  # requests that arrived during a commit joined the next one


def test_openapi_document_is_published(running: RunningHub) -> None:
    with running.client() as client:
        document = client.get("/openapi.json").json()
        problem_page = client.get("/problems/idempotency-conflict").json()
    assert document["openapi"].startswith("3.1")
    assert {"/v1/events", "/v1/events/batch", "/healthz", "/readyz"} <= document["paths"].keys()
    assert "CloudEvent" in document["components"]["schemas"]
    assert problem_page["status"] == 409
