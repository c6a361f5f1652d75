"""Personal data is marked on the model's fields; what to mask is derived from the marks."""

from __future__ import annotations

from pydantic import BaseModel, Field

from logisync.model.catalogue import entity_pii, payload_pii
from logisync.model.entities import Partner
from logisync.model.pii import MASK, PII, masked, masked_field, personal_fields


class Person(BaseModel):
    name: str = Field(json_schema_extra=PII)
    city: str | None = None


class Team(BaseModel):
    lead: Person | None = None
    members: list[Person] = []
    by_role: dict[str, Person] | None = None
    label: str = ""


def test_marks_are_found_through_optionals_lists_and_dicts() -> None:
    person = {"name": True}
    assert personal_fields(Team) == {
        "lead": person,
        "members": person,
        "by_role": {"*": person},
    }


def test_masking_replaces_marked_values_keeps_nulls_and_copies() -> None:
    team = {
        "lead": {"name": "Ann", "city": "Lyon"},
        "members": [{"name": "Bob"}, {"name": None}],
        "by_role": {"driver": {"name": "Cy"}},
        "label": "night shift",
    }
    shown = masked(team, personal_fields(Team))
    assert shown == {
        "lead": {"name": MASK, "city": "Lyon"},
        "members": [{"name": MASK}, {"name": None}],
        "by_role": {"driver": {"name": MASK}},
        "label": "night shift",
    }
    assert team["lead"] == {"name": "Ann", "city": "Lyon"}  # not changed in place


def test_the_canonical_models_mark_names_contacts_streets_and_signatures() -> None:
    partner = entity_pii("partner")
    assert partner is not None
    assert {"name", "email", "phone", "iban"} <= set(partner)
    assert partner["address"] == {"street": True, "street2": True}
    assert entity_pii("sales_order") == {"ship_to": {"street": True, "street2": True}}
    assert entity_pii("product") == {}  # a product's name is not personal
    assert payload_pii("shipment.milestone_recorded") == {"signed_by": True}
    assert entity_pii("nothing") is None and payload_pii("nothing.happened") is None


def test_one_field_of_an_entity_is_masked_as_the_entity_would_be() -> None:
    tree = personal_fields(Partner)
    assert masked_field("alice@example.com", "email", tree) == MASK
    assert masked_field({"street": "1 Rue", "city": "Lyon"}, "address", tree) == {
        "street": MASK,
        "city": "Lyon",
    }
    assert masked_field(True, "active", tree) is True


def test_the_published_schema_shows_the_marks() -> None:
    properties = Partner.model_json_schema()["properties"]
    assert properties["email"]["pii"] is True
    assert "pii" not in properties["ref"]
