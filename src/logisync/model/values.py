"""Value objects shared by entities: money, quantities, addresses, timestamps.

Money and quantities are Decimal (never float: 0.1 + 0.2 must stay 0.3 on an invoice), always
with their currency or unit. Times are timezone-aware; a naive time is refused because a
carrier scan at "14:02" means nothing without its zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from logisync.model.identifiers import CountryCode, CurrencyCode
from logisync.model.pii import PII

# UN/ECE Recommendation 20 codes that logistics systems use, with the spellings that Odoo,
# WMSs and shops send for them. The canonical model stores the Rec 20 code.
UNIT_CODES: dict[str, str] = {
    "H87": "piece",
    "C62": "one (unit)",
    "EA": "each",
    "PR": "pair",
    "SET": "set",
    "DZN": "dozen",
    "PK": "pack",
    "BX": "box",
    "CT": "carton",
    "PF": "pallet",
    "KGM": "kilogram",
    "GRM": "gram",
    "TNE": "tonne",
    "LBR": "pound",
    "ONZ": "ounce",
    "LTR": "litre",
    "MLT": "millilitre",
    "MTQ": "cubic metre",
    "MTR": "metre",
    "CMT": "centimetre",
    "MMT": "millimetre",
    "MTK": "square metre",
    "HUR": "hour",
    "DAY": "day",
}
UNIT_ALIASES: dict[str, str] = {
    "PCE": "H87",
    "PCS": "H87",
    "PC": "H87",
    "PIECE": "H87",
    "UNITS": "C62",
    "UNIT": "C62",
    "EACH": "EA",
    "KG": "KGM",
    "G": "GRM",
    "T": "TNE",
    "LB": "LBR",
    "LBS": "LBR",
    "OZ": "ONZ",
    "L": "LTR",
    "ML": "MLT",
    "M3": "MTQ",
    "M": "MTR",
    "CM": "CMT",
    "MM": "MMT",
    "M2": "MTK",
    "H": "HUR",
    "DOZEN": "DZN",
    "PALLET": "PF",
    "CARTON": "CT",
    "BOX": "BX",
}


def _unit(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    code = value.strip().upper()
    code = UNIT_ALIASES.get(code, code)
    if code not in UNIT_CODES:
        raise ValueError(
            f"{value!r} is not a known unit of measure; use a UN/ECE Rec 20 code such as "
            "H87 (piece), KGM (kilogram) or LTR (litre)"
        )
    return code


def in_zone(
    moment: datetime, zone: tzinfo, refuse: Callable[[str], Exception] = ValueError
) -> datetime:
    """``moment`` (aware) as seen in ``zone``, or ``refuse(reason)`` raised.

    Python's calendar ends at years 1 and 9999, so a time at its edge can have no date in
    another zone: 0001-01-01T00:30 in Berlin is in year 0 in UTC. ``astimezone`` then raises
    a bare OverflowError ("date value out of range") that names neither the time nor why.
    Partners can send such times (a ``00010101`` placeholder), and writers meet them in stored
    times, so every conversion goes through here; each caller passes the error it reports a
    bad value with, which puts the value's location next to this reason.
    """
    try:
        return moment.astimezone(zone)
    except OverflowError:
        raise refuse(
            f"time {moment.isoformat()} falls outside the years 1 to 9999 in {zone}"
        ) from None


def date_text(moment: date, pattern: str) -> str:
    """``moment.strftime(pattern)`` with ``%Y`` always four digits.

    ``strftime`` leaves ``%Y`` to the C library, and glibc does not pad it: year 1 comes out
    as ``1``, not ``0001``. A valid time before year 1000 then became ``1-01-01T00:30:00Z``
    (which no reader takes for a time) or, as a CCYYMMDD date, ``10101``. ``isoformat`` pads;
    every pattern with ``%Y`` goes through here instead of ``strftime``. ``%%`` stays a
    percent sign.
    """
    year = f"{moment.year:04d}"
    return moment.strftime("%%".join(part.replace("%Y", year) for part in pattern.split("%%")))


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("time must carry a UTC offset or zone (a naive local time is ambiguous)")
    return in_zone(value, UTC)


UnitOfMeasure = Annotated[str, BeforeValidator(_unit)]
AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
"""A timezone-aware instant, normalised to UTC."""


class Value(BaseModel):
    """Base of immutable value objects: extra keys are errors, not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# Bounds that every ERP and database column can hold; they also keep "9e999999" out.
Amount = Annotated[Decimal, Field(max_digits=28, decimal_places=10, allow_inf_nan=False)]


class Money(Value):
    amount: Amount
    currency: CurrencyCode


class Quantity(Value):
    value: Amount
    unit: UnitOfMeasure = "H87"


class Address(Value):
    """A postal address; the street lines are personal data (where someone lives), the rest
    is what logistics needs to route and is not masked."""

    street: str | None = Field(default=None, json_schema_extra=PII)
    street2: str | None = Field(default=None, json_schema_extra=PII)
    city: str | None = None
    postal_code: str | None = None
    region: str | None = None
    country: CountryCode | None = None


class Dimensions(Value):
    length: Decimal = Field(gt=0)
    width: Decimal = Field(gt=0)
    height: Decimal = Field(gt=0)
    unit: UnitOfMeasure = "CMT"
