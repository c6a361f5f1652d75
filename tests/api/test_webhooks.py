"""Provider webhooks over real HTTP: verified deliveries are journaled, the rest refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable

import orjson
import pytest

from logisync.api.webhook_route import WebhookSystems
from logisync.core.ports import CrosswalkLink

from .conftest import RunningHub, order

OLD_SECRET = base64.b64encode(b"old-secret-of-the-carrier-32byte").decode()
NEW_SECRET = base64.b64encode(b"new-secret-of-the-carrier-32byte").decode()
SECRETS = {
    "env:TMS_OLD": f"whsec_{OLD_SECRET}",
    "env:TMS_NEW": f"whsec_{NEW_SECRET}",
    "env:SHOP": "shopify-app-secret",
    "env:ODOO": "odoo-url-token",
}


@pytest.fixture
def hooked(start_hub: Callable[..., RunningHub]) -> RunningHub:
    systems = {
        "tms": (
            "tms_http",
            {"scheme": "standard_webhooks", "secrets": ["env:TMS_OLD", "env:TMS_NEW"]},
        ),
        "shop": ("shopify", {"scheme": "shopify", "secret": "env:SHOP"}),
        "odoo": ("odoo", {"scheme": "odoo_token", "secret": "env:ODOO"}),
    }
    return start_hub(webhooks=WebhookSystems(systems, SECRETS.__getitem__))


def _standard(
    body: bytes, secret_b64: str, webhook_id: str, at: int | None = None
) -> dict[str, str]:
    """Sign as a Standard Webhooks sender does (independently of the hub's code)."""
    stamp = str(at if at is not None else int(time.time()))
    message = f"{webhook_id}.{stamp}.".encode() + body
    digest = hmac.new(base64.b64decode(secret_b64), message, hashlib.sha256).digest()
    return {
        "content-type": "application/cloudevents+json",
        "webhook-id": webhook_id,
        "webhook-timestamp": stamp,
        "webhook-signature": f"v1,{base64.b64encode(digest).decode()}",
    }


def _event(n: int, source: str = "tms") -> bytes:
    return orjson.dumps(order(f"SO{n}", f"t{n}", source=source))


def test_a_signed_delivery_is_journaled_and_its_replay_processes_nothing(
    hooked: RunningHub,
) -> None:
    body = _event(1)
    headers = _standard(body, NEW_SECRET, "msg_1")
    with hooked.client() as client:
        first = client.post("/v1/webhooks/tms", content=body, headers=headers)
        replay = client.post("/v1/webhooks/tms", content=body, headers=headers)
    assert first.status_code == 202, first.text
    assert first.json()["events"][0]["id"] == "t1"
    assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
    assert hooked.store.counts().journal == 1
    assert hooked.store.raw_payload(1) == body


def test_both_secrets_are_accepted_while_rotating(hooked: RunningHub) -> None:
    with hooked.client() as client:
        old = client.post(
            "/v1/webhooks/tms", content=_event(1), headers=_standard(_event(1), OLD_SECRET, "a")
        )
        new = client.post(
            "/v1/webhooks/tms", content=_event(2), headers=_standard(_event(2), NEW_SECRET, "b")
        )
    assert (old.status_code, new.status_code) == (202, 202)


@pytest.mark.parametrize(
    ("case", "status", "words"),
    [
        ("tampered body", 401, "match"),
        ("wrong secret", 401, "match"),
        ("stale timestamp", 401, "tolerance"),
        ("missing signature", 401, "webhook-signature is missing"),
        ("malformed timestamp", 400, "webhook-timestamp"),
    ],
)
def test_a_delivery_that_does_not_verify_is_refused_and_audited(
    hooked: RunningHub, case: str, status: int, words: str
) -> None:
    body = _event(1)
    secret = (
        base64.b64encode(b"someone-else-entirely-32-bytes!!").decode()
        if case == "wrong secret"
        else NEW_SECRET
    )
    at = int(time.time()) - 3600 if case == "stale timestamp" else None
    headers = _standard(body, secret, "msg_x", at)
    if case == "tampered body":
        body = _event(2)
    if case == "missing signature":
        del headers["webhook-signature"]
    if case == "malformed timestamp":
        headers["webhook-timestamp"] = "yesterday"
    with hooked.client() as client:
        response = client.post("/v1/webhooks/tms", content=body, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"]
    assert hooked.store.counts().journal == 0
    (refusal,) = hooked.refusals()
    assert refusal.actor == "webhook:tms" and words in refusal.reason


def test_events_in_another_systems_name_are_refused_and_the_id_forgotten(
    hooked: RunningHub,
) -> None:
    foreign = _event(1, source="wms")
    with hooked.client() as client:
        refused = client.post(
            "/v1/webhooks/tms", content=foreign, headers=_standard(foreign, NEW_SECRET, "m")
        )
        fixed = _event(1)  # the sender fixes the payload and retries under the same id
        retried = client.post(
            "/v1/webhooks/tms", content=fixed, headers=_standard(fixed, NEW_SECRET, "m")
        )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["pointer"] == "/source"
    assert retried.status_code == 202
    assert hooked.store.counts().journal == 1


def test_shopify_deliveries_are_checked_against_the_app_secret(hooked: RunningHub) -> None:
    body = _event(1, source="shop")
    digest = base64.b64encode(
        hmac.new(b"shopify-app-secret", body, hashlib.sha256).digest()
    ).decode()
    headers = {
        "content-type": "application/cloudevents+json",
        "x-shopify-hmac-sha256": digest,
        "x-shopify-webhook-id": "wh-1",
    }
    with hooked.client() as client:
        good = client.post("/v1/webhooks/shop", content=body, headers=headers)
        bad = client.post(
            "/v1/webhooks/shop",
            content=body + b" ",
            headers={**headers, "x-shopify-webhook-id": "wh-2"},
        )
    assert good.status_code == 202, good.text
    assert bad.status_code == 401


def test_odoo_posts_authenticate_with_the_url_token(hooked: RunningHub) -> None:
    body = _event(1, source="odoo")
    headers = {"content-type": "application/cloudevents+json"}
    with hooked.client() as client:
        good = client.post("/v1/webhooks/odoo?token=odoo-url-token", content=body, headers=headers)
        bad = client.post("/v1/webhooks/odoo?token=guess", content=body, headers=headers)
    assert good.status_code == 202, good.text
    assert bad.status_code == 401


def test_an_odoo_automation_rule_post_becomes_the_fact_it_states_once(
    hooked: RunningHub,
) -> None:
    # What Odoo's "Send Webhook Notification" posts: sorted keys, load=None values.
    picking = {
        "_action": "Notify the hub(#12)",
        "_id": 7,
        "_model": "stock.picking",
        "carrier_tracking_ref": "1Z999",
        "date_done": "2026-03-01 12:00:00",
        "id": 7,
        "name": "WH/OUT/00007",
        "origin": "S00042",
        "picking_type_code": "outgoing",
        "state": "done",
        "write_date": "2026-03-01 12:00:00",
    }
    body = orjson.dumps(picking, option=orjson.OPT_SORT_KEYS)
    receipt = orjson.dumps({**picking, "_id": 8, "id": 8, "picking_type_code": "incoming"})
    url = "/v1/webhooks/odoo?token=odoo-url-token"
    headers = {"content-type": "application/json"}
    with hooked.client() as client:
        first = client.post(url, content=body, headers=headers)
        again = client.post(url, content=body, headers=headers)
        ignored = client.post(url, content=receipt, headers=headers)
        unknown = client.post(
            url, content=orjson.dumps({"_model": "hr.employee", "_id": 1}), headers=headers
        )
    assert first.status_code == 202, first.text
    assert again.status_code in (200, 202)
    assert ignored.status_code in (200, 202)
    assert unknown.status_code == 422 and "hr.employee" in unknown.text
    [event] = hooked.store.events_for("shipment:WH/OUT/00007")
    assert event.type == "shipment.dispatched"
    assert event.data["tracking_number"] == "1Z999"
    assert event.data["external_ids"] == {"odoo": "stock.picking,7"}
    assert hooked.store.resolve("odoo", "stock.picking,8") is None


def test_an_unconfigured_system_has_no_webhook_endpoint(hooked: RunningHub) -> None:
    with hooked.client() as client:
        response = client.post("/v1/webhooks/nobody", content=b"{}")
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


def test_a_tracking_event_is_journaled_under_the_shipment_its_number_is_linked_to(
    hooked: RunningHub,
) -> None:
    hooked.store.link([CrosswalkLink("ups", "1Z999AA10123456784", "shipment:WH-OUT-7")])

    def milestone(event_id: str, tracking: str) -> bytes:
        data = {
            "carrier": "ups",
            "tracking_number": tracking,
            "milestone": "in_transit",
            "occurred_at": "2026-03-01T10:00:00Z",
        }
        return orjson.dumps(
            {
                "specversion": "1.0",
                "id": event_id,
                "source": "tms",
                "type": "shipment.milestone_recorded",
                "time": "2026-03-01T10:00:00Z",
                "data": data,
            }
        )

    with hooked.client() as client:
        for n, tracking in enumerate(("1Z999AA10123456784", "1Z999AA10123456791")):
            body = milestone(f"scan-{n}", tracking)
            answer = client.post(
                "/v1/webhooks/tms", content=body, headers=_standard(body, NEW_SECRET, f"s{n}")
            )
            assert answer.status_code == 202, answer.text
    known, unknown = hooked.store.events_by_seq([1, 2]).values()
    assert known.subject == "shipment:WH-OUT-7"
    assert known.data["shipment_number"] == "WH-OUT-7"
    # no link yet (the scan outran the dispatch): kept under the carrier's number, not dropped
    assert unknown.subject == "shipment:1Z999AA10123456791"
