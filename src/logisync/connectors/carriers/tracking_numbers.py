"""Which tracking numbers each carrier can have issued, by format and check digit.

A number that fails its carrier's check is a typo or a number of another carrier; a scan for
it would be journaled under a shipment that does not exist. The rules (from the public
``tracking_number_data`` descriptions, in CARRIERS_EDI.md §3):

- UPS ``1Z`` + 15 characters + check: letters count as ``(ord(c) - 3) % 10``; the characters
  at even 1-based positions are doubled; the check makes the sum a multiple of ten.
- FedEx Express, 12 digits: weights 3, 1, 7 from the left, sum mod 11, then mod 10.
  FedEx 34 digits: the last 12 are an Express number. FedEx Ground 15 digits and the 22-digit
  ``96...`` barcode: the last 15 digits follow the GS1 mod 10 rule (weights 3, 1 from the right).
- USPS 20 and 22 digits (IMpb): GS1 mod 10; a leading ``420`` + ZIP 5 or ZIP+4 routing code
  (from the barcode) is stripped first. UPU S10 (``RA123456785US``): weights 8,6,4,2,3,5,9,7,
  ``11 - sum % 11`` with 10 -> 0 and 11 -> 5.
- DHL Express, 10 digits: the first nine as a number, mod 7.
- SSCC (18 digits, any carrier's pallets): GS1 mod 10, by python-stdnum.

The ``*_check_digit`` and ``make_*`` functions are public: the carrier simulator and the tests
issue valid numbers with them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum import ean

from logisync.connectors.carriers.code_tables import Carrier
from logisync.errors import Problem
from logisync.model.identifiers import is_ascii_digits, tracking_key

_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_FEDEX_WEIGHTS = (3, 1, 7)


compact = tracking_key
"""The number as carriers compare it: no spaces or dashes, upper case."""


def ups_check_digit(body: str) -> str:
    """The check character of a ``1Z`` number from the 15 characters after ``1Z``."""
    total = 0
    for position, char in enumerate(body.upper(), start=1):
        value = int(char) if is_ascii_digits(char) else (ord(char) - 3) % 10
        total += value * 2 if position % 2 == 0 else value
    return str((10 - total % 10) % 10)


def gs1_check_digit(digits: str) -> str:
    """GS1 mod 10 (weights 3, 1 from the right): SSCC, USPS IMpb, FedEx Ground."""
    return str(ean.calc_check_digit(digits))


def fedex_express_check_digit(digits: str) -> str:
    """The 12th digit of a FedEx Express number from its first 11."""
    total = sum(int(d) * _FEDEX_WEIGHTS[i % 3] for i, d in enumerate(digits))
    return str(total % 11 % 10)


def s10_check_digit(serial: str) -> str:
    """The check digit of a UPU S10 item from its 8-digit serial."""
    remainder = sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True)) % 11
    return {0: "5", 1: "0"}.get(remainder, str(11 - remainder))


def dhl_express_check_digit(digits: str) -> str:
    """The 10th digit of a DHL Express waybill from its first nine."""
    return str(int(digits) % 7)


def make_ups(serial: int, shipper: str = "A1B2C3", service: str = "01") -> str:
    body = f"{shipper}{service}{serial % 10**7:07d}".upper()
    return f"1Z{body}{ups_check_digit(body)}"


def make_fedex_express(serial: int) -> str:
    digits = f"{serial % 10**11:011d}"
    return digits + fedex_express_check_digit(digits)


def make_fedex_ground(serial: int) -> str:
    digits = f"{serial % 10**14:014d}"
    return digits + gs1_check_digit(digits)


def make_fedex_ground_96(serial: int) -> str:
    return "9611020" + make_fedex_ground(serial)


def make_usps_impb(serial: int, prefix: str = "9400") -> str:
    digits = f"{prefix}{serial % 10 ** (21 - len(prefix)):0{21 - len(prefix)}d}"
    return digits + gs1_check_digit(digits)


def make_s10(serial: int, service: str = "RA", country: str = "US") -> str:
    digits = f"{serial % 10**8:08d}"
    return f"{service}{digits}{s10_check_digit(digits)}{country}"


def make_dhl_express(serial: int) -> str:
    digits = f"{serial % 10**9:09d}"
    return digits + dhl_express_check_digit(digits)


def make_sscc(serial: int, company: str = "0614141") -> str:
    digits = f"0{company}{serial % 10 ** (16 - len(company)):0{16 - len(company)}d}"
    return digits + gs1_check_digit(digits)


def _gs1_ok(digits: str) -> bool:
    return is_ascii_digits(digits) and gs1_check_digit(digits[:-1]) == digits[-1]


def _ups(n: str) -> str | None:
    if not re.fullmatch(r"1Z[0-9A-Z]{16}", n):
        return "a UPS number is 1Z followed by 16 letters or digits"
    if ups_check_digit(n[2:17]) != n[17]:
        return f"its check digit should be {ups_check_digit(n[2:17])}, not {n[17]}"
    return None


def _fedex(n: str) -> str | None:
    if not is_ascii_digits(n):
        return "a FedEx number has only digits"
    if len(n) in (12, 34):
        express = n[-12:]
        expected = fedex_express_check_digit(express[:11])
        return None if expected == express[11] else f"its check digit should be {expected}"
    if len(n) == 15 or (len(n) == 22 and n.startswith("96")):
        return None if _gs1_ok(n[-15:]) else "its check digit (GS1 mod 10) does not match"
    if len(n) == 18:
        return None if _gs1_ok(n) else "its SSCC check digit does not match"
    return "a FedEx number has 12, 15, 18 (SSCC), 22 (96...) or 34 digits"


def _usps(n: str) -> str | None:
    if re.fullmatch(r"[A-Z]{2}[0-9]{9}[A-Z]{2}", n):
        expected = s10_check_digit(n[2:10])
        return None if expected == n[10] else f"its S10 check digit should be {expected}"
    if not is_ascii_digits(n):
        return "a USPS number is 20 or 22 digits, or an S10 number like RA123456785US"
    if n.startswith("420") and len(n) in (28, 30, 32, 34):
        n = n[8:] if len(n) in (28, 30) else n[12:]
    if len(n) not in (20, 22):
        return "a USPS number has 20 or 22 digits (after a 420+ZIP prefix)"
    return None if _gs1_ok(n) else "its check digit (mod 10, weights 3 and 1) does not match"


def _dhl(n: str) -> str | None:
    if is_ascii_digits(n) and len(n) == 10:
        expected = dhl_express_check_digit(n[:9])
        return None if expected == n[9] else f"its check digit should be {expected} (mod 7)"
    if is_ascii_digits(n) and len(n) == 18:
        return None if _gs1_ok(n) else "its SSCC check digit does not match"
    if re.fullmatch(r"[0-9A-Z]{8,39}", n):
        return None  # DHL Parcel, eCommerce and Freight numbers publish no check rule
    return "a DHL number is 8 to 39 letters or digits"


_RULES: dict[Carrier, Callable[[str], str | None]] = {
    "ups": _ups,
    "fedex": _fedex,
    "usps": _usps,
    "dhl": _dhl,
}


def tracking_number_problem(carrier: Carrier, number: str, location: str) -> Problem | None:
    """A Problem naming ``number`` and why it cannot be one of ``carrier``'s, or ``None``."""
    compacted = compact(number)
    # str.isdigit() also accepts '²' and other digits int() refuses: only ASCII is a number.
    ascii_only = compacted.isascii() and compacted.isalnum()
    why = _RULES[carrier](compacted) if ascii_only else "it may hold only letters and digits"
    if why is None:
        return None
    return Problem(location, f"{number!r} is not a valid {carrier.upper()} tracking number: {why}")
