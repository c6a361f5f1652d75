"""The simulated WMS and TMS: valid, signed messages, and each misbehaviour on command."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from decimal import Decimal

import httpx
from stdnum import ean

from logisync.connectors.message_contract import read_message
from logisync.connectors.tms.contract import TMS_MESSAGE
from logisync.connectors.wms.contract import WMS_MESSAGE
from logisync.testing.tms import tms_sim
from logisync.testing.wms import DEFAULT_SECRET, MessageFaultPlan, WmsSim, wms_sim
from logisync.testing.wms.labels import gs1_check_digit, sscc

from .conftest import Receiver

ORDER = {
    "client_reference": "SO-1",
    "items": [
        {"line": 1, "article": "MUG-WHT", "qty": "2"},
        {"line": 2, "article": "TEE-M", "qty": "1"},
        {"line": 3, "article": "CAP", "qty": "1"},
    ],
}


def _release(wms: WmsSim, order: dict[str, object] = ORDER) -> httpx.Response:
    headers = {"authorization": f"Bearer {wms.token}"}
    return httpx.post(f"{wms.url}/api/v2/outbound-orders", json=order, headers=headers)


def _signed_correctly(post: dict[str, object], secret: str = DEFAULT_SECRET) -> bool:
    headers = post["headers"]
    assert isinstance(headers, dict)
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + bytes(
        post["body"]
    )  # type: ignore[arg-type]
    digest = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return headers["webhook-signature"] == f"v1,{digest}"


def test_gs1_check_digit_agrees_with_stdnum_and_ssccs_validate() -> None:
    assert gs1_check_digit("629104150021") == "3"  # a published GTIN-13 example
    for digits in ("0", "12345", "00012345600000001", "98765432109876543"):
        assert gs1_check_digit(digits) == ean.calc_check_digit(digits)
    for serial in (1, 2, 999, 123_456_789):
        label = sscc(serial)
        assert len(label) == 18 and ean.calc_check_digit(label[:-1]) == label[-1]


def test_a_released_order_comes_back_picked_packed_dispatched_signed(receiver: Receiver) -> None:
    with wms_sim(seed=4, post_to=receiver.url) as wms:
        assert _release(wms).json()["status"] == "accepted"
        assert wms.advance(60) and wms.advance(3 * 3600)
    types = [json.loads(p["body"])["type"] for p in receiver.posts]
    assert types == ["order.released", "order.picked", "order.packed", "order.dispatched"]
    assert all(_signed_correctly(p) for p in receiver.posts)
    for post in receiver.posts:
        read_message(post["body"], WMS_MESSAGE)  # valid SSCCs, times, every field
    packed = json.loads(receiver.posts[2]["body"])
    assert len(packed["packages"]) == 2  # two lines per package


def test_stock_snapshot_and_return_messages_are_valid(receiver: Receiver) -> None:
    with wms_sim(post_to=receiver.url, stock={"MUG-WHT": 10}) as wms:
        wms.adjust_stock("MUG-WHT", -2, "damaged")
        wms.receive_return("SO-1", "MUG-WHT", 1)
        wms.post_snapshot()
        wms.flush()
        assert wms.warehouse.stock[("WH1", "MUG-WHT")] == Decimal(9)
    messages = [read_message(p["body"], WMS_MESSAGE) for p in receiver.posts]
    assert [m.type for m in messages] == ["stock.adjusted", "return.received", "inventory.snapshot"]


def test_duplicates_repeat_an_adjustment_under_a_new_message_id(receiver: Receiver) -> None:
    with wms_sim(post_to=receiver.url, faults=MessageFaultPlan(duplicate_rate=1)) as wms:
        wms.adjust_stock("MUG-WHT", 3)
        sent = wms.flush()
    assert [m.tags for m in sent] == [(), ("duplicate",)]
    first, again = (json.loads(p["body"]) for p in receiver.posts)
    assert first["message_id"] != again["message_id"]
    assert first["adjustment_id"] == again["adjustment_id"]


def test_reordering_shuffles_what_is_due_at_one_flush(receiver: Receiver) -> None:
    plan = MessageFaultPlan(reorder_rate=1, seed=5)
    with wms_sim(seed=5, post_to=receiver.url, faults=plan) as wms:
        for n in range(8):
            wms.adjust_stock("MUG-WHT", n + 1)
        sent = wms.flush()
    ids = [m.message_id for m in sent]
    assert sorted(ids) == sorted(set(ids)) and ids != sorted(ids)
    assert all("reordered" in m.tags for m in sent)


def test_late_messages_leave_late(receiver: Receiver) -> None:
    plan = MessageFaultPlan(late_rate=1, late_seconds=1800)
    with wms_sim(post_to=receiver.url, faults=plan) as wms:
        wms.adjust_stock("MUG-WHT", 1)
        assert wms.flush() == []
        [late] = wms.advance(1800)
    assert "late" in late.tags


def test_a_burst_posts_fifty_times_the_pace(receiver: Receiver) -> None:
    with wms_sim(post_to=receiver.url, faults=MessageFaultPlan(messages_per_minute=2)) as wms:
        for _ in range(60):
            wms.adjust_stock("MUG-WHT", 1)
        assert len(wms.flush()) == 2  # a full bucket at the normal pace
        assert len(wms.advance(60)) == 2
        wms.burst_for(60, 50)
        burst = wms.advance(30)
    assert len(burst) == 50 and all("burst" in m.tags for m in burst)


def test_downtime_answers_503_and_holds_the_messages(receiver: Receiver) -> None:
    with wms_sim(post_to=receiver.url) as wms:
        wms.adjust_stock("MUG-WHT", 1)
        wms.down_for(300)
        answer = _release(wms)
        assert answer.status_code == 503 and answer.headers["retry-after"] == "2"
        assert wms.flush() == []
        assert len(wms.advance(300)) == 1


def test_a_malformed_copy_goes_before_the_genuine_message(receiver: Receiver) -> None:
    with wms_sim(post_to=receiver.url, faults=MessageFaultPlan(malformed_rate=1)) as wms:
        wms.adjust_stock("MUG-WHT", 1)
        sent = wms.flush()
    assert [m.tags for m in sent] == [("malformed",), ()]
    cut, genuine = (p["body"] for p in receiver.posts)
    assert genuine.startswith(cut) and len(cut) < len(genuine)


def test_a_refused_post_is_retried_at_the_next_flush(receiver: Receiver) -> None:
    receiver.answers = [503]
    with wms_sim(post_to=receiver.url) as wms:
        wms.adjust_stock("MUG-WHT", 1)
        assert [m.status for m in wms.flush()] == [503]
        [again] = wms.flush()
    assert again.status == 202 and again.tags == ("retry",)
    assert wms.outbox.pending() == []


def test_faults_and_the_clock_are_driven_live_over_http(receiver: Receiver) -> None:
    with wms_sim(post_to=receiver.url) as wms, httpx.Client(base_url=wms.url) as client:
        client.put("/__sim__/faults", json={"duplicate_rate": 1.0}).raise_for_status()
        wms.adjust_stock("MUG-WHT", 1)
        advanced = client.post("/__sim__/advance", json={"seconds": 1}).json()
        assert [m["tags"] for m in advanced["sent"]] == [[], ["duplicate"]]
        records = client.get("/__sim__/records").json()
        assert len(records["sent"]) == 2


def test_async_acknowledgement_is_posted_as_a_message(receiver: Receiver) -> None:
    with wms_sim(post_to=receiver.url, acknowledgement="async") as wms:
        assert _release(wms).json()["status"] == "received"
        wms.advance(5)
    ack = read_message(receiver.posts[0]["body"], WMS_MESSAGE)
    assert ack.type == "order.acknowledged" and ack.outcome == "accepted"  # type: ignore[union-attr]


def test_tms_plans_a_route_then_hands_over_and_proves_delivery(receiver: Receiver) -> None:
    with tms_sim(seed=2, post_to=receiver.url) as tms:
        headers = {"x-api-key": tms.api_key}
        for number in ("OUT-1", "OUT-2"):
            booked = httpx.post(
                f"{tms.url}/api/v1/consignments",
                json={"reference": number, "destination": {"city": "Tilburg", "country": "NL"}},
                headers=headers,
            )
            assert booked.status_code == 201
        planned = httpx.post(f"{tms.url}/api/v1/routes", headers=headers)
        assert planned.status_code == 201 and len(planned.json()["stops"]) == 2
        tms.advance(4 * 3600)
    messages = [read_message(p["body"], TMS_MESSAGE) for p in receiver.posts]
    assert [m.type for m in messages] == [
        "route.planned",
        "shipment.handed_over",
        "shipment.handed_over",
        "shipment.delivered",
        "shipment.delivered",
    ]
    assert all(_signed_correctly(p, tms.outbox.secret) for p in receiver.posts)


def test_the_pytest_fixtures_start_the_simulators(wms_sim: object, tms_sim: object) -> None:
    assert callable(wms_sim) and callable(tms_sim)
    wms = wms_sim(seed=1)
    tms = tms_sim(seed=1)
    assert httpx.get(f"{wms.url}/__sim__/faults").status_code == 200
    assert httpx.get(f"{tms.url}/__sim__/faults").status_code == 200
