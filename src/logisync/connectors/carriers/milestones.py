"""(carrier, code fields, text) -> canonical milestone, keeping the carrier's own code and words.

Each carrier says "where is it" differently, so each has its own rule over the shared tables
in ``code_tables``:

- UPS: the two-letter ``code`` when it is a published one, else the ``type`` letter. Type
  ``D`` ("delivery information") covers loaded, out for delivery *and* delivered: it is
  ``delivered`` only with code ``FS`` or when the package reports a delivery date.
- FedEx: ``derivedStatusCode`` first (FedEx's own summary), then ``eventType``, which also
  refines the catch-all summary ``IT`` (an ``OD`` scan under ``IT`` is out for delivery). A delivery
  exception whose reason is about the recipient is a ``delivery_attempted``.
- DHL: ``statusCode`` (pre-transit, transit, delivered, failure, unknown) refined from the
  event text (DHL has no finer code in the unified API); a failure with the return flag set is
  ``returned_to_sender``. A legacy Express ``eventCode``, when given, decides first.
- USPS: ``eventCode``.

A code the carrier did not publish becomes ``unknown``; its code and text are kept on the
milestone and it is counted in ``logisync_carrier_unknown_codes_total{carrier,code}``, so an
operator sees which new code to add to the table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from prometheus_client import Counter

from logisync.connectors.carriers.code_tables import Carrier, lookup
from logisync.model.entities.logistics import Milestone

UNKNOWN_CODES = Counter(
    "logisync_carrier_unknown_codes_total",
    "Carrier status codes the hub has no mapping for (normalised to 'unknown')",
    ["carrier", "code"],
)

# The fields that carry codes per carrier; ``carrier_code`` joins them in this order.
CODE_FIELDS: dict[Carrier, tuple[str, ...]] = {
    "ups": ("type", "code"),
    "fedex": ("derivedStatusCode", "eventType"),
    "dhl": ("statusCode", "eventCode"),
    "usps": ("eventCode",),
}
_LABEL_LIMIT = 24  # a label value from the wire is bounded: a hostile payload cannot flood it


@dataclass(frozen=True)
class Normalised:
    """A scan's canonical milestone with the carrier's code and words kept beside it."""

    milestone: Milestone
    carrier_code: str | None
    carrier_text: str | None
    known: bool


def normalise(
    carrier: Carrier,
    codes: Mapping[str, str | None],
    text: str | None,
    *,
    delivered: bool = False,
    return_flag: bool = False,
) -> Normalised:
    """The milestone of one scan.

    ``codes`` holds the code per field (see ``CODE_FIELDS``); ``delivered`` is UPS's "a delivery
    date is set"; ``return_flag`` is DHL's shipment-level flag.
    """
    present = {f: c.strip() for f, c in codes.items() if isinstance(c, str) and c.strip()}
    carrier_code = "/".join(present[f] for f in CODE_FIELDS[carrier] if f in present) or None
    milestone = _RULES[carrier](present, text or "", delivered, return_flag)
    if milestone is None:
        UNKNOWN_CODES.labels(carrier, (carrier_code or "none")[:_LABEL_LIMIT]).inc()
        return Normalised("unknown", carrier_code, text, known=False)
    return Normalised(milestone, carrier_code, text, known=True)


def _ups(codes: dict[str, str], text: str, delivered: bool, _: bool) -> Milestone | None:
    by_code = lookup("ups", "code", codes.get("code"))
    kind = codes.get("type", "").upper()
    if kind == "D":
        if delivered or (by_code is not None and by_code.milestone == "delivered"):
            return "delivered"
        return "out_for_delivery"
    if by_code is not None:
        return by_code.milestone
    by_type = lookup("ups", "type", kind)
    return by_type.milestone if by_type else None


_RECIPIENT_REASON = re.compile(
    r"customer not (available|in)|recipient not (available|in)|no one (available|home)|"
    r"business closed|no access",
    re.IGNORECASE,
)


def _fedex(codes: dict[str, str], text: str, _: bool, __: bool) -> Milestone | None:
    derived = lookup("fedex", "derivedStatusCode", codes.get("derivedStatusCode"))
    event = lookup("fedex", "eventType", codes.get("eventType"))
    # "IT" is FedEx's catch-all summary: the event type says more (on vehicle, held, cleared).
    row = event if derived is None or (derived.milestone == "in_transit" and event) else derived
    if row is None:
        return None
    if row.milestone == "exception" and _RECIPIENT_REASON.search(text):
        return "delivery_attempted"
    return row.milestone


_DHL_TRANSIT_TEXT: tuple[tuple[re.Pattern[str], Milestone], ...] = (
    (
        re.compile(r"out for delivery|with (the )?(delivery )?courier|on (its|the) way to", re.I),
        "out_for_delivery",
    ),
    (
        re.compile(
            r"ready for (pick-?up|collection)|available for (pick-?up|collection)|"
            r"parcel ?shop|packstation|service ?point|post office for collection",
            re.I,
        ),
        "available_for_pickup",
    ),
    (
        re.compile(r"delivery attempt|could not be delivered|recipient (was )?not", re.I),
        "delivery_attempted",
    ),
    (
        re.compile(
            r"picked up|pick-?up (was )?successful|received from the sender|"
            r"handed over by the sender|posted at",
            re.I,
        ),
        "picked_up",
    ),
)


def _dhl(codes: dict[str, str], text: str, _: bool, return_flag: bool) -> Milestone | None:
    legacy = lookup("dhl", "eventCode", codes.get("eventCode"))
    if legacy is not None:
        return legacy.milestone
    row = lookup("dhl", "statusCode", codes.get("statusCode"))
    if row is None:
        return None
    if row.milestone == "exception" and return_flag:
        return "returned_to_sender"
    if row.milestone == "in_transit":
        for pattern, milestone in _DHL_TRANSIT_TEXT:
            if pattern.search(text):
                return milestone
    return row.milestone


def _usps(codes: dict[str, str], text: str, _: bool, __: bool) -> Milestone | None:
    row = lookup("usps", "eventCode", codes.get("eventCode"))
    return row.milestone if row else None


_RULES = {"ups": _ups, "fedex": _fedex, "dhl": _dhl, "usps": _usps}
