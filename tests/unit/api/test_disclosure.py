"""What a key sees of personal data: everything with pii:read or admin, masks otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

from logisync.api.disclosure import Disclosure
from logisync.core.keys import ADMIN, PII, READ, new_key
from logisync.model.pii import MASK

PARTNER = {"ref": "C1", "email": "a@example.com", "address": {"street": "1 Rue", "city": "Lyon"}}


def disclosure(*scopes: str) -> Disclosure:
    _, key = new_key(system=None, scopes=frozenset(scopes), now=datetime.now(UTC))
    return Disclosure.for_key(key)


def test_a_reader_sees_masks_and_a_pii_reader_or_admin_the_values() -> None:
    masked = disclosure(READ).state("partner:C1", PARTNER)
    assert masked == {"ref": "C1", "email": MASK, "address": {"street": MASK, "city": "Lyon"}}
    assert disclosure(READ, PII).state("partner:C1", PARTNER) == PARTNER
    assert disclosure(ADMIN).event_data("partner.changed", PARTNER) == PARTNER


def test_a_shape_the_model_does_not_know_is_masked_entirely() -> None:
    shown = disclosure(READ).event_data("partner.teleported", {"a": "x", "b": [1, None]})
    assert shown == {"a": MASK, "b": [MASK, None]}
    assert disclosure(READ).field_value("alien:1", "name", "Zed") == MASK


def test_a_processing_detail_masks_the_values_it_changed() -> None:
    detail = {"changed": {"email": "a@example.com", "ref": "C1"}, "refused": {"name": "conflict"}}
    shown = disclosure(READ).processing_detail("partner:C1", detail)
    assert shown == {"changed": {"email": MASK, "ref": "C1"}, "refused": {"name": "conflict"}}
