"""Tracking-number formats and check digits per carrier."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logisync.connectors.carriers import tracking_numbers as tn
from logisync.connectors.carriers.tracking_numbers import tracking_number_problem

VALID = [
    ("ups", "1Z999AA10123456784"),  # UPS's published example
    ("ups", "1z 999aa1 0123456784"),
    ("fedex", "986578788855"),
    ("fedex", "477179081230"),
    ("fedex", "0000000000000000000000" + "986578788855"),
    ("dhl", "3318810025"),
    ("dhl", "JD014600006281230701"),
    ("usps", "EE123456785US"),  # the UPU S10 example
    ("usps", "RA000000014US"),
    ("usps", "9400111899223197428497"),
    ("usps", "42085004" + "9400111899223197428497"),
    ("usps", "420850041234" + "9400111899223197428497"),
]
INVALID = [
    ("ups", "1Z999AA10123456785", "check digit should be 4"),
    ("ups", "1Z999AA1012345678", "1Z followed by 16"),
    ("fedex", "986578788856", "check digit should be 5"),
    ("fedex", "98657878885", "12, 15, 18"),
    ("fedex", "ABC", "only digits"),
    ("dhl", "3318810026", "should be 5 (mod 7)"),
    ("usps", "EE123456784US", "S10 check digit should be 5"),
    ("usps", "9400111899223197428490", "mod 10"),
    ("usps", "123", "20 or 22 digits"),
    ("dhl", "331881002²", "only letters and digits"),
    ("fedex", "98657878885\u0665", "only letters and digits"),
]


@pytest.mark.parametrize(("carrier", "number"), VALID)
def test_valid_numbers_pass(carrier: str, number: str) -> None:
    assert tracking_number_problem(carrier, number, "/n") is None  # type: ignore[arg-type]


@pytest.mark.parametrize(("carrier", "number", "why"), INVALID)
def test_invalid_numbers_say_which_and_why(carrier: str, number: str, why: str) -> None:
    problem = tracking_number_problem(carrier, number, "/n")  # type: ignore[arg-type]
    assert problem is not None and problem.location == "/n"
    assert number in problem.message and why in problem.message


def test_hand_computed_check_digits() -> None:
    # 1Z999AA1012345678: odd positions 9+9+2+0+2+4+6+8=40, even 2x(9+2+1+1+3+5+7)=56 -> 4
    assert tn.ups_check_digit("999AA1012345678") == "4"
    # 98657878885 weighted 3,1,7: 269 mod 11 = 5
    assert tn.fedex_express_check_digit("98657878885") == "5"
    # 12345678 weighted 8,6,4,2,3,5,9,7: 204 mod 11 = 6 -> 11 - 6 = 5
    assert tn.s10_check_digit("12345678") == "5"
    assert tn.dhl_express_check_digit("331881002") == "5"
    assert tn.gs1_check_digit("00614141123456789") == "0"  # GS1's SSCC example


MAKERS = [
    ("ups", tn.make_ups),
    ("fedex", tn.make_fedex_express),
    ("fedex", tn.make_fedex_ground),
    ("fedex", tn.make_fedex_ground_96),
    ("fedex", tn.make_sscc),
    ("usps", tn.make_usps_impb),
    ("usps", tn.make_s10),
    ("dhl", tn.make_dhl_express),
    ("dhl", tn.make_sscc),
]


@pytest.mark.parametrize(("carrier", "make"), MAKERS)
@given(serial=st.integers(min_value=0, max_value=10**12))
def test_made_numbers_are_valid_and_a_changed_digit_is_caught(
    carrier: str, make: object, serial: int
) -> None:
    number = make(serial)  # type: ignore[operator]
    assert tracking_number_problem(carrier, number, "") is None  # type: ignore[arg-type]
    last = number.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")[-1]
    changed = str((int(last) + 1) % 10)
    at = len(number.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) - 1
    wrong = number[:at] + changed + number[at + 1 :]
    assert tracking_number_problem(carrier, wrong, "") is not None  # type: ignore[arg-type]


@pytest.mark.parametrize("carrier", ["ups", "fedex", "dhl", "usps"])
@given(number=st.text(max_size=40))
def test_any_text_gives_an_answer_never_an_exception(carrier: str, number: str) -> None:
    problem = tracking_number_problem(carrier, number, "/n")  # type: ignore[arg-type]
    assert problem is None or repr(number) in problem.message
