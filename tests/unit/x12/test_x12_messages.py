"""Details of the mappings that the golden files do not show on their own."""

from __future__ import annotations

from logisync.connectors.edi.receipt import MemoryControlLedger
from logisync.connectors.x12 import X12Partner, receive_x12

from .golden import ACME, GOLDEN

STATUS = (GOLDEN / "in" / "214.x12").read_text()
NOTICE = (GOLDEN / "in" / "856.x12").read_text()


def test_local_times_follow_the_partners_zone_and_daylight_codes_their_fixed_offset() -> None:
    chicago = X12Partner(
        name="acme", sender_id="LOGISYNC", receiver_id="ACMEEDI", timezone="America/Chicago"
    )
    raw = STATUS.replace("20260304*1200*LT", "20260704*1200*LT").replace(
        "20260303*1015*ET", "20260303*1015*ED"
    )
    receipt = receive_x12(raw.encode(), chicago, MemoryControlLedger())
    times = {e["data"]["carrier_code"]: e["data"]["occurred_at"] for e in receipt.events}
    assert times["ZZ"] == "2026-07-04T17:00:00Z"  # CDT in July
    assert times["AH/A1"] == "2026-03-03T14:15:00Z"  # eastern daylight, whatever the date
    assert receipt.events[3]["time"] == "2026-07-04T17:00:00Z"


def test_a_reason_does_not_undo_a_final_status_and_an_unknown_reason_is_kept() -> None:
    raw = STATUS.replace("AT7*D1*NS", "AT7*D1*A2").replace("AT7*AF*NS", "AT7*AF*Q7")
    events = receive_x12(raw.encode(), ACME, MemoryControlLedger()).events
    assert [e["data"]["milestone"] for e in events][:3] == [
        "picked_up",
        "delivery_attempted",
        "delivered",
    ]
    assert events[0]["data"]["carrier_text"] == "departed pick-up location (reason Q7)"
    assert events[2]["data"]["carrier_code"] == "D1/A2"


def test_an_unknown_time_code_is_a_located_problem() -> None:
    raw = STATUS.replace("20260303*1015*ET", "20260303*1015*QQ")
    receipt = receive_x12(raw.encode(), ACME, MemoryControlLedger())
    assert receipt.events == []
    assert [p.message for p in receipt.problems] == [
        "segment 9 (AT7), element 07: 'QQ' is not a time code we know (LT, UT, ET...)"
    ]


def test_a_value_the_model_refuses_rejects_the_set_in_the_models_words() -> None:
    raw = NOTICE.replace("MAN*GM*106141411234567897", "MAN*GM*106141411234567890")
    receipt = receive_x12(raw.encode(), ACME, MemoryControlLedger())
    assert receipt.events == []
    [problem] = receipt.problems
    assert problem.location == "/interchange/1/group/1/message/1"
    assert problem.message.startswith("segment 3 (ST): shipment.dispatched/data/packages/0/sscc:")


def test_a_status_time_that_leaves_the_calendar_in_utc_is_a_problem_of_its_at7() -> None:
    """The model refused it already, but at the ST and as the event's ``time``: with four
    AT7s in the set, the partner could not tell which one was wrong."""
    chicago = X12Partner(
        name="acme", sender_id="LOGISYNC", receiver_id="ACMEEDI", timezone="America/Chicago"
    )
    raw = STATUS.replace("20260304*1200*LT", "99991231*2359*LT")
    receipt = receive_x12(raw.encode(), chicago, MemoryControlLedger())
    assert receipt.events == []
    [problem] = receipt.problems
    assert problem.location == "/interchange/1/group/1/message/1/segment/14"
    assert problem.message == (
        "segment 14 (AT7), element 05: time 9999-12-31T23:59:00-06:00 falls outside the years "
        "1 to 9999 in UTC"
    )


def test_a_status_time_too_short_to_be_hhmm_is_refused_not_padded() -> None:
    """``0930`` is a time; ``93`` was read as 09:30 and ``930`` as an error or a guess."""
    raw = STATUS.replace("20260303*1015*ET", "20260303*93*ET")
    receipt = receive_x12(raw.encode(), ACME, MemoryControlLedger())
    assert receipt.events == []
    assert [p.message for p in receipt.problems] == [
        "segment 9 (AT7), element 06: '93' is not a time (HHMM, HHMMSS, HHMMSSD or HHMMSSDD)"
    ]


def test_a_status_date_with_a_blank_in_it_is_refused() -> None:
    raw = STATUS.replace("20260303*1015*ET", "202603 3*1015*ET")
    receipt = receive_x12(raw.encode(), ACME, MemoryControlLedger())
    assert receipt.events == []
    assert [p.message for p in receipt.problems] == [
        "segment 9 (AT7), element 05: '202603 3' is not a date (CCYYMMDD or YYMMDD)"
    ]
