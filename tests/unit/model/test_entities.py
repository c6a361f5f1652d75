"""Canonical entities: they round-trip, refuse what they do not know, and remember what was set."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from logisync.model.catalogue import EVENT_TYPES
from logisync.model.entities import ENTITY_TYPES, Entity, Partner, SalesOrder, StockLevel
from logisync.testing.samples import sample_payload


def _full_samples() -> dict[str, dict[str, Any]]:
    """For each entity domain, the sample of the first event type whose payload is the entity."""
    samples: dict[str, dict[str, Any]] = {}
    for name, fact in EVENT_TYPES.items():
        if fact.payload is fact.entity:
            samples.setdefault(fact.domain, sample_payload(name))
    return samples


FULL_SAMPLES = _full_samples()


def _order(**changes: Any) -> dict[str, Any]:
    return {**sample_payload("sales_order.placed"), **changes}


def test_every_entity_type_has_a_sample() -> None:
    assert set(FULL_SAMPLES) == set(ENTITY_TYPES)


@pytest.mark.parametrize("domain", sorted(ENTITY_TYPES))
def test_entity_round_trips_through_json(domain: str) -> None:
    cls = ENTITY_TYPES[domain]
    entity = cls.model_validate(FULL_SAMPLES[domain])
    assert cls.model_validate_json(entity.model_dump_json()) == entity
    assert cls.model_validate(entity.model_dump(mode="json")) == entity
    assert cls.model_validate(entity.fields_set()) == entity


@pytest.mark.parametrize("domain", sorted(ENTITY_TYPES))
def test_entity_key_is_domain_and_business_key(domain: str) -> None:
    entity: Entity = ENTITY_TYPES[domain].model_validate(FULL_SAMPLES[domain])
    assert entity.entity_key == f"{domain}:{entity.business_key}"


def test_stock_level_key_is_location_and_sku() -> None:
    level = StockLevel(location="WH-TLB", sku="MUG-WHT")
    assert level.entity_key == "stock_level:WH-TLB/MUG-WHT"


@pytest.mark.parametrize("domain", sorted(ENTITY_TYPES))
def test_unknown_field_is_refused(domain: str) -> None:
    payload = {**FULL_SAMPLES[domain], "colour": "blue"}
    with pytest.raises(ValidationError) as caught:
        ENTITY_TYPES[domain].model_validate(payload)
    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [
        (("colour",), "extra_forbidden")
    ]


def test_unknown_field_in_a_nested_part_is_refused() -> None:
    order = _order()
    order["lines"][0]["colour"] = "blue"
    with pytest.raises(ValidationError) as caught:
        SalesOrder.model_validate(order)
    assert caught.value.errors()[0]["loc"] == ("lines", 0, "colour")


def test_fields_set_keeps_only_what_was_given() -> None:
    partner = Partner.model_validate({"ref": "CUST-1", "name": "Acme", "phone": None})
    assert partner.fields_set() == {"ref": "CUST-1", "name": "Acme", "phone": None}


def test_fields_set_never_carries_the_schema_version() -> None:
    partner = Partner.model_validate({"ref": "CUST-1", "schema_version": 1, "external_ids": {}})
    assert partner.fields_set() == {"ref": "CUST-1", "external_ids": {}}


def test_fields_set_gives_json_values() -> None:
    order = SalesOrder.model_validate(
        {"number": "SO-1", "total": {"amount": "1.50", "currency": "eur"}}
    )
    assert order.fields_set() == {"number": "SO-1", "total": {"amount": "1.50", "currency": "EUR"}}


def test_sales_order_refuses_duplicate_line_numbers() -> None:
    lines = sample_payload("sales_order.placed")["lines"]
    lines[1]["line_no"] = lines[0]["line_no"]
    with pytest.raises(ValidationError, match="line numbers must be unique within an order"):
        SalesOrder.model_validate(_order(lines=lines))


@pytest.mark.parametrize("value", ["0", "-1", "-0.001"])
def test_sales_order_line_refuses_a_non_positive_quantity(value: str) -> None:
    lines = sample_payload("sales_order.placed")["lines"]
    lines[0]["quantity"]["value"] = value
    with pytest.raises(ValidationError, match="line 1: quantity must be positive") as caught:
        SalesOrder.model_validate(_order(lines=lines))
    assert caught.value.errors()[0]["loc"] == ("lines", 0)


@pytest.mark.parametrize("number", ["", "SO 1", "SO:1"])
def test_business_key_must_be_a_single_token_without_colon(number: str) -> None:
    with pytest.raises(ValidationError):
        SalesOrder.model_validate({"number": number})


def test_number_patterns_take_ascii_digits_only() -> None:
    """A regular expression's \\d (pydantic's patterns included) also matches Arabic-Indic and
    other digits; an HS code or tax rate in them would reach Odoo and the customs papers."""
    from logisync.model.entities import Product

    assert Product(sku="A1", hs_code="850440").hs_code == "850440"
    with pytest.raises(ValidationError, match="hs_code"):
        Product(sku="A1", hs_code="".join(chr(0x660 + int(d)) for d in "850440"))
