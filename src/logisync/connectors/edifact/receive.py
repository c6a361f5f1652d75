"""Receiving one interchange: envelope checks, control numbers, mapping, and the CONTRL.

Every message that is read without a fault becomes canonical event drafts; a message with a
fault becomes none (all or nothing per message, as CONTRL rejects per message). Event ids
come from (partner, interchange reference, message reference, index in the message), so a
re-sent interchange journals nothing new. A re-sent interchange with the same content is a
notice, is mapped again to the same event ids (nothing is lost if the first attempt was never
journaled) and acknowledged again (our first CONTRL may have been lost); the same reference
with other content is rejected whole (0085 code 26, duplicate detected).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from logisync.connectors.edi.receipt import ControlLedger, EdiReceipt
from logisync.connectors.edifact.contrl import contrl_segments, read_contrl
from logisync.connectors.edifact.envelope import Fault, Interchange, Message, read_interchange
from logisync.connectors.edifact.messages.desadv import read_desadv
from logisync.connectors.edifact.messages.iftsta import read_iftsta
from logisync.connectors.edifact.messages.invoic import read_invoic
from logisync.connectors.edifact.messages.orders import read_orders
from logisync.connectors.edifact.messages.reading import Reading
from logisync.connectors.edifact.outbound import write_interchange
from logisync.connectors.edifact.references import ReferenceCounter
from logisync.connectors.edifact.settings import EdifactPartner
from logisync.errors import InvalidEvent, PermanentDeliveryError, Problem
from logisync.model import new_event
from logisync.model.identifiers import is_ascii_digits
from logisync.model.values import in_zone

STANDARD = "edifact"
MESSAGE_READERS: dict[str, Callable[[Reading], list[tuple[str, dict[str, Any]]]]] = {
    "ORDERS": read_orders,
    "DESADV": read_desadv,
    "IFTSTA": read_iftsta,
    "INVOIC": read_invoic,
}
UNREADABLE_PREPARATION_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def receive_edifact(
    raw: bytes,
    partner: EdifactPartner,
    ledger: ControlLedger,
    *,
    references: ReferenceCounter | None = None,
) -> EdiReceipt:
    """Read ``raw`` from ``partner``; never raises for bad input (faults become problems and
    a rejecting CONTRL). ``references`` numbers our CONTRL interchanges; without it the CONTRL
    reuses the received reference prefixed with ``C``."""
    receipt = EdiReceipt()
    read = read_interchange(raw)
    _check_parties(read, partner)
    prepared = _preparation_time(read, partner)
    digest = hashlib.sha256(raw).hexdigest()
    if not read.faults:
        _check_control_numbers(read, partner.name, ledger, digest, receipt)
    if not read.faults:
        for message in read.messages:
            if message.faults or (message.group is not None and message.group.faults):
                continue
            events = _map(message, read, partner, receipt, prepared)
            if not message.faults:
                receipt.events.extend(events)
    receipt.problems.extend(_problems(read))
    if not read.messages or any(m.type != "CONTRL" for m in read.messages):
        receipt.acknowledgements.append(_contrl(read, partner, references, prepared))
    return receipt


def _check_parties(read: Interchange, partner: EdifactPartner) -> None:
    settings = partner.settings
    if read.faults:
        return
    if read.recipient != settings.sender_id:
        read.faults.append(
            Fault(
                "interchange",
                "7",
                f"the interchange is addressed to {read.recipient!r}, not to us "
                f"({settings.sender_id!r})",
                1,
                "UNB",
                element=3,
            )
        )
    elif read.sender != settings.receiver_id:
        read.faults.append(
            Fault(
                "interchange",
                "23",
                f"the sender {read.sender!r} is not {partner.name} ({settings.receiver_id!r})",
                1,
                "UNB",
                element=2,
            )
        )


def _check_control_numbers(
    read: Interchange, partner: str, ledger: ControlLedger, digest: str, receipt: EdiReceipt
) -> None:
    """Record the interchange and group references (a reference reused for other content
    becomes a fault of the interchange)."""
    if not is_ascii_digits(read.reference):
        receipt.notices.append(
            f"interchange reference {read.reference!r} from {partner} is not numeric: "
            "not checked for duplicates or gaps"
        )
        return
    check = ledger.check_and_record(partner, STANDARD, "interchange", int(read.reference), digest)
    if check.missing:
        receipt.notices.append(_gap(partner, "interchange", check.missing))
    if check.status == "duplicate":
        if check.first_digest == digest:
            receipt.notices.append(
                f"interchange {read.reference} from {partner} was received before with the "
                "same content: mapped again to the same event ids and acknowledged again"
            )
            return
        read.faults.append(
            Fault(
                "interchange",
                "26",
                f"interchange reference {read.reference} was used before for other content",
                1,
                "UNB",
                element=5,
            )
        )
        return
    for group in read.groups:
        if is_ascii_digits(group.reference):
            text = read.text[group.start : group.end]
            group_digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
            seen = ledger.check_and_record(
                partner, STANDARD, "group", int(group.reference), group_digest
            )
            if seen.missing:
                receipt.notices.append(_gap(partner, "group", seen.missing))
            if seen.status == "duplicate":
                receipt.notices.append(f"group {group.reference} from {partner} seen before")


def _gap(partner: str, level: str, missing: tuple[int, ...]) -> str:
    shown = ", ".join(str(n) for n in missing[:10]) + (" ..." if len(missing) > 10 else "")
    return f"{len(missing)} {level} reference(s) from {partner} never arrived: {shown}"


def _map(
    message: Message,
    read: Interchange,
    partner: EdifactPartner,
    receipt: EdiReceipt,
    prepared: datetime,
) -> list[dict[str, Any]]:
    if message.type == "CONTRL":
        report = read_contrl(message)
        if report is not None:
            verdict = "accepted" if report.accepted else "rejected"
            detail = f" (error {report.error})" if report.error else ""
            rejected = ", ".join(sorted(report.rejected_messages))
            more = f"; messages rejected: {rejected}" if rejected else ""
            receipt.notices.append(
                f"{partner.name} {verdict} our interchange {report.interchange}{detail}{more}"
            )
        return []
    reader = MESSAGE_READERS.get(message.type)
    if reader is None:
        message.fault("14", f"message type {message.type!r} is not read by the hub", None, 2)
        return []
    try:
        facts = reader(Reading(message, partner.settings.zone))
    except (ValueError, LookupError, TypeError) as error:  # a mapping bug must not crash intake
        message.fault("18", f"could not be mapped: {error}")
        return []
    if message.faults:  # rejected: no events, and no second report of the same gap
        return []
    events: list[dict[str, Any]] = []
    for index, (event_type, data) in enumerate(facts):
        event_id = f"edifact:{partner.name}:{read.reference}:{message.reference}:{index}"
        try:
            event = new_event(
                event_type,
                data,
                source=partner.name,
                id=event_id,
                time=data.get("occurred_at") or prepared.isoformat(),
            )
        except InvalidEvent as invalid:
            for problem in invalid.problems:
                message.fault("12", f"{event_type} {problem.location}: {problem.message}")
            continue
        events.append(event.model_dump(mode="json", exclude_none=True))
    return events


def _preparation_time(read: Interchange, partner: EdifactPartner) -> datetime:
    """When the partner prepared the interchange (UNB S004), in UTC: the time of events whose
    message names none, and of our CONTRL. One that is no date and time (261317) is a fault
    of the envelope, and one that has no date in UTC (99991231 2359 in Chicago) a fault here,
    since every event without a time of its own would carry it; either rejects the
    interchange, and only our CONTRL is then dated, 2000-01-01."""
    if read.prepared_at is None:
        return UNREADABLE_PREPARATION_TIME
    date, _, time = read.prepared.partition(":")
    try:
        return in_zone(read.prepared_at.replace(tzinfo=partner.settings.zone), UTC)
    except ValueError as outside:
        read.faults.append(
            Fault(
                "interchange",
                "12",
                f"the preparation date and time {date} {time} are no time in UTC: {outside}",
                1,
                "UNB",
                element=4,
            )
        )
        return UNREADABLE_PREPARATION_TIME


def _problems(read: Interchange) -> list[Problem]:
    problems = []
    for fault in read.faults:
        problems.append(Problem(_location(fault, None), _sentence(fault)))
    for group in read.groups:
        for fault in group.faults:
            where = f"/interchange/1/group/{group.index}"
            problems.append(Problem(where + _tail(fault), _sentence(fault)))
    for message in read.messages:
        for fault in message.faults:
            problems.append(Problem(_location(fault, message), _sentence(fault)))
    return problems


def _sentence(fault: Fault) -> str:
    where = f"{fault.tag}: " if fault.tag else ""
    return f"{where}{fault.message} (CONTRL error {fault.code})"


def _location(fault: Fault, message: Message | None) -> str:
    where = "/interchange/1"
    if message is not None:
        if message.group is not None:
            where += f"/group/{message.group.index}"
        where += f"/message/{message.index}"
    return where + _tail(fault)


def _tail(fault: Fault) -> str:
    tail = f"/segment/{fault.segment}" if fault.segment else ""
    if fault.element:
        tail += f"/element/{fault.element}"
    if fault.component:
        tail += f"/component/{fault.component}"
    return tail


def _contrl(
    read: Interchange,
    partner: EdifactPartner,
    references: ReferenceCounter | None,
    now: datetime,
) -> tuple[str, bytes]:
    reference: int | str = (
        references.next_reference(partner.name)
        if references is not None
        else ("C" + read.reference)[:14]
    )
    body = contrl_segments(read)
    settings = partner.settings
    try:
        raw = write_interchange(settings, reference, [("CONTRL", body)], now, acknowledgement=False)
    except PermanentDeliveryError:  # names the partner sent that our syntax level cannot hold
        utf8 = settings.model_copy(update={"syntax": "UNOW", "syntax_version": "4"})
        raw = write_interchange(utf8, reference, [("CONTRL", body)], now, acknowledgement=False)
    return f"CONTRL_{partner.name}_{reference}.edi", raw
