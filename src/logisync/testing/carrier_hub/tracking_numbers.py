"""Tracking numbers that pass each carrier's own check-digit rule (CARRIERS_EDI.md §3).

A hub that validates tracking numbers must be fed valid ones, or every simulated scan would be
refused for the wrong reason. The rules are the connectors' own
(``connectors.carriers.tracking_numbers``): one implementation, so that the simulator cannot
issue numbers the hub reads differently. Here they are wrapped with the shape checks of the
numbers the simulator issues (UPS ``1Z`` + 15, FedEx Express 12, USPS IMpb 22, DHL Express 10).
"""

from __future__ import annotations

import random
import string

from logisync.connectors.carriers import tracking_numbers as rules
from logisync.model.identifiers import is_ascii_digits
from logisync.testing.carrier_hub.carriers import Carrier

__all__ = [
    "dhl_express_check_digit",
    "dhl_piece_id",
    "fedex_check_digit",
    "is_valid_tracking_number",
    "new_tracking_number",
    "ups_check_digit",
    "usps_check_digit",
]

_UPS_SHIPPER_ALPHABET = string.digits + string.ascii_uppercase
_UPS_SERVICES = ("01", "02", "03", "12", "13", "42")


def ups_check_digit(body: str) -> int:
    """The check digit of the 15 characters after ``1Z``."""
    if len(body) != 15 or any(char not in _UPS_SHIPPER_ALPHABET for char in body):
        raise ValueError(f"a UPS 1Z number has 15 upper-case letters or digits, got {body!r}")
    return int(rules.ups_check_digit(body))


def fedex_check_digit(body: str) -> int:
    """The check digit of a 12-digit FedEx Express number's first 11 digits."""
    _require_digits(body, 11, "FedEx Express")
    return int(rules.fedex_express_check_digit(body))


def usps_check_digit(body: str) -> int:
    """The check digit of a 22-digit USPS IMpb's first 21 digits."""
    _require_digits(body, 21, "USPS IMpb")
    return int(rules.gs1_check_digit(body))


def dhl_express_check_digit(body: str) -> int:
    """The check digit of a 10-digit DHL Express waybill's first 9 digits."""
    _require_digits(body, 9, "DHL Express")
    return int(rules.dhl_express_check_digit(body))


def is_valid_tracking_number(carrier: Carrier, number: str) -> bool:
    """Whether ``number`` has the carrier's shape and a correct check digit."""
    try:
        if carrier == "ups":
            ok = len(number) == 18 and number.startswith("1Z")
            return ok and ups_check_digit(number[2:17]) == int(number[17])
        if carrier == "fedex":
            return len(number) == 12 and fedex_check_digit(number[:11]) == int(number[11])
        if carrier == "usps":
            ok = len(number) == 22 and number[:2] in {"92", "93", "94", "95"}
            return ok and usps_check_digit(number[:21]) == int(number[21])
        return len(number) == 10 and dhl_express_check_digit(number[:9]) == int(number[9])
    except ValueError:
        return False


def new_tracking_number(carrier: Carrier, rng: random.Random, *, ups_shipper: str = "") -> str:
    """A fresh valid number; UPS numbers of one shipment share ``ups_shipper`` (6 chars)."""
    if carrier == "ups":
        shipper = ups_shipper or "".join(rng.choices(_UPS_SHIPPER_ALPHABET, k=6))
        body = shipper + rng.choice(_UPS_SERVICES) + _digits(rng, 7)
        return f"1Z{body}{ups_check_digit(body)}"
    if carrier == "fedex":
        body = str(rng.randint(1, 9)) + _digits(rng, 10)
        return f"{body}{fedex_check_digit(body)}"
    if carrier == "usps":
        body = rng.choice(("9200", "9205", "9400", "9405", "9500")) + _digits(rng, 17)
        return f"{body}{usps_check_digit(body)}"
    body = str(rng.randint(1, 9)) + _digits(rng, 8)
    return f"{body}{dhl_express_check_digit(body)}"


def new_ups_shipper(rng: random.Random) -> str:
    return "".join(rng.choices(_UPS_SHIPPER_ALPHABET, k=6))


def dhl_piece_id(rng: random.Random) -> str:
    """A DHL Express piece (license plate) id such as ``JD014600006281230704``."""
    return "JD01" + _digits(rng, 16)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choices(string.digits, k=count))


def _require_digits(body: str, count: int, what: str) -> None:
    if len(body) != count or not is_ascii_digits(body):
        raise ValueError(f"a {what} number body has {count} digits, got {body!r}")
