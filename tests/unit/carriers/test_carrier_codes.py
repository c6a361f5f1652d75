"""Every row of the carriers' code tables, and an independent expectation of what they say.

The expected groupings below are written from CARRIERS_EDI.md §2 (not read from the CSV
files), so a row moved to the wrong milestone, dropped or added fails here.
"""

from __future__ import annotations

import pytest

from logisync.connectors.carriers.code_tables import CARRIERS, CodeRow, code_table
from logisync.connectors.carriers.milestones import UNKNOWN_CODES, normalise
from logisync.model.entities.logistics import MILESTONES


def _grouped(spec: dict[str, str]) -> dict[str, str]:
    return {code: milestone for milestone, codes in spec.items() for code in codes.split()}


EXPECTED: dict[str, dict[str, dict[str, str]]] = {
    "ups": {
        "type": _grouped({
            "pre_transit": "M", "cancelled": "MV", "picked_up": "P", "in_transit": "I U",
            "exception": "X", "out_for_delivery": "D",
        }),
        "code": _grouped({
            "pre_transit": "MP", "picked_up": "OR", "in_transit": "AR DP IP EP SR",
            "out_for_delivery": "OT", "delivered": "FS KB", "available_for_pickup": "ZP",
            "returned_to_sender": "RS",
        }),
    },
    "fedex": {
        "derivedStatusCode": _grouped({
            "pre_transit": "IN", "picked_up": "PU", "in_transit": "IT DY",
            "out_for_delivery": "OD", "delivered": "DL", "exception": "DE SE",
            "available_for_pickup": "HL", "returned_to_sender": "RS", "cancelled": "CA",
        }),
        "eventType": _grouped({
            "pre_transit": "OC EP DS AP PD RP LP RG RD",
            "picked_up": "PU PX OF",
            "in_transit": "AA AC AF AO AR AX CH DP EA EO FD IT IX LO OW OX PF PL PM SF SP TR "
            "CC CP RR RM RC DD DY",
            "out_for_delivery": "OD ED AD",
            "available_for_pickup": "HL HP",
            "exception": "CD SE DE DR",
            "delivered": "DL", "returned_to_sender": "RS", "cancelled": "CA",
        }),
    },
    "dhl": {
        "statusCode": {
            "PRE-TRANSIT": "pre_transit", "TRANSIT": "in_transit", "DELIVERED": "delivered",
            "FAILURE": "exception", "UNKNOWN": "unknown",
        },
        "eventCode": _grouped({
            "delivered": "OK", "out_for_delivery": "WC", "picked_up": "PU PL OR",
            "in_transit": "AF AR DF IT TR CC CD IR MD TD UD",
            "available_for_pickup": "HP", "exception": "BA OH DM DP DS RD SS ST",
            "delivery_attempted": "CM NH", "returned_to_sender": "RT",
        }),
    },
    "usps": {
        "eventCode": _grouped({
            "pre_transit": "GX MA 89",
            "picked_up": "03 OA PA TM UA 83 AD",
            "in_transit": "10 PC EF SF 07 06 19 41 42 80 81 82 08 15 71",
            "out_for_delivery": "OF",
            "delivery_attempted": "02 52 53 54 55 56 30 51",
            "available_for_pickup": "14 16",
            "delivered": "01 17 43",
            "exception": "04 05 11",
            "returned_to_sender": "09 21 22 23 24 25 26 27 28 29 31 44",
            "unknown": "DX NT",
        }),
    },
}  # fmt: skip

ROWS = [row for carrier in CARRIERS for row in code_table(carrier).values()]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.carrier}-{r.field}-{r.code}")
def test_each_row_normalises_to_its_milestone(row: CodeRow) -> None:
    assert row.milestone in MILESTONES
    assert row.text, "every code keeps the carrier's published meaning"
    result = normalise(row.carrier, {row.field: row.code}, None)
    assert result.milestone == row.milestone
    assert result.carrier_code == row.code
    assert result.known


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.carrier}-{r.field}-{r.code}")
def test_each_row_matches_the_independent_expectation(row: CodeRow) -> None:
    assert EXPECTED[row.carrier][row.field].get(row.code) == row.milestone


@pytest.mark.parametrize("carrier", CARRIERS)
def test_tables_list_exactly_the_expected_codes(carrier: str) -> None:
    table = code_table(carrier)  # type: ignore[arg-type]
    expected = {(f, c) for f, codes in EXPECTED[carrier].items() for c in codes}
    assert set(table) == expected


def test_ups_delivery_information_is_delivered_only_with_fs_or_a_delivery_date() -> None:
    assert normalise("ups", {"type": "D", "code": "FS"}, None).milestone == "delivered"
    assert normalise("ups", {"type": "D", "code": "XY"}, None).milestone == "out_for_delivery"
    assert normalise("ups", {"type": "D"}, None, delivered=True).milestone == "delivered"
    assert normalise("ups", {"type": "I", "code": "OT"}, None).milestone == "out_for_delivery"
    assert normalise("ups", {"type": "X", "code": "ZZ"}, None).milestone == "exception"


def test_fedex_event_type_refines_the_catch_all_summary() -> None:
    assert normalise("fedex", {"derivedStatusCode": "IT", "eventType": "OD"}, "").milestone == (
        "out_for_delivery"
    )
    assert normalise("fedex", {"derivedStatusCode": "DL", "eventType": "XX"}, "").milestone == (
        "delivered"
    )
    attempted = normalise("fedex", {"eventType": "DE"}, "Customer not available")
    assert attempted.milestone == "delivery_attempted"
    assert normalise("fedex", {"eventType": "DE"}, "Incorrect address").milestone == "exception"


@pytest.mark.parametrize(
    ("text", "milestone"),
    [
        ("Shipment is out for delivery", "out_for_delivery"),
        ("With delivery courier", "out_for_delivery"),
        ("The shipment is ready for pickup at the PACKSTATION", "available_for_pickup"),
        ("Shipment picked up", "picked_up"),
        ("A delivery attempt was made", "delivery_attempted"),
        ("Processed at LEIPZIG - GERMANY", "in_transit"),
    ],
)
def test_dhl_refines_transit_by_text(text: str, milestone: str) -> None:
    assert normalise("dhl", {"statusCode": "transit"}, text).milestone == milestone


def test_dhl_failure_with_return_flag_is_returned_to_sender() -> None:
    assert normalise("dhl", {"statusCode": "failure"}, "x", return_flag=True).milestone == (
        "returned_to_sender"
    )
    assert normalise("dhl", {"statusCode": "failure"}, "x").milestone == "exception"


def test_unknown_code_is_kept_and_counted() -> None:
    before = UNKNOWN_CODES.labels("usps", "Q9")._value.get()
    result = normalise("usps", {"eventCode": "Q9"}, "Something new")
    assert (result.milestone, result.carrier_code, result.carrier_text) == (
        "unknown",
        "Q9",
        "Something new",
    )
    assert not result.known
    assert UNKNOWN_CODES.labels("usps", "Q9")._value.get() == before + 1
