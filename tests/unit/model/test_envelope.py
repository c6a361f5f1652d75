"""The envelope: ``parse_event`` lets in every known fact and names every problem by pointer."""

from __future__ import annotations

from typing import Any

import pytest

from logisync.errors import InvalidEvent, Problem
from logisync.model import EVENT_TYPES, Event, new_event, parse_event
from logisync.model.entities import Partner
from logisync.testing.samples import SAMPLE_PAYLOADS, sample_event, sample_payload

_TIME = "2024-05-02T10:00:00+02:00"


def _problems(raw: dict[str, Any]) -> list[Problem]:
    with pytest.raises(InvalidEvent) as caught:
        parse_event(raw)
    return caught.value.problems


def _pointers(raw: dict[str, Any]) -> list[str]:
    return [problem.location for problem in _problems(raw)]


def test_sample_table_covers_every_event_type() -> None:
    assert set(SAMPLE_PAYLOADS) == set(EVENT_TYPES), (
        "each event type needs one sample payload in logisync/testing/samples.py"
    )


@pytest.mark.parametrize("type_name", sorted(EVENT_TYPES))
def test_every_event_type_accepts_its_sample(type_name: str) -> None:
    event = parse_event(sample_event(type_name))
    assert event.type == type_name
    assert event.event_type is EVENT_TYPES[type_name]
    assert event.domain == EVENT_TYPES[type_name].domain
    assert event.time.utcoffset() is not None


@pytest.mark.parametrize("type_name", sorted(EVENT_TYPES))
def test_new_event_derives_the_subject_from_the_payload(type_name: str) -> None:
    raw = sample_event(type_name)
    event = new_event(type_name, sample_payload(type_name), source="odoo", id="1", time=raw["time"])
    assert event == parse_event({**raw, "id": "1"})


@pytest.mark.parametrize("type_name", sorted(EVENT_TYPES))
def test_parsing_is_idempotent(type_name: str) -> None:
    once = parse_event(sample_event(type_name))
    assert parse_event(once) == once
    assert parse_event(once.model_dump(mode="json")) == once


def test_new_event_takes_a_model_as_payload() -> None:
    event = new_event(
        "partner.changed",
        Partner(ref="CUST-1001", email="ap@example.com"),
        source="odoo",
        id="9",
        time=_TIME,
    )
    assert event.subject == "partner:CUST-1001"
    assert event.data == {"ref": "CUST-1001", "email": "ap@example.com"}


def test_new_event_without_the_key_fields_is_an_invalid_event() -> None:
    with pytest.raises(InvalidEvent) as caught:
        new_event("stock.adjusted", {"sku": "MUG-WHT"}, source="wms", id="1", time=_TIME)
    assert "/subject" in [p.location for p in caught.value.problems]


def test_payload_is_stored_in_canonical_json_form() -> None:
    event = parse_event(sample_event("partner.created"))
    assert event.data["iban"] == "NL91ABNA0417164300"
    assert "schema_version" not in event.data
    product = parse_event(sample_event("product.created")).data
    assert product["uom"] == "H87"
    assert product["list_price"] == {"amount": "19.95", "currency": "EUR"}


def test_unknown_event_type_is_refused_at_type() -> None:
    raw = sample_event("partner.created")
    raw["type"] = "partner.teleported"
    [problem] = _problems(raw)
    assert problem.location == "/type"
    assert "partner.teleported" in problem.message


def test_invalid_nested_field_is_reported_with_its_json_pointer() -> None:
    raw = sample_event("sales_order.placed")
    raw["data"]["lines"][0]["quantity"]["value"] = "lots"
    assert _pointers(raw) == ["/data/lines/0/quantity/value"]


def test_every_problem_is_reported_at_once() -> None:
    raw = sample_event("sales_order.placed")
    raw["data"]["lines"][0]["quantity"]["value"] = "lots"
    raw["data"]["lines"][1]["unit_price"]["currency"] = "XYZ"
    raw["data"]["ship_to"]["country"] = "Holland"
    assert sorted(_pointers(raw)) == [
        "/data/lines/0/quantity/value",
        "/data/lines/1/unit_price/currency",
        "/data/ship_to/country",
    ]


def test_envelope_problems_are_reported_with_their_pointers() -> None:
    raw = sample_event("partner.changed")
    raw["time"] = "2024-05-02T10:00:00"
    raw["source"] = "my shop"
    del raw["id"]
    assert sorted(_pointers(raw)) == ["/id", "/source", "/time"]


def test_unknown_envelope_attribute_is_refused() -> None:
    raw = {**sample_event("partner.changed"), "priority": "high"}
    assert _pointers(raw) == ["/priority"]


def test_subject_of_another_domain_is_refused_at_subject() -> None:
    raw = sample_event("sales_order.placed")
    raw["subject"] = "invoice:SO-2024-0042"
    problems = _problems(raw)
    assert {p.location for p in problems} == {"/subject"}
    assert any(
        "is about a sales_order, but the subject is a invoice" in p.message for p in problems
    )


def test_subject_naming_another_entity_than_the_payload_is_refused_at_subject() -> None:
    raw = sample_event("sales_order.placed")
    raw["subject"] = "sales_order:SO-2024-9999"
    [problem] = _problems(raw)
    assert problem.location == "/subject"
    assert "'sales_order:SO-2024-0042'" in problem.message


def test_stock_adjustment_subject_must_be_its_location_and_sku() -> None:
    raw = sample_event("stock.adjusted")
    assert raw["subject"] == "stock_level:WH-TLB/TSHIRT-BLK-M"
    raw["subject"] = "stock_level:WH-TLB/MUG-WHT"
    assert _pointers(raw) == ["/subject"]


def test_integer_source_version_is_stored_as_text() -> None:
    raw = {**sample_event("partner.changed"), "sourceversion": 1207}
    assert parse_event(raw).sourceversion == "1207"


def test_boolean_source_version_is_refused() -> None:
    raw = {**sample_event("partner.changed"), "sourceversion": True}
    assert _pointers(raw) == ["/sourceversion"]


def test_dedup_key_is_the_explicit_idempotency_key() -> None:
    raw = {**sample_event("partner.changed"), "idempotencykey": "shop-order-100042-v3"}
    assert parse_event(raw).dedup_key == "shop-order-100042-v3"


def test_dedup_key_defaults_to_source_and_id() -> None:
    event = parse_event(sample_event("partner.changed", source="odoo", id="evt-7"))
    assert event.dedup_key == "odoo\x1fevt-7"
    other = parse_event(sample_event("partner.changed", source="shop", id="evt-7"))
    assert other.dedup_key != event.dedup_key


def test_source_with_a_control_character_is_refused_so_dedup_keys_cannot_collide() -> None:
    assert _pointers(sample_event("partner.changed", source="a\x1fb", id="c")) == ["/source"]


def test_content_hash_is_equal_for_the_same_content_from_another_delivery() -> None:
    first = parse_event(sample_event("sales_order.placed", id="1"))
    raw = sample_event("sales_order.placed", id="2", source="shop")
    raw["time"] = "2030-01-01T00:00:00Z"
    raw["data"] = dict(reversed(raw["data"].items()))
    assert parse_event(raw).content_hash() == first.content_hash()


def test_content_hash_differs_when_the_data_differs() -> None:
    first = parse_event(sample_event("sales_order.placed"))
    raw = sample_event("sales_order.placed")
    raw["data"]["lines"][0]["quantity"]["value"] = "3"
    assert parse_event(raw).content_hash() != first.content_hash()


def test_content_hash_differs_when_the_type_differs() -> None:
    placed = parse_event(sample_event("sales_order.placed"))
    raw = {**sample_event("sales_order.placed"), "type": "sales_order.changed"}
    assert parse_event(raw).content_hash() != placed.content_hash()


def test_event_is_immutable() -> None:
    event = parse_event(sample_event("partner.changed"))
    with pytest.raises(ValueError, match="frozen"):
        event.id = "other"  # type: ignore[misc]
    assert isinstance(event, Event)


def test_a_change_timestamp_with_no_instant_in_utc_is_refused_at_the_sourceversion() -> None:
    """It orders as its UTC instant (core.stamps.version_key), which does not exist."""
    raw = {**sample_event("partner.changed"), "sourceversion": "0001-01-01T00:00:00+01:00"}
    [problem] = _problems(raw)
    assert problem.location == "/sourceversion"
    assert "falls outside the years 1 to 9999" in problem.message
    for fine in ("0001-01-01T01:00:00+01:00", "2026-03-01T10:00:00", "v1:2", "42"):
        assert parse_event({**raw, "sourceversion": fine}).sourceversion == fine
