"""Validated identifiers used by the canonical entities.

Each is an ``Annotated`` string type: pydantic normalises it (strip spaces, upper-case) and
rejects it with a sentence naming the standard it breaks. python-stdnum does the check-digit
work; we only add SSCC (18 digits, GS1 mod-10) which stdnum has no module for.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

import pycountry
from pydantic import AfterValidator, BeforeValidator
from stdnum import ean, iban, vatin
from stdnum.exceptions import ValidationError as StdnumError


def is_ascii_digits(text: str) -> bool:
    """Whether ``text`` is one or more of the digits 0-9. ``str.isdecimal`` also accepts other
    scripts' digits (Arabic-Indic, Devanagari, fullwidth...), which ``int()`` reads as numbers
    too: a control number or an SSCC in them would pass a check and reach a partner that reads
    only ASCII."""
    return text.isascii() and text.isdecimal()


def _compact(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.replace(" ", "").replace("-", "").strip()
    return value


def _gtin(value: str) -> str:
    if len(value) not in (8, 12, 13, 14):
        raise ValueError(f"GTIN must have 8, 12, 13 or 14 digits, got {len(value)}")
    try:
        return str(ean.validate(value))
    except StdnumError as exc:
        raise ValueError(f"not a valid GTIN/EAN ({exc})") from None


def _gln(value: str) -> str:
    if len(value) != 13:
        raise ValueError(f"GLN must have 13 digits, got {len(value)}")
    try:
        return str(ean.validate(value))
    except StdnumError as exc:
        raise ValueError(f"not a valid GLN ({exc})") from None


def _sscc(value: str) -> str:
    if value.startswith("00") and len(value) == 20:
        value = value[2:]  # a GS1-128 label read with its application identifier (00)
    if len(value) != 18 or not is_ascii_digits(value):
        raise ValueError("SSCC must be exactly 18 digits")
    if ean.calc_check_digit(value[:-1]) != value[-1]:
        raise ValueError(f"SSCC check digit is wrong (expected {ean.calc_check_digit(value[:-1])})")
    return value


def _vat(value: str) -> str:
    try:
        return str(vatin.validate(value.upper()))
    except StdnumError as exc:
        raise ValueError(f"not a valid VAT number with country prefix ({exc})") from None


def _iban(value: str) -> str:
    try:
        return str(iban.validate(value.upper()))
    except StdnumError as exc:
        raise ValueError(f"not a valid IBAN ({exc})") from None


@cache
def _currency_codes() -> frozenset[str]:
    # pycountry's look-up takes a lock and walks its index on every call: a set, read once
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def _currency(value: Any) -> Any:
    if isinstance(value, str):
        code = value.strip().upper()
        if len(code) != 3 or code not in _currency_codes():
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return code
    return value


def _country(value: Any) -> Any:
    if isinstance(value, str):
        code = value.strip().upper()
        if len(code) != 2 or code not in _country_codes():
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return code
    return value


Gtin = Annotated[str, BeforeValidator(_compact), AfterValidator(_gtin)]
Gln = Annotated[str, BeforeValidator(_compact), AfterValidator(_gln)]
Sscc = Annotated[str, BeforeValidator(_compact), AfterValidator(_sscc)]
VatNumber = Annotated[str, BeforeValidator(_compact), AfterValidator(_vat)]
Iban = Annotated[str, BeforeValidator(_compact), AfterValidator(_iban)]
CurrencyCode = Annotated[str, BeforeValidator(_currency)]
CountryCode = Annotated[str, BeforeValidator(_country)]

__all__ = [
    "CountryCode",
    "CurrencyCode",
    "Gln",
    "Gtin",
    "Iban",
    "Sscc",
    "VatNumber",
]


_CARRIER_ALIASES = {
    "united parcel service": "ups",
    "federal express": "fedex",
    "united states postal service": "usps",
    "us postal service": "usps",
}
_CARRIERS = ("ups", "fedex", "dhl", "usps")


def carrier_code(name: str) -> str:
    """The hub's name of a carrier however a system spells it ("UPS", "DHL Express",
    "FedEx Ground" -> ups, dhl, fedex), so that a tracking number a WMS reports and the
    carrier's own scans meet in the crosswalk. Unknown carriers are lower-cased."""
    words = " ".join(name.lower().replace("_", " ").replace("-", " ").split())
    if words in _CARRIER_ALIASES:
        return _CARRIER_ALIASES[words]
    first = words.split(" ", 1)[0]
    return first if first in _CARRIERS else words.replace(" ", "_")


def tracking_key(number: str) -> str:
    """A tracking number as carriers compare it: no spaces or dashes, upper case (UPS prints
    ``1Z 999 AA1 01 2345 6784``)."""
    return "".join(number.replace("-", " ").split()).upper()
