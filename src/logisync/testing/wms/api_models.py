"""The simulated WMS's own outbound-order API: its field names, not the hub's.

``POST /api/v2/outbound-orders`` with ``Authorization: Bearer <token>``::

    {"client_reference": "SO-1", "priority": "normal",
     "ship_to": {"name": "...", "street": "...", "city": "...", "postcode": "...",
                 "country_code": "NL"},
     "items": [{"line": 1, "article": "MUG-WHT", "qty": "2"}]}

Answers: 201 ``{"id": "WO-000001", "client_reference", "status", "reason"}`` for a new order
(``status`` is ``accepted`` or ``rejected`` when the WMS acknowledges at once, ``received`` when
it acknowledges later with an ``order.acknowledged`` message); 200 with the same body for a
repeat of the same order; 409 when the reference is known with other items (the WMS does not
change a released order); 400 for a body it cannot read; 401 without the right token; 429 and
503 with Retry-After when it is busy or down.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ReleaseAddress", "ReleaseItem", "ReleaseRequest"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReleaseAddress(_Strict):
    name: str | None = None
    street: str | None = None
    city: str | None = None
    postcode: str | None = None
    country_code: str | None = Field(default=None, min_length=2, max_length=2)


class ReleaseItem(_Strict):
    line: int = Field(ge=1)
    article: str = Field(min_length=1)
    qty: Decimal = Field(gt=0, allow_inf_nan=False)


class ReleaseRequest(_Strict):
    client_reference: str = Field(min_length=1, max_length=64)
    priority: Literal["normal", "express"] = "normal"
    ship_to: ReleaseAddress | None = None
    items: list[ReleaseItem] = Field(min_length=1)
