"""Seeded business documents: the same seed gives the same documents, numbers are valid GS1."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from logisync.model.identifiers import _sscc
from logisync.testing.edi_partner import (
    DOCUMENT_KINDS,
    DocumentFactory,
    facts_of_event,
    new_gtin,
    new_sscc,
)

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def documents(seed: int) -> list[object]:
    factory = DocumentFactory(seed)
    return [factory.new(kind, AT) for kind in DOCUMENT_KINDS * 3]


def test_the_same_seed_gives_the_same_documents_and_another_seed_others() -> None:
    assert documents(11) == documents(11)
    assert documents(11) != documents(12)


@given(st.integers(0, 9), st.integers(0, 10**12))
def test_every_sscc_has_eighteen_digits_and_a_right_gs1_check_digit(
    extension: int, serial: int
) -> None:
    sscc = new_sscc(extension, "0614141", serial)
    assert len(sscc) == 18 and sscc.isdigit()
    assert _sscc(sscc) == sscc  # the model's own validator accepts it


@given(st.randoms(use_true_random=False))
def test_every_gtin_is_a_valid_gtin_13(rng: object) -> None:
    import random

    assert isinstance(rng, random.Random)
    assert ean.is_valid(new_gtin(rng, "0614141"))


def test_ship_notices_and_invoices_refer_to_orders_the_partner_placed() -> None:
    factory = DocumentFactory(5)
    orders = {factory.new("purchase_order", AT).number for _ in range(3)}
    for _ in range(5):
        assert factory.new("ship_notice", AT).content["order_number"] in orders
        assert factory.new("invoice", AT).content["order_number"] in orders


def test_a_purchase_order_line_carries_a_sku_and_a_gtin_and_its_expected_quantities() -> None:
    order = DocumentFactory(2).new("purchase_order", AT)
    (fact,) = order.expected
    assert fact.event_type == "sales_order.placed" and fact.key == order.number
    for line in order.content["lines"]:
        assert ean.is_valid(line["gtin"])
        assert fact.facts["lines"][line["sku"]] == str(line["quantity"]["value"])


def test_a_shipment_packs_each_ordered_line_once_in_packages_with_their_own_ssccs() -> None:
    shipment = DocumentFactory(9).new("shipping_advice", AT).content
    packed = [sku for p in shipment["packages"] for sku in p["contents"]]
    assert len(packed) == len(set(packed))
    assert len({p["sscc"] for p in shipment["packages"]}) == len(shipment["packages"])


def test_facts_of_an_unknown_event_type_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"no compact facts for 'sales_order\.cancelled'"):
        facts_of_event({"type": "sales_order.cancelled", "data": {}})


def test_carrier_status_follows_a_shipment_the_partner_reported_in_time_order() -> None:
    factory = DocumentFactory(4)
    factory.new("purchase_order", AT)
    shipment = factory.new("ship_notice", AT).content
    milestones = factory.new("carrier_status", AT).content["milestones"]
    assert {m["shipment_number"] for m in milestones} == {shipment["number"]}
    assert {m["tracking_number"] for m in milestones} == {shipment["tracking_number"]}
    times = [m["occurred_at"] for m in milestones]
    assert times == sorted(times) and milestones[0]["milestone"] == "pre_transit"
