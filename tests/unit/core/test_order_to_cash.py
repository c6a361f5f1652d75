"""One stage per order, from its order, shipments and invoices."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from logisync.core.order_to_cash import (
    STAGE_OF_STATUS,
    STAGES,
    OrderDocument,
    order_number_of,
    order_stage,
)
from logisync.model.lifecycle import LIFECYCLES


def doc(domain: str, status: str | None, since: str = "2026-03-01T10:00:00Z") -> OrderDocument:
    return OrderDocument(domain, status, since)


def test_the_furthest_domain_decides_and_the_order_is_counted_once() -> None:
    documents = [
        doc("sales_order", "confirmed", "2026-03-01T08:00:00Z"),
        doc("shipment", "delivered", "2026-03-01T11:00:00Z"),
        doc("invoice", "posted", "2026-03-01T12:00:00Z"),
    ]
    assert order_stage(documents) == ("invoiced", "2026-03-01T12:00:00Z")
    assert order_stage(documents[:2]) == ("delivered", "2026-03-01T11:00:00Z")
    assert order_stage(documents[:1]) == ("confirmed", "2026-03-01T08:00:00Z")


def test_within_a_domain_the_least_advanced_document_decides() -> None:
    parcels = [
        doc("shipment", "delivered", "2026-03-01T11:00:00Z"),
        doc("shipment", "in_transit", "2026-03-01T09:00:00Z"),
        doc("shipment", "out_for_delivery", "2026-03-01T10:00:00Z"),
    ]
    assert order_stage(parcels) == ("with_carrier", "2026-03-01T10:00:00Z")
    invoices = [doc("invoice", "paid", "t2"), doc("invoice", "posted", "t1")]
    assert order_stage(invoices) == ("invoiced", "t1")


def test_the_same_stage_in_two_domains_counts_from_the_first() -> None:
    documents = [doc("sales_order", "delivered", "t2"), doc("shipment", "delivered", "t1")]
    assert order_stage(documents) == ("delivered", "t1")


def test_cancelled_wins_and_statuses_that_do_not_place_an_order_count_for_nothing() -> None:
    assert order_stage([doc("sales_order", "cancelled", "t9"), doc("invoice", "paid")]) == (
        "cancelled",
        "t9",
    )
    assert order_stage([doc("invoice", "draft"), doc("shipment", None)]) is None
    assert order_stage([doc("shipment", "returned_to_sender"), doc("sales_order", "placed")]) == (
        "placed",
        "2026-03-01T10:00:00Z",
    )


def test_every_status_mapped_exists_in_its_lifecycle() -> None:
    codes = {stage.code for stage in STAGES}
    for domain, stages in STAGE_OF_STATUS.items():
        assert set(stages) <= set(LIFECYCLES[domain].ranks), domain
        assert set(stages.values()) <= codes


def test_the_order_of_each_document() -> None:
    assert order_number_of("sales_order:SO1", {"number": "SO1"}) == "SO1"
    assert order_number_of("shipment:SH1", {"order_number": "SO1"}) == "SO1"
    assert order_number_of("invoice:INV1", {"order_number": 7}) == "7"
    assert order_number_of("shipment:SH2", {}) is None
    assert order_number_of("partner:C1", {"order_number": "SO1"}) is None


_statuses = st.sampled_from(["sales_order", "shipment", "invoice"]).flatmap(
    lambda d: st.tuples(st.just(d), st.sampled_from([None, *LIFECYCLES[d].ranks]))
)


@given(st.lists(st.tuples(_statuses, st.integers(0, 99)), max_size=8), st.randoms())
def test_the_stage_does_not_depend_on_the_order_documents_are_read_in(
    items: list[tuple[tuple[str, str | None], int]], rng: object
) -> None:
    documents = [doc(d, s, f"2026-03-01T10:{m:02d}:00Z") for (d, s), m in items]
    shuffled = list(documents)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert order_stage(shuffled) == order_stage(documents)
    found = order_stage(documents)
    if found is not None:
        assert found[1] in {d.since for d in documents}
