"""GS1 numbers a partner prints on what it ships: GTINs of products, SSCCs of packages.

Both end in a GS1 mod-10 check digit (weights 3 and 1 from the right), computed with
python-stdnum's ``ean.calc_check_digit`` as the model's own validators do, so a number the
simulator writes is one the hub accepts, and a number with a wrong digit is a deliberate fault.
"""

from __future__ import annotations

import random

from stdnum import ean

__all__ = ["new_gtin", "new_sscc", "with_check_digit"]


def with_check_digit(digits: str) -> str:
    """``digits`` followed by their GS1 check digit."""
    return digits + ean.calc_check_digit(digits)


def new_gtin(rng: random.Random, company_prefix: str) -> str:
    """A GTIN-13 under ``company_prefix`` (7 to 10 digits), item reference drawn from ``rng``."""
    reference = "".join(rng.choice("0123456789") for _ in range(12 - len(company_prefix)))
    return with_check_digit(company_prefix + reference)


def new_sscc(extension: int, company_prefix: str, serial: int) -> str:
    """An 18-digit SSCC: extension digit, company prefix, serial reference, check digit."""
    width = 16 - len(company_prefix)
    reference = str(serial % 10**width).rjust(width, "0")
    return with_check_digit(f"{extension % 10}{company_prefix}{reference}")
