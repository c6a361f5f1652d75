"""Receiving an X12 interchange: envelopes checked, control numbers in the ledger, each set
mapped to canonical event drafts, and a 997 for every group.

A duplicate interchange (a control number the ledger already holds) is reported and maps
nothing, so a re-sent file journals nothing new; a gap is reported and refuses nothing. A set
whose envelope or content is wrong yields no events and is rejected in the 997, while the
other sets of its group go through. Event ids come from the partner's control numbers and the
event's place in the set, so the same interchange always yields the same ids.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from logisync.connectors.edi.receipt import (
    ControlLedger,
    EdiReceipt,
    MemoryControlNumbers,
    OutboundControlNumbers,
)
from logisync.connectors.x12.acknowledgement import read_997, write_997
from logisync.connectors.x12.carrier_status import read_214
from logisync.connectors.x12.envelope import (
    SET_NOT_SUPPORTED,
    FunctionalGroup,
    Interchange,
    SegmentFinding,
    TransactionSet,
    parse_interchanges,
)
from logisync.connectors.x12.invoice import read_810
from logisync.connectors.x12.outbound import write_x12
from logisync.connectors.x12.purchase_order import read_850
from logisync.connectors.x12.reading import Mapped, SetContext, SetReader, zone_named
from logisync.connectors.x12.settings import X12Partner
from logisync.connectors.x12.ship_notice import read_856
from logisync.connectors.x12.warehouse import read_940, read_945
from logisync.errors import InvalidEvent, PermanentDeliveryError, Problem
from logisync.model import new_event
from logisync.model.identifiers import is_ascii_digits

MAPPINGS: dict[str, Callable[[SetReader, SetContext], Mapped]] = {
    "850": read_850,
    "856": read_856,
    "940": read_940,
    "945": read_945,
    "214": read_214,
    "810": read_810,
}


def receive_x12(
    raw: bytes,
    partner: X12Partner,
    ledger: ControlLedger,
    numbers: OutboundControlNumbers | None = None,
    now: datetime | None = None,
) -> EdiReceipt:
    """Everything ``raw`` says, as events, problems, 997s to send back and notices.
    ``numbers`` gives the 997s our control numbers; ``now`` dates them."""
    receipt = EdiReceipt()
    numbers = numbers or MemoryControlNumbers()
    interchanges, problems = parse_interchanges(raw)
    receipt.problems.extend(problems)
    for interchange in interchanges:
        receipt.problems.extend(interchange.problems)
        if interchange.trailer is None or not _addressed_to_us(interchange, partner, receipt):
            continue
        if not _first_time(interchange, partner, ledger, receipt):
            continue
        acknowledged = []
        for group in interchange.groups:
            _receive_group(interchange, group, partner, ledger, receipt)
            if group.functional_id != "FA":
                acknowledged.append(write_997(group))
        if acknowledged:
            try:
                receipt.acknowledgements.append(write_x12(acknowledged, partner, numbers, now))
            except PermanentDeliveryError as failure:
                where = f"/interchange/{interchange.index}"
                receipt.problems.append(Problem(where, f"no 997 could be written: {failure}"))
    return receipt


def _addressed_to_us(interchange: Interchange, partner: X12Partner, receipt: EdiReceipt) -> bool:
    if interchange.receiver == partner.sender_id and interchange.sender == partner.receiver_id:
        return True
    receipt.problems.append(
        Problem(
            f"/interchange/{interchange.index}",
            f"segment 1 (ISA), elements 06/08: from {interchange.sender!r} to "
            f"{interchange.receiver!r}, but {partner.name} sends from "
            f"{partner.receiver_id!r} to us, {partner.sender_id!r}",
        )
    )
    return False


def _first_time(
    interchange: Interchange, partner: X12Partner, ledger: ControlLedger, receipt: EdiReceipt
) -> bool:
    if not is_ascii_digits(interchange.control):
        return False
    number = int(interchange.control)
    check = ledger.check_and_record(partner.name, "x12", "interchange", number, interchange.digest)
    if check.status == "duplicate" and check.first_digest != interchange.digest:
        # the partner reused a number for other content (a counter reset?): its facts would
        # get the first interchange's event ids and be dropped as repeats, so refuse it whole
        receipt.problems.append(
            Problem(
                f"/interchange/{interchange.index}",
                f"segment 1 (ISA), element 13: {partner.name} already sent interchange "
                f"{number} with other content; ask for it again under a new control number",
            )
        )
        return False
    if check.status == "duplicate":
        # mapped again on purpose: the events carry the same ids, so the journal keeps them
        # once, and a first attempt that was recorded here but never journaled is not lost
        receipt.notices.append(
            f"{partner.name} re-sent interchange {number}: its facts are journaled once"
        )
        return True
    if check.missing:
        receipt.notices.append(
            f"{partner.name}: interchange control numbers {_span(check.missing)} were never "
            f"received before {number}"
        )
    return True


def _receive_group(
    interchange: Interchange,
    group: FunctionalGroup,
    partner: X12Partner,
    ledger: ControlLedger,
    receipt: EdiReceipt,
) -> None:
    where = f"/interchange/{interchange.index}/group/{group.index}"
    receipt.problems.extend(group.problems)
    if is_ascii_digits(group.control):
        digest = f"{interchange.digest}:{group.index}"
        check = ledger.check_and_record(partner.name, "x12", "group", int(group.control), digest)
        if check.status == "duplicate":
            receipt.notices.append(
                f"{partner.name} re-sent group {group.control} in interchange {interchange.control}"
            )
        elif check.missing:
            receipt.notices.append(
                f"{partner.name}: group control numbers {_span(check.missing)} were never "
                f"received before {group.control}"
            )
    zone = zone_named(partner.timezone)
    context = (
        None  # GS04/GS05 are no date and time (the envelope said so): no set is read
        if group.prepared is None
        else SetContext(partner.name, group.prepared.replace(tzinfo=zone), zone, partner.currency)
    )
    for tx in group.sets:
        receipt.problems.extend(tx.problems)
        if context is not None and not tx.rejections:
            reader = SetReader(tx, interchange.separators, f"{where}/message/{tx.index}")
            receipt.events.extend(_receive_set(reader, interchange, group, context, receipt))


def _receive_set(
    reader: SetReader,
    interchange: Interchange,
    group: FunctionalGroup,
    context: SetContext,
    receipt: EdiReceipt,
) -> list[dict[str, Any]]:
    """The events of one set whose envelope is sound; none when anything in it is wrong
    (the findings then reject it in the 997)."""
    tx = reader.tx
    if tx.code == "997":
        _acknowledged(reader, context.partner, receipt)
        events: list[dict[str, Any]] = []
    elif tx.code in MAPPINGS:
        mapped = MAPPINGS[tx.code](reader, context)
        events = [] if reader.findings else _events(mapped, interchange, group, tx, context, reader)
    else:
        tx.rejections.append(SET_NOT_SUPPORTED)
        said = f"{tx.header.where(1)}: transaction set {tx.code!r} is not one we read"
        receipt.problems.append(Problem(reader.where, said))
        return []
    tx.findings.extend(reader.findings)
    receipt.problems.extend(f.problem for f in reader.findings)
    return [] if tx.findings else events


def _events(
    mapped: Mapped,
    interchange: Interchange,
    group: FunctionalGroup,
    tx: TransactionSet,
    context: SetContext,
    reader: SetReader,
) -> list[dict[str, Any]]:
    events = []
    for index, (type_, payload) in enumerate(mapped):
        event_id = f"x12:{interchange.control}:{group.control}:{tx.control}:{index}"
        try:
            # a status happened when the carrier says; other facts when the partner wrote them
            at = payload.get("occurred_at") or context.at
            event = new_event(type_, payload, source=context.partner, id=event_id, time=at)
        except InvalidEvent as invalid:
            # The model refused a value the segments held (an SSCC with a wrong check digit):
            # the set is rejected (AK5 code 5) with the model's own words for what is wrong.
            for problem in invalid.problems:
                message = f"{tx.header.where()}: {type_}{problem.location}: {problem.message}"
                reader.findings.append(SegmentFinding(Problem(reader.where, message), "ST", 1, "8"))
            continue
        events.append(event.model_dump(mode="json", exclude_none=True))
    return events


def _acknowledged(reader: SetReader, partner: str, receipt: EdiReceipt) -> None:
    verdict = read_997(reader)
    if verdict is None:
        return
    said = {"A": "accepted", "E": "accepted with errors", "P": "partly accepted", "R": "rejected"}
    receipt.notices.append(
        f"{partner} {said.get(verdict.status, verdict.status)} our group "
        f"{verdict.group_control} ({verdict.functional_id})"
        + (f"; rejected sets {', '.join(verdict.rejected_sets)}" if verdict.rejected_sets else "")
    )


def _span(numbers: tuple[int, ...]) -> str:
    if len(numbers) == 1:
        return str(numbers[0])
    return (
        f"{numbers[0]}-{numbers[-1]}"
        if numbers[-1] - numbers[0] + 1 == len(numbers)
        else ", ".join(map(str, numbers))
    )
