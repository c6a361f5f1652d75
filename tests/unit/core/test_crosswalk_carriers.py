"""However a system spells a carrier and prints a tracking number, the carrier's own scans
find the shipment."""

from __future__ import annotations

import pytest

from logisync.core.crosswalk import external_ids
from logisync.core.subjects import with_payload_subject, with_subject
from logisync.errors import InvalidEvent
from logisync.model.identifiers import carrier_code, tracking_key


@pytest.mark.parametrize(
    ("spelled", "code"),
    [
        ("UPS", "ups"),
        ("United Parcel Service", "ups"),
        ("FedEx Ground", "fedex"),
        ("fedex_express", "fedex"),
        ("DHL Express", "dhl"),
        ("dhl-parcel", "dhl"),
        ("USPS", "usps"),
        ("United States Postal Service", "usps"),
        ("Royal Mail", "royal_mail"),
    ],
)
def test_carrier_names_meet_on_one_code(spelled: str, code: str) -> None:
    assert carrier_code(spelled) == code


def test_tracking_numbers_are_compared_without_spaces_dashes_or_case() -> None:
    assert tracking_key("1z 999 aa1 01 2345 6784") == "1Z999AA10123456784"
    assert tracking_key("9400-1000-0000") == "940010000000"


def test_a_scan_finds_the_shipment_a_wms_dispatched_under_its_own_spelling() -> None:
    links = external_ids(
        "shipment:SH1",
        {
            "carrier": "UPS",
            "tracking_number": "1Z 999 AA1 01 2345 6784",
            "packages": [{"tracking_number": "1z999aa10123456791"}],
        },
    )
    crosswalk = {(link.system, link.external_id): link.entity_key for link in links}
    assert crosswalk == {
        ("ups", "1Z999AA10123456784"): "shipment:SH1",
        ("ups", "1Z999AA10123456791"): "shipment:SH1",
    }
    draft = {
        "type": "shipment.milestone_recorded",
        "data": {"carrier": "ups", "tracking_number": "1Z999AA10123456791"},
    }
    resolved = with_subject(draft, lambda system, number: crosswalk.get((system, number)))
    assert resolved["subject"] == "shipment:SH1"
    unknown = with_subject(
        {**draft, "data": {"carrier": "ups", "tracking_number": "1z 111"}}, lambda s, n: None
    )
    assert unknown["subject"] == "shipment:1Z111"  # a valid key, never refused for spaces


def test_a_payload_naming_no_entity_is_refused_at_its_missing_key_field() -> None:
    """Files and streams carry no subject: the refusal names what the sender did miss."""
    draft = {"type": "sales_order.placed", "source": "b2b", "data": {"channel": "edi"}}
    with pytest.raises(InvalidEvent) as refused:
        with_payload_subject(draft, lambda system, number: None)
    assert [(p.location, p.message) for p in refused.value.problems] == [
        ("/data/number", "Field required")
    ]
    named = with_payload_subject({**draft, "data": {"number": "SO1"}}, lambda s, n: None)
    assert named["subject"] == "sales_order:SO1"
    unknown = {"type": "no.such_type", "data": {}}
    assert with_payload_subject(unknown, lambda s, n: None) == unknown  # parse_event refuses it
