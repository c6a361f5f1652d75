"""``/v1/trace`` and ``/v1/deliveries`` over a real server, on a processed and delivered day."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from logisync.core.clock import ManualClock
from logisync.core.keys import ADMIN, READ, SUBMIT

from .conftest import RunningHub
from .read_scenario import ORDER, business_day


@pytest.fixture
def day(running: RunningHub) -> RunningHub:
    business_day(running.store, ManualClock(datetime(2026, 3, 1, 16, tzinfo=UTC)))
    return running


def headers(hub: RunningHub, *scopes: str) -> dict[str, str]:
    token, _ = hub.key(system=None, scopes=frozenset(scopes or {READ}))
    return {"authorization": f"Bearer {token}"}


# -- trace ---------------------------------------------------------------------------------
def test_a_trace_follows_the_transaction_across_systems_in_time_order(day: RunningHub) -> None:
    with day.client() as client:
        answer = client.get(f"/v1/trace/{ORDER}", headers=headers(day))
    assert answer.status_code == 200, answer.text
    trace = answer.json()
    entries = trace["entries"]
    assert (trace["correlation_id"], trace["events"]) == (ORDER, 3)
    assert [e["at"] for e in entries] == sorted(e["at"] for e in entries)
    received = [(e["source"], e["type"]) for e in entries if e["kind"] == "event.received"]
    assert received == [
        ("shop", "sales_order.placed"),
        ("odoo", "sales_order.confirmed"),
        ("wms", "sales_order.shipped"),
    ]
    processed = [e for e in entries if e["kind"] == "event.processed"]
    assert [e["outcome"] for e in processed] == ["applied", "applied", "applied"]
    created = {(e["target"], e["mode"]) for e in entries if e["kind"] == "delivery.created"}
    assert ("odoo", "state") in created and ("wms", "event") in created
    kinds = [e["kind"] for e in entries]
    # each event is received, then processed, before what it caused
    first_delivery = kinds.index("delivery.created")
    assert kinds[:2] == ["event.received", "event.processed"]
    assert first_delivery == 2
    # the shop's order was refused by Odoo, the warehouse answered 503 once and then took it
    dead = [e for e in entries if e["kind"] == "delivery.dead_lettered"]
    assert dead and dead[0]["target"] == "odoo" and "422" in dead[0]["error"]
    failed = [e for e in entries if e["kind"] == "delivery.failed"]
    assert [(e["target"], e["error"]) for e in failed] == [("wms", "503 busy")]
    wms = [e for e in entries if e["kind"] == "delivery.delivered" and e["target"] == "wms"]
    assert wms[0]["attempt"] == 2 and wms[0]["target_ref"].startswith("wms-")
    assert kinds.index("delivery.failed") < entries.index(wms[0])


def test_an_unknown_correlation_is_not_found(day: RunningHub) -> None:
    with day.client() as client:
        answer = client.get("/v1/trace/order-NOPE", headers=headers(day))
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


# -- dead letters and replay ----------------------------------------------------------------
def dead_letters(hub: RunningHub, **params: object) -> list[dict[str, object]]:
    with hub.client() as client:
        answer = client.get(
            "/v1/deliveries", params={"state": "dead", **params}, headers=headers(hub)
        )
    assert answer.status_code == 200, answer.text
    deliveries: list[dict[str, object]] = answer.json()["deliveries"]
    return deliveries


def test_dead_letters_are_listed_with_their_error_by_target(day: RunningHub) -> None:
    dead = dead_letters(day)
    assert dead and {d["target"] for d in dead} == {"odoo"}
    first = dead[0]
    assert (first["state"], first["mode"], first["last_error"]) == (
        "dead",
        "state",
        "422: customer C1 is not in Odoo",
    )
    assert first["dead_at"] is not None
    assert dead_letters(day, target="wms") == []


def test_the_list_pages_by_id(day: RunningHub) -> None:
    with day.client() as client:
        first = client.get(
            "/v1/deliveries", params={"state": "dead", "limit": 1}, headers=headers(day)
        ).json()
        after = first["next_after"]
        second = client.get(
            "/v1/deliveries",
            params={"state": "dead", "limit": 1, "after": after},
            headers=headers(day),
        ).json()
    assert after == first["deliveries"][0]["id"]
    assert second["deliveries"][0]["id"] > after


def test_a_replay_is_queued_and_audited_with_the_key_and_the_address(day: RunningHub) -> None:
    [dead, *_] = dead_letters(day)
    token, key = day.key(system=None, scopes=frozenset({ADMIN}))
    with day.client(token) as client:
        answer = client.post(
            f"/v1/deliveries/{dead['id']}/replay",
            json={"reason": "customer C1 created in Odoo", "mode": "sent"},
        )
        again = client.post(f"/v1/deliveries/{dead['id']}/replay", json={"reason": "twice"})
        missing = client.post("/v1/deliveries/999999/replay", json={"reason": "x"})
        no_reason = client.post(f"/v1/deliveries/{dead['id']}/replay", json={})
    assert answer.status_code == 202, answer.text
    assert (answer.json()["state"], answer.json()["attempts"]) == ("pending", 0)
    assert again.status_code == 409 and "pending, not dead" in again.json()["detail"]
    assert missing.status_code == 404
    assert no_reason.status_code == 400
    [entry] = [e for e in day.store.audit_log() if e.action == "dlq.replay"]
    assert (entry.actor, entry.origin) == (f"key:{key.key_id}", "127.0.0.1")
    assert (entry.subject, entry.reason) == (
        f"delivery:{dead['id']}",
        "customer C1 created in Odoo",
    )
    assert entry.detail == {"delivery": dead["id"], "as": "sent"}
    assert dead["id"] not in [d["id"] for d in dead_letters(day)]


def test_a_replay_needs_admin_and_a_refusal_is_audited(day: RunningHub) -> None:
    [dead, *_] = dead_letters(day)
    token, key = day.key(system="shop", scopes=frozenset({SUBMIT, READ}))
    with day.client(token) as client:
        answer = client.post(f"/v1/deliveries/{dead['id']}/replay", json={"reason": "try"})
    assert answer.status_code == 403
    [refusal] = [r for r in day.refusals() if r.actor == f"key:{key.key_id}"]
    assert "admin" in refusal.reason and refusal.origin == "127.0.0.1"
    assert dead["id"] in [d["id"] for d in dead_letters(day)]  # still dead
