"""The read API over a real server, on data produced by appending, processing and delivering."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from logisync.core.clock import ManualClock
from logisync.core.journal import Journal
from logisync.core.keys import ADMIN, PII, READ, SUBMIT
from logisync.core.processor import Processor
from logisync.core.stewardship import Stewardship
from logisync.model.pii import MASK

from .conftest import RunningHub
from .read_scenario import (
    EMAIL,
    NAME,
    ORDER,
    OTHER_NAME,
    PERSONAL,
    PHONE,
    STREET,
    business_day,
    event,
    example_rules,
)


@pytest.fixture
def day(running: RunningHub) -> RunningHub:
    business_day(running.store, ManualClock(datetime(2026, 3, 1, 16, tzinfo=UTC)))
    return running


def reader(hub: RunningHub, *scopes: str) -> dict[str, str]:
    token, _ = hub.key(system=None, scopes=frozenset({READ, *scopes}))
    return {"authorization": f"Bearer {token}"}


# -- events --------------------------------------------------------------------------------
def test_an_event_is_shown_as_journaled_with_its_processing(day: RunningHub) -> None:
    with day.client() as client:
        answer = client.get("/v1/events/odoo-2", headers=reader(day))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["id"], body["source"], body["type"]) == ("odoo-2", "odoo", "sales_order.confirmed")
    assert (body["subject"], body["correlationid"]) == ("sales_order:SO1001", ORDER)
    assert body["data"] == {"number": "SO1001"}
    assert body["seq"] == 4 and body["received_at"].startswith("2026-03-01T16:")
    assert body["processing"]["outcome"] == "applied"
    assert body["processing"]["detail"]["changed"] == {"status": "confirmed"}


def test_an_event_not_yet_processed_has_no_processing(day: RunningHub) -> None:
    Journal(day.store).append(
        [
            event(
                99,
                "product.created",
                {"sku": "P9", "name": "Lamp"},
                "odoo",
                time="2026-03-02T08:00:00Z",
            )
        ]
    )
    with day.client() as client:
        body = client.get("/v1/events/odoo-99", headers=reader(day)).json()
    assert body["processing"] is None and body["data"]["name"] == "Lamp"


def test_an_id_used_by_two_sources_needs_the_source(day: RunningHub) -> None:
    twin = event(
        2, "product.created", {"sku": "P2", "name": "Desk"}, "odoo", time="2026-03-02T08:00:00Z"
    )
    Journal(day.store).append([twin.model_copy(update={"source": "wms", "id": "odoo-2"})])
    headers = reader(day)
    with day.client() as client:
        ambiguous = client.get("/v1/events/odoo-2", headers=headers)
        chosen = client.get("/v1/events/odoo-2", params={"source": "wms"}, headers=headers)
        missing = client.get("/v1/events/odoo-2", params={"source": "ups"}, headers=headers)
        unknown = client.get("/v1/events/nobody-1", headers=headers)
    assert ambiguous.status_code == 409
    assert ambiguous.headers["content-type"] == "application/problem+json"
    assert "odoo, wms" in ambiguous.json()["detail"]
    assert chosen.status_code == 200 and chosen.json()["type"] == "product.created"
    assert missing.status_code == 404 and unknown.status_code == 404


# -- entities ------------------------------------------------------------------------------
def test_an_entity_shows_state_provenance_history_conflicts_and_ids(day: RunningHub) -> None:
    with day.client() as client:
        answer = client.get("/v1/entities/partner:C1", headers=reader(day, PII))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["state"]["email"] == EMAIL and body["version"] == 1
    assert body["provenance"]["name"]["system"] == "odoo"
    assert body["provenance"]["name"]["event"] == "odoo-10"
    assert [(h["event_id"], h["outcome"]) for h in body["history"]] == [
        ("odoo-10", "applied"),
        ("shop-11", "conflict"),
    ]
    [conflict] = body["conflicts"]
    assert (conflict["field"], conflict["proposed_by"], conflict["current_source"]) == (
        "name",
        "shop",
        "odoo",
    )
    assert (conflict["proposed_value"], conflict["current_value"]) == (OTHER_NAME, NAME)
    assert {(i["system"], i["external_id"]) for i in body["identifiers"]} == {
        ("odoo", "res.partner,7"),
        ("shop", "cust-99"),
    }
    assert body["pending_events"] == 0


def test_an_accepted_conflict_shows_its_outcome_and_the_steward_s_value(day: RunningHub) -> None:
    clock = ManualClock(datetime(2026, 3, 1, 17, tzinfo=UTC))
    [conflict] = day.store.open_conflicts()
    Stewardship(day.store, clock).accept(conflict.id, actor="user:ann", reason="checked")
    Processor(day.store, example_rules(), clock=clock).run_until_idle()
    decision = f"/v1/events/conflict-{conflict.id}-accepted"
    with day.client() as client:
        answer = client.get("/v1/entities/partner:C1", headers=reader(day, PII))
        masked = client.get("/v1/entities/partner:C1", headers=reader(day)).json()
        shown = client.get(decision, headers=reader(day, PII)).json()
        hidden = client.get(decision, headers=reader(day)).json()
    body = answer.json()
    assert body["conflicts"] == []
    [decided] = body["decided_conflicts"]
    assert (decided["id"], decided["state"], decided["decided_by"]) == (
        conflict.id,
        "accepted",
        "user:ann",
    )
    assert decided["decided_at"] == "2026-03-01T17:00:00.000000Z"
    assert body["state"]["name"] == OTHER_NAME and body["version"] == 2
    assert body["provenance"]["name"]["system"] == "steward"
    assert body["history"][-1]["source"] == "steward"
    assert (shown["type"], shown["data"]["values"]) == (
        "partner.value_accepted",
        {"name": OTHER_NAME},
    )
    # the accepted value is personal where the entity's field is: masked without pii:read
    assert hidden["data"]["values"] == {"name": MASK}
    assert hidden["data"]["replaces"] == {"name": MASK}
    assert masked["decided_conflicts"][0]["proposed_value"] == MASK


def test_an_entity_key_with_a_slash_and_an_unknown_entity(day: RunningHub) -> None:
    event_ = event(
        50,
        "stock.level_reported",
        {"location": "WH1", "sku": "P1", "on_hand": {"value": "4", "unit": "H87"}},
        "wms",
        time="2026-03-02T08:00:00Z",
    )
    Journal(day.store).append([event_])
    with day.client() as client:
        pending = client.get("/v1/entities/stock_level:WH1/P1", headers=reader(day))
        unknown = client.get("/v1/entities/partner:NOBODY", headers=reader(day))
        invalid = client.get("/v1/entities/no-domain", headers=reader(day))
    assert pending.status_code == 200, pending.text
    assert (pending.json()["version"], pending.json()["pending_events"]) == (0, 1)
    assert unknown.status_code == 404
    assert invalid.status_code == 400


# -- personal data -------------------------------------------------------------------------
def test_personal_data_is_masked_without_pii_read(day: RunningHub) -> None:
    with day.client() as client:
        headers = reader(day)
        entity = client.get("/v1/entities/partner:C1", headers=headers).json()
        created = client.get("/v1/events/odoo-10", headers=headers).json()
        order = client.get("/v1/entities/sales_order:SO1001", headers=headers).json()
        trace = client.get(f"/v1/trace/{ORDER}", headers=headers).json()
    for document in (entity, created, order, trace):
        text = str(document)
        assert not [value for value in PERSONAL if value in text], text
    state = entity["state"]
    assert (state["name"], state["email"], state["phone"]) == (MASK, MASK, MASK)
    assert state["address"] == {"street": MASK, "city": "Lyon", "country": "FR"}
    assert state["ref"] == "C1"  # business keys are not personal
    assert created["data"]["email"] == MASK and created["data"]["address"]["city"] == "Lyon"
    assert entity["history"][0]["detail"]["changed"]["phone"] == MASK
    conflict = entity["conflicts"][0]
    assert (conflict["proposed_value"], conflict["current_value"]) == (MASK, MASK)
    assert order["state"]["ship_to"]["street"] == MASK
    assert order["state"]["ship_to"]["postal_code"] == "69002"


@pytest.mark.parametrize("scope", [PII, ADMIN])
def test_personal_data_is_shown_with_pii_read_or_admin(day: RunningHub, scope: str) -> None:
    with day.client() as client:
        entity = client.get("/v1/entities/partner:C1", headers=reader(day, scope)).json()
        trace = client.get(f"/v1/trace/{ORDER}", headers=reader(day, scope)).json()
    assert (entity["state"]["name"], entity["state"]["phone"]) == (NAME, PHONE)
    assert entity["state"]["address"]["street"] == STREET
    placed = next(e for e in trace["entries"] if e["kind"] == "event.received")
    assert placed["data"]["ship_to"]["street"] == STREET


# -- scopes --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/v1/events/odoo-2",
        "/v1/entities/partner:C1",
        f"/v1/trace/{ORDER}",
        "/v1/deliveries?state=dead",
    ],
)
def test_a_submit_only_key_may_not_read_and_is_audited(day: RunningHub, path: str) -> None:
    token, key = day.key(system="shop", scopes=frozenset({SUBMIT}))
    with day.client(token) as client, day.client() as nobody:
        answer = client.get(path)
        anonymous = nobody.get(path)
    assert answer.status_code == 403
    assert "events:read" in answer.json()["detail"]
    assert anonymous.status_code == 401
    [refusal] = [r for r in day.refusals() if r.actor == f"key:{key.key_id}"]
    assert refusal.origin == "127.0.0.1"
    assert refusal.subject == "GET " + path.partition("?")[0]


def test_reading_personal_data_logs_none_of_it(
    day: RunningHub, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG), day.client() as client:
        headers = reader(day, PII)
        for path in ("/v1/entities/partner:C1", "/v1/events/odoo-10", f"/v1/trace/{ORDER}"):
            assert client.get(path, headers=headers).status_code == 200
        client.get("/v1/entities/partner:C1", headers={"authorization": "Bearer lsk_x_y"})
    logged = caplog.text + " ".join(str(record.args) for record in caplog.records)
    assert not [value for value in PERSONAL if value in logged], logged
