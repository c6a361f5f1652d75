"""Pushes to a receiver on loopback: UPS Track Alert and signed FedEx webhooks, with faults."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from carrier_hub_receiver import Receiver

from logisync.model.lifecycle import LIFECYCLES
from logisync.testing.carrier_hub import CarrierFaultPlan, CarrierHubSim, fedex_signature
from logisync.testing.carrier_hub.status_tables import STATUSES

DAYS = 24 * 3600
Hubs = Callable[..., CarrierHubSim]


def _push_to(url: str) -> dict[str, str]:
    return {"ups": f"{url}/v1/webhooks/ups", "fedex": f"{url}/v1/webhooks/fedex"}


def test_ups_pushes_track_alert_bodies_with_its_headers(
    carrier_hub_sim: Hubs, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    carriers = carrier_hub_sim(seed=5, push_to=_push_to(url))
    shipment = carriers.register("ups", outcome="delivered")
    carriers.advance(10 * DAYS)
    sent = carriers.tick()
    scans = shipment.scans[shipment.tracking_number]
    assert len(sent) == len(target.received) == len(scans)
    first = target.received[0]
    assert first.path == "/v1/webhooks/ups"
    assert first.headers["x-api-key"] == carriers.credentials.ups_push_api_key
    assert first.headers["user-agent"] == "UPSPubSubTrackingService"
    bodies = [json.loads(r.body) for r in target.received]
    assert [b["activityStatus"]["code"] for b in bodies] == [s.status.code for s in scans]
    last = bodies[-1]
    assert last["activityStatus"] == {
        "type": "D",
        "code": "FS",
        "description": "DELIVERED",
        "descriptionCode": "011",
    }
    assert len(last["gmtOffset"]) == 6 and last["gmtOffset"][3] == "."  # '-07.00'
    assert set(last["activityLocation"]) == {"city", "stateProvince", "postalCode", "country"}
    assert "actualDeliveryDate" in last
    assert carriers.tick() == []  # nothing new is due


def test_fedex_pushes_are_signed_with_the_token(
    carrier_hub_sim: Hubs, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    carriers = carrier_hub_sim(seed=6, push_to=_push_to(url))
    carriers.register("fedex", pieces=2)
    carriers.advance(10 * DAYS)
    carriers.tick()
    token = carriers.credentials.fedex_webhook_token
    assert target.received
    for request in target.received:
        assert request.headers["fdx-signature"] == fedex_signature(token, request.body)
        assert request.headers["fdx-signature"] != fedex_signature("other", request.body)
        event = json.loads(request.body)["scanEvents"][0]
        assert datetime.fromisoformat(event["date"]).tzinfo is not None


def test_duplicates_are_exact_copies(carrier_hub_sim: Hubs, receiver: tuple[Receiver, str]) -> None:
    target, url = receiver
    plan = CarrierFaultPlan(duplicate_rate=0.5, seed=1)
    carriers = carrier_hub_sim(seed=7, push_to=_push_to(url), faults=plan)
    carriers.generate(4, carriers=("ups", "fedex"))
    carriers.advance(20 * DAYS)
    sent = carriers.tick()
    duplicates = [m for m in sent if "duplicate" in m.tags]
    assert 0 < len(duplicates) < len(sent)
    for copy in duplicates:
        original = next(m for m in sent if m.scan_ids == copy.scan_ids and not m.tags)
        assert copy.body == original.body and copy.headers == original.headers
    assert len(target.received) == len(sent)


def test_reordering_really_reorders(carrier_hub_sim: Hubs, receiver: tuple[Receiver, str]) -> None:
    _, url = receiver
    carriers = carrier_hub_sim(
        seed=8, push_to=_push_to(url), faults=CarrierFaultPlan(reorder_rate=1)
    )
    carriers.register("fedex", outcome="delivered")
    carriers.advance(10 * DAYS)
    sent = carriers.tick()
    times = [datetime.fromisoformat(json.loads(m.body)["scanEvents"][0]["date"]) for m in sent]
    assert times != sorted(times) and sorted(times) == sorted(set(times))
    assert all("reordered" in m.tags for m in sent)


def test_late_scans_arrive_after_later_ones(
    carrier_hub_sim: Hubs, receiver: tuple[Receiver, str]
) -> None:
    _, url = receiver
    plan = CarrierFaultPlan(late_rate=0.4, late_seconds=2 * DAYS, seed=3)
    carriers = carrier_hub_sim(seed=9, push_to=_push_to(url), faults=plan)
    shipment = carriers.register("ups", outcome="delivered")
    pushed: list[str] = []
    for _ in range(40):
        carriers.advance(3 * 3600)
        pushed += [m.scan_ids[0] for m in carriers.tick()]
    planned = [s.scan_id for s in shipment.scans[shipment.tracking_number]]
    assert sorted(pushed) == sorted(planned) and pushed != planned
    assert any("late" in m.tags for m in carriers.records.pushes())


def test_a_burst_pushes_fifty_times_the_normal_rate(
    carrier_hub_sim: Hubs, receiver: tuple[Receiver, str]
) -> None:
    _, url = receiver
    carriers = carrier_hub_sim(seed=10, push_to=_push_to(url))
    carriers.generate(60, carriers=("ups", "fedex"))
    carriers.advance(30 * DAYS)  # a backlog of several hundred scans is due
    carriers.faults = CarrierFaultPlan(pushes_per_minute=2)
    carriers.tick()  # start the pacing clock
    carriers.advance(60)
    normal = carriers.tick()
    carriers.burst_for(60, factor=50)
    carriers.advance(60)
    burst = carriers.tick()
    assert len(normal) == 2
    assert len(burst) == 100  # 2/min x 50 for one minute


def test_downtime_holds_pushes_until_it_ends(
    carrier_hub_sim: Hubs, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    carriers = carrier_hub_sim(seed=11, push_to=_push_to(url))
    shipment = carriers.register("fedex")
    carriers.down_for(3600)
    carriers.advance(1800)
    assert carriers.tick() == [] and target.received == []
    carriers.advance(1800)
    assert [m.scan_ids[0] for m in carriers.tick()] == [
        s.scan_id for s in carriers.hub.visible_scans(shipment.tracking_number)
    ]


def test_malformed_and_unknown_code_pushes_come_beside_the_genuine_one(
    carrier_hub_sim: Hubs, receiver: tuple[Receiver, str]
) -> None:
    _, url = receiver
    plan = CarrierFaultPlan(malformed_rate=1, unknown_code_rate=1)
    carriers = carrier_hub_sim(seed=12, push_to=_push_to(url), faults=plan)
    carriers.register("ups")
    sent = carriers.tick()
    assert [m.tags for m in sent] == [("unknown_code",), ("malformed",), ()]
    assert json.loads(sent[0].body)["activityStatus"]["type"] == "Q"
    assert sent[1].body == sent[2].body[: len(sent[2].body) // 2]
    expected = carriers.expected(sent[2].tracking_numbers[0])
    assert expected["final_milestone"] == "pre_transit"  # the extras change nothing


def test_a_refused_push_is_retried_at_the_next_tick(
    carrier_hub_sim: Hubs, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    carriers = carrier_hub_sim(seed=13, push_to=_push_to(url))
    carriers.register("ups")
    target.refuse_next = 1
    first = carriers.tick()
    assert [m.status for m in first] == [503]
    again = carriers.tick()
    assert [m.status for m in again] == [200] and again[0].tags == ("retry",)
    assert again[0].body == first[0].body


def test_same_seed_same_pushes(carrier_hub_sim: Hubs, receiver: tuple[Receiver, str]) -> None:
    _, url = receiver
    plan = CarrierFaultPlan(duplicate_rate=0.3, reorder_rate=0.5, seed=2)
    bodies = []
    for _ in range(2):
        carriers = carrier_hub_sim(seed=14, push_to=_push_to(url), faults=plan)
        carriers.generate(5, carriers=("ups", "fedex"))
        carriers.advance(20 * DAYS)
        bodies.append([m.body for m in carriers.tick()])
    assert bodies[0] == bodies[1] and bodies[0]


def test_a_receiver_of_faulty_pushes_can_reach_the_expected_end_state(
    carrier_hub_sim: Hubs, receiver: tuple[Receiver, str]
) -> None:
    """Shuffled, duplicated, late, malformed and unknown-code pushes still carry enough to end
    where ``expected`` says, for a receiver that ranks milestones as the hub does."""
    target, url = receiver
    plan = CarrierFaultPlan(
        duplicate_rate=0.3, reorder_rate=1, late_rate=0.2, malformed_rate=0.2,
        unknown_code_rate=0.2, seed=9,
    )  # fmt: skip
    carriers = carrier_hub_sim(seed=15, push_to=_push_to(url), faults=plan)
    shipments = carriers.generate(8, carriers=("ups",))
    for _ in range(12):
        carriers.advance(DAYS)
        carriers.tick()
    by_code = {(s.status_type, s.code): s.milestone for s in STATUSES["ups"].values()}
    rank = LIFECYCLES["shipment"].rank
    best: dict[str, tuple[int, str, str]] = {}
    for request in target.received:
        try:
            body = json.loads(request.body)
        except json.JSONDecodeError:
            continue  # a malformed push: the genuine one follows
        status = body["activityStatus"]
        milestone = by_code.get((status["type"], status["code"]), "unknown")
        stamp = body["gmtActivityDate"] + body["gmtActivityTime"]
        candidate = (rank(milestone), stamp, milestone)
        number = body["trackingNumber"]
        best[number] = max(best.get(number, candidate), candidate)
    for shipment in shipments:
        for number in shipment.tracked_numbers:
            expected = carriers.expected(number)
            assert best[number][2] == expected["final_milestone"], expected
