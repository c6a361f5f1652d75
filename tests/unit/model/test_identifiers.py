"""Identifiers: check digits, normalisation, and the sentence a sender sees when one is wrong."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from logisync.model.identifiers import CountryCode, CurrencyCode, Gln, Gtin, Iban, Sscc, VatNumber
from logisync.model.values import UnitOfMeasure


def _valid(kind: Any, value: object) -> str:
    result: str = TypeAdapter(kind).validate_python(value)
    return result


def _refusal(kind: Any, value: object) -> str:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(kind).validate_python(value)
    errors = caught.value.errors()
    assert len(errors) == 1
    return str(errors[0]["msg"])


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("96385074", "96385074"),  # GTIN-8
        ("036000291452", "036000291452"),  # GTIN-12 (UPC-A)
        ("4006381333931", "4006381333931"),  # GTIN-13 (EAN-13)
        ("10614141000415", "10614141000415"),  # GTIN-14
        ("400 6381 33393-1", "4006381333931"),  # spaces and dashes are dropped
        (4006381333931, "4006381333931"),  # an integer from a spreadsheet
    ],
)
def test_gtin_with_a_right_check_digit_is_kept(raw: object, canonical: str) -> None:
    assert _valid(Gtin, raw) == canonical


@pytest.mark.parametrize(
    "raw", ["96385075", "036000291453", "4006381333932", "10614141000416", "400638133393X"]
)
def test_gtin_with_a_wrong_check_digit_or_letter_is_refused(raw: str) -> None:
    assert "not a valid GTIN/EAN" in _refusal(Gtin, raw)


@pytest.mark.parametrize("raw", ["1234567", "40063813339", "400638133393112"])
def test_gtin_of_another_length_is_refused_naming_the_lengths(raw: str) -> None:
    assert f"GTIN must have 8, 12, 13 or 14 digits, got {len(raw)}" in _refusal(Gtin, raw)


def test_sscc_of_18_digits_with_a_right_check_digit_is_kept() -> None:
    assert _valid(Sscc, "376123450000000016") == "376123450000000016"
    assert _valid(Sscc, "3 7612345 000000001 6") == "376123450000000016"


def test_sscc_read_with_its_application_identifier_00_is_accepted_without_it() -> None:
    assert _valid(Sscc, "00376123450000000016") == "376123450000000016"


def test_sscc_with_a_wrong_check_digit_names_the_expected_one() -> None:
    assert "SSCC check digit is wrong (expected 6)" in _refusal(Sscc, "376123450000000013")


@pytest.mark.parametrize(
    "raw",
    [
        "37612345000000001",  # 17 digits
        "3761234500000000160",  # 19 digits
        "01376123450000000016",  # 20 digits, but not prefixed with (00)
        "37612345000000001A",
        # the valid 376123450000000016 in Arabic-Indic digits: str.isdecimal() says yes
        "".join(chr(0x660 + int(d)) for d in "376123450000000016"),
        "".join(chr(0xFF10 + int(d)) for d in "376123450000000016"),  # fullwidth
    ],
)
def test_sscc_of_the_wrong_length_or_with_letters_is_refused(raw: str) -> None:
    assert "SSCC must be exactly 18 digits" in _refusal(Sscc, raw)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("NL004495445B01", "NL004495445B01"),
        ("nl 0044 95445 b01", "NL004495445B01"),
        ("DE136695976", "DE136695976"),
        ("FR40303265045", "FR40303265045"),
        ("BE0403170701", "BE0403170701"),
    ],
)
def test_vat_number_with_country_prefix_is_normalised(raw: str, canonical: str) -> None:
    assert _valid(VatNumber, raw) == canonical


@pytest.mark.parametrize(
    "raw", ["NL004495446B01", "DE136695977", "DE13669597", "136695976", "XX123456789"]
)
def test_invalid_vat_number_is_refused(raw: str) -> None:
    assert "not a valid VAT number with country prefix" in _refusal(VatNumber, raw)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("NL91ABNA0417164300", "NL91ABNA0417164300"),
        ("nl91 abna 0417 1643 00", "NL91ABNA0417164300"),
        ("DE89370400440532013000", "DE89370400440532013000"),
        ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
    ],
)
def test_iban_is_normalised(raw: str, canonical: str) -> None:
    assert _valid(Iban, raw) == canonical


@pytest.mark.parametrize("raw", ["DE89370400440532013001", "NL91ABNA041716430", "XX00"])
def test_invalid_iban_is_refused(raw: str) -> None:
    assert "not a valid IBAN" in _refusal(Iban, raw)


def test_gln_of_13_digits_with_a_right_check_digit_is_kept() -> None:
    assert _valid(Gln, "8712345000004") == "8712345000004"


def test_gln_with_a_wrong_check_digit_is_refused() -> None:
    assert "not a valid GLN" in _refusal(Gln, "8712345000005")


def test_gln_of_another_length_is_refused() -> None:
    assert "GLN must have 13 digits, got 14" in _refusal(Gln, "10614141000415")


@pytest.mark.parametrize(("raw", "canonical"), [("eur", "EUR"), (" usd ", "USD"), ("JPY", "JPY")])
def test_currency_is_upper_cased(raw: str, canonical: str) -> None:
    assert _valid(CurrencyCode, raw) == canonical


@pytest.mark.parametrize("raw", ["XYZ", "EURO", "€", ""])
def test_unknown_currency_is_refused(raw: str) -> None:
    assert f"{raw!r} is not an ISO 4217 currency code" in _refusal(CurrencyCode, raw)


@pytest.mark.parametrize(("raw", "canonical"), [("nl", "NL"), ("DE", "DE"), (" be ", "BE")])
def test_country_is_upper_cased(raw: str, canonical: str) -> None:
    assert _valid(CountryCode, raw) == canonical


@pytest.mark.parametrize("raw", ["XX", "NLD", "Netherlands", ""])
def test_unknown_country_is_refused(raw: str) -> None:
    assert f"{raw!r} is not an ISO 3166-1 alpha-2 country code" in _refusal(CountryCode, raw)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("pcs", "H87"),
        ("PCE", "H87"),
        ("Units", "C62"),
        ("kg", "KGM"),
        ("KGM", "KGM"),
        (" l ", "LTR"),
        ("cm", "CMT"),
        ("lbs", "LBR"),
    ],
)
def test_unit_aliases_become_rec_20_codes(raw: str, code: str) -> None:
    assert _valid(UnitOfMeasure, raw) == code


@pytest.mark.parametrize("raw", ["parsec", "kilo", ""])
def test_unknown_unit_is_refused_with_examples_of_known_codes(raw: str) -> None:
    message = _refusal(UnitOfMeasure, raw)
    assert f"{raw!r} is not a known unit of measure" in message
    assert "H87 (piece)" in message
