"""SSCC labels and tracking numbers the simulated warehouse prints, valid by construction.

An SSCC is extension digit + GS1 company prefix + serial reference, 17 digits, then the GS1
mod-10 check digit: digits weighted 3,1,3,1... from the right, the check digit brings the sum
to a multiple of ten.
"""

from __future__ import annotations

import random

from logisync.model.identifiers import is_ascii_digits

__all__ = ["gs1_check_digit", "sscc", "tracking_number"]

COMPANY_PREFIX = "8712345"  # a GS1 Netherlands-style prefix of the simulated warehouse


def gs1_check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit of ``digits`` (the number without its check digit)."""
    if not is_ascii_digits(digits):
        raise ValueError(f"GS1 numbers are digits only, got {digits!r}")
    total = sum(int(d) * (3 if n % 2 == 0 else 1) for n, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def sscc(serial: int, extension: int = 0) -> str:
    """The 18-digit SSCC of the warehouse's ``serial``-th package."""
    body = f"{extension}{COMPANY_PREFIX}{serial:09d}"
    if len(body) != 17:
        raise ValueError(f"serial {serial} does not fit the SSCC's serial reference")
    return body + gs1_check_digit(body)


def tracking_number(carrier: str, rng: random.Random) -> str:
    """A carrier-looking tracking number (the simulator's carriers are not checked further)."""
    prefix = {"dhl": "JVGL", "ups": "1Z", "postnl": "3S"}.get(carrier, "TRK")
    return prefix + "".join(rng.choice("0123456789") for _ in range(12))
