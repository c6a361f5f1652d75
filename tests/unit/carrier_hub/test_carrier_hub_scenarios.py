"""The seeded scenario generator: same seed, same journeys; every journey realistic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from logisync.testing.carrier_hub import (
    CARRIERS,
    CarrierHub,
    final_milestone,
    latest_milestone,
    shipment_milestone,
)
from logisync.testing.carrier_hub.scenarios import ScenarioGenerator
from logisync.testing.carrier_hub.status_tables import STATUSES, SUPPORTED_OUTCOMES

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
ENDS = {
    "delivered": "delivered",
    "attempted": "delivery_attempted",
    "exception": "exception",
    "returned": "returned_to_sender",
    "held": "available_for_pickup",
    "cancelled": "cancelled",
}


def _facts(hub: CarrierHub) -> list[tuple[object, ...]]:
    return [
        (s.scan_id, s.status.code, s.at, s.place.city)
        for shipment in hub.shipments()
        for s in shipment.all_scans()
    ]


def test_same_seed_same_scans_other_seed_other_scans() -> None:
    first, second, other = CarrierHub(seed=11), CarrierHub(seed=11), CarrierHub(seed=12)
    for hub in (first, second, other):
        hub.generate(12)
    assert _facts(first) == _facts(second)
    assert _facts(first) != _facts(other)


@pytest.mark.parametrize("carrier", CARRIERS)
def test_every_supported_outcome_ends_where_it_says(carrier: str) -> None:
    generator = ScenarioGenerator(5)
    for outcome in SUPPORTED_OUTCOMES[carrier]:  # type: ignore[index]
        pieces = 1 if carrier == "usps" else 2
        shipment = generator.plan(carrier, start=START, pieces=pieces, outcome=outcome)  # type: ignore[arg-type]
        for scans in shipment.scans.values():
            assert scans[0].expected == "pre_transit"
            times = [scan.at for scan in scans]
            assert times == sorted(times) and len(set(times)) == len(times)
            expected_end = ENDS[outcome]
            if carrier == "ups" and outcome == "attempted":
                # UPS reports an attempt as an exception (type X), which ranks below the
                # out-for-delivery before it: the hub keeps showing out for delivery.
                assert latest_milestone(scans) == "exception"
                expected_end = "out_for_delivery"
            assert final_milestone(scans) == expected_end, (carrier, outcome)


@pytest.mark.parametrize("carrier", CARRIERS)
def test_every_scan_uses_the_carriers_own_table(carrier: str) -> None:
    hub = CarrierHub(seed=2)
    for _ in range(10):
        hub.register(carrier)  # type: ignore[arg-type]
    codes = set(STATUSES[carrier].values())  # type: ignore[index]
    for shipment in hub.shipments():
        assert all(scan.status in codes for scan in shipment.all_scans())


def test_ups_and_fedex_pieces_have_their_own_numbers_dhl_lists_piece_ids() -> None:
    hub = CarrierHub(seed=4)
    ups = hub.register("ups", pieces=3)
    assert len(ups.tracked_numbers) == 3 and ups.tracking_number == ups.tracked_numbers[0]
    assert len({number[2:8] for number in ups.tracked_numbers}) == 1  # one shipper
    dhl = hub.register("dhl", pieces=3)
    assert dhl.tracked_numbers == (dhl.tracking_number,)
    assert all(piece.tracking_number.startswith("JD01") for piece in dhl.pieces[1:])


def test_impossible_registrations_say_why() -> None:
    hub = CarrierHub()
    with pytest.raises(ValueError, match="cannot express the outcome 'returned'"):
        hub.register("ups", outcome="returned")
    with pytest.raises(ValueError, match="USPS tracks each mail piece alone"):
        hub.register("usps", pieces=2)
    with pytest.raises(ValueError, match="unknown carrier 'ontrac'"):
        hub.register("ontrac")  # type: ignore[arg-type]


def test_only_scans_whose_time_has_come_are_visible() -> None:
    hub = CarrierHub(seed=1)
    shipment = hub.register("fedex", outcome="delivered")
    number = shipment.tracking_number
    assert [s.step for s in hub.visible_scans(number)] == ["label"]
    hub.advance(10 * 24 * 3600)
    assert hub.visible_scans(number) == shipment.scans[number]
    expected = hub.expected(number)
    assert expected["final_milestone"] == expected["planned_final_milestone"] == "delivered"
    for wrong in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="moves forward"):
            hub.advance(wrong)


def test_a_multi_piece_shipment_is_delivered_only_when_every_piece_is() -> None:
    hub = CarrierHub(seed=3)
    shipment = hub.register("fedex", pieces=3, outcome="delivered")
    first, *_, last = shipment.tracked_numbers
    delivered_at = [scans[-1].at for scans in shipment.scans.values()]
    hub.advance((min(delivered_at) - hub.now()).total_seconds())
    state = hub.expected(first)
    assert state["final_milestone"] == "delivered"
    assert state["shipment_final_milestone"] != "delivered"
    assert hub.expected(last)["planned_shipment_final_milestone"] == "delivered"
    hub.advance((max(delivered_at) - hub.now()).total_seconds())
    assert hub.expected(last)["shipment_final_milestone"] == "delivered"


def test_the_shipment_shows_its_least_advanced_piece() -> None:
    hub = CarrierHub(seed=8)
    shipment = hub.register("ups", pieces=2, outcome="delivered")
    first, second = shipment.tracked_numbers
    scans = {first: shipment.scans[first], second: shipment.scans[second][:3]}
    assert shipment_milestone(scans) == final_milestone(scans[second]) == "in_transit"
    assert shipment_milestone({}) == "unknown"
