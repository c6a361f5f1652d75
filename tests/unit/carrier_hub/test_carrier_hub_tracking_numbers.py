"""Check digits: the hub's numbers must pass the carriers' own rules, or a validating hub would
refuse every simulated scan for the wrong reason."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logisync.testing.carrier_hub import CARRIERS, is_valid_tracking_number, new_tracking_number
from logisync.testing.carrier_hub.tracking_numbers import (
    dhl_express_check_digit,
    fedex_check_digit,
    ups_check_digit,
    usps_check_digit,
)

# Published examples: UPS-API Tracking.yaml and UPSTrackAlert.yaml, karrio's FedEx, USPS and
# DHL test fixtures (real-looking numbers written by others, not by this code).
KNOWN_VALID = [
    ("ups", "1Z023E2X0214323462"),
    ("ups", "1Z204W4R0308071865"),
    ("ups", "1Z1234567891234556"),
    ("fedex", "776094337676"),
    ("fedex", "738488882438"),
    ("fedex", "128667043726"),
    ("usps", "9400109104250532908587"),
    ("dhl", "7777777770"),
]


@pytest.mark.parametrize(("carrier", "number"), KNOWN_VALID)
def test_published_numbers_pass(carrier: str, number: str) -> None:
    assert is_valid_tracking_number(carrier, number)  # type: ignore[arg-type]


@pytest.mark.parametrize(("carrier", "number"), KNOWN_VALID)
def test_a_wrong_check_digit_fails(carrier: str, number: str) -> None:
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not is_valid_tracking_number(carrier, wrong)  # type: ignore[arg-type]


def test_check_digits_of_the_published_bodies() -> None:
    assert ups_check_digit("023E2X0214323462"[:15]) == 2
    assert fedex_check_digit("77609433767") == 6
    assert usps_check_digit("940010910425053290858") == 7
    assert dhl_express_check_digit("777777777") == 0


@pytest.mark.parametrize(
    ("function", "body"),
    [
        (ups_check_digit, "1234"),
        (ups_check_digit, "abcdefghijklmno"),
        (fedex_check_digit, "12345678901x"),
        (usps_check_digit, "12"),
        (dhl_express_check_digit, "١٢٣٤٥٦٧٨٩"),  # non-ASCII digits
    ],
)
def test_a_malformed_body_is_refused_with_the_reason(function: object, body: str) -> None:
    with pytest.raises(ValueError, match="number"):
        function(body)  # type: ignore[operator]


@given(seed=st.integers(0, 2**32))
def test_generated_numbers_are_valid_for_every_carrier(seed: int) -> None:
    rng = random.Random(seed)
    for carrier in CARRIERS:
        number = new_tracking_number(carrier, rng)
        assert is_valid_tracking_number(carrier, number), (carrier, number)


@given(text=st.text(max_size=30))
def test_validation_never_crashes(text: str) -> None:
    for carrier in CARRIERS:
        assert is_valid_tracking_number(carrier, text) in (True, False)


def test_other_carriers_numbers_are_not_mistaken() -> None:
    assert not is_valid_tracking_number("fedex", "1Z023E2X0214323462")
    assert not is_valid_tracking_number("usps", "776094337676")
