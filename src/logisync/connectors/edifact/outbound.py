"""Writing interchanges: canonical payloads in, UNA/UNB..UNZ bytes out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from logisync.connectors.edifact.messages.desadv import write_desadv
from logisync.connectors.edifact.messages.iftsta import write_iftsta
from logisync.connectors.edifact.messages.invoic import write_invoic
from logisync.connectors.edifact.messages.orders import write_orders
from logisync.connectors.edifact.messages.writing import Writing
from logisync.connectors.edifact.settings import EdifactSettings
from logisync.connectors.edifact.syntax import Segment, Separators, serialize
from logisync.errors import PermanentDeliveryError
from logisync.model.values import date_text

MESSAGE_WRITERS: dict[str, Callable[[dict[str, Any], Writing], str]] = {
    "ORDERS": write_orders,
    "DESADV": write_desadv,
    "IFTSTA": write_iftsta,
    "INVOIC": write_invoic,
}
"""The message each writer makes from a canonical payload (a sales order, a shipment, a
milestone, an invoice, as JSON)."""


def message_body(kind: str, payload: dict[str, Any], settings: EdifactSettings) -> list[Segment]:
    out = Writing(settings.decimal_mark, settings.zone)
    MESSAGE_WRITERS[kind](payload, out)
    return out.segments


def write_interchange(
    settings: EdifactSettings,
    reference: int | str,
    messages: list[tuple[str, list[Segment]]],
    now: datetime,
    *,
    acknowledgement: bool | None = None,
) -> bytes:
    """One interchange holding ``messages`` (type, body without UNH/UNT), prepared ``now``."""
    separators = Separators.of_level(settings.syntax)
    separators = Separators(
        separators.component,
        separators.element,
        settings.decimal_mark,
        separators.release,
        separators.repetition,
        separators.terminator,
    )
    local = now.astimezone(settings.zone)
    date = date_text(local, "%y%m%d" if settings.syntax_version == "3" else "%Y%m%d")
    ask = settings.acknowledgement_request if acknowledgement is None else acknowledgement
    unb = Segment(
        "UNB",
        (
            (settings.syntax, settings.syntax_version),
            (settings.sender_id, settings.sender_qualifier or ""),
            (settings.receiver_id, settings.receiver_qualifier or ""),
            (date, local.strftime("%H%M")),
            (str(reference),),
            ("",),
            ("",),
            ("",),
            ("1" if ask else "",),
        ),
    )
    segments = [unb]
    for number, (kind, body) in enumerate(messages, start=1):
        version, release = _identifier(kind, settings)
        unh = Segment("UNH", ((str(number),), (kind, version, release, "UN")))
        unt = Segment("UNT", ((str(len(body) + 2),), (str(number),)))
        segments.extend([unh, *body, unt])
    segments.append(Segment("UNZ", ((str(len(messages)),), (str(reference),))))
    try:
        text = serialize(segments, separators, una=settings.syntax != "UNOB")
    except ValueError as error:
        raise PermanentDeliveryError(str(error)) from None
    try:
        return text.encode(settings.encoding)
    except UnicodeEncodeError as error:
        raise PermanentDeliveryError(
            f"{text[error.start : error.end]!r} cannot be written in {settings.syntax}; "
            "choose a syntax level that has it (UNOC for Latin-1, UNOW for UTF-8)"
        ) from None


def _identifier(kind: str, settings: EdifactSettings) -> tuple[str, str]:
    if kind == "CONTRL":
        return ("D", "3") if settings.syntax_version == "3" else ("4", "1")
    return settings.directory[0], settings.directory[1:]
