"""Whatever bytes arrive, receiving them ends in problems or events, never an exception or a
hang; and every event it yields is a valid canonical event."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from logisync.connectors.edi.receipt import MemoryControlLedger, MemoryControlNumbers
from logisync.connectors.x12 import receive_x12
from logisync.model import parse_event

from .golden import ACME, AT, GOLDEN

VALID = [p.read_bytes() for p in sorted((GOLDEN / "in").glob("*.x12"))]
X12_BYTES = st.sampled_from(list(b"*~>^|:\n\r0123456789ISAGESTEIAN ")) | st.integers(0, 255)


def receive_checked(raw: bytes) -> None:
    receipt = receive_x12(raw, ACME, MemoryControlLedger(), MemoryControlNumbers(), AT)
    for event in receipt.events:
        parse_event(event)
    for problem in receipt.problems:
        assert problem.message


@settings(max_examples=300, deadline=1000)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_problems_not_exceptions(raw: bytes) -> None:
    receive_checked(raw)


@settings(max_examples=200, deadline=1000)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_after_a_valid_header_give_problems_not_exceptions(tail: bytes) -> None:
    receive_checked(VALID[0][:106] + tail)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "cut", "repeat"]))
        if action == "replace" and at < len(data):
            data[at] = draw(X12_BYTES)
        elif action == "insert":
            data[at:at] = bytes([draw(X12_BYTES)])
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif action == "cut":
            del data[at:]
        elif action == "repeat":
            end = data.find(b"~", at)
            data[at:at] = data[at : end + 1] if end >= 0 else b""
    return bytes(data)


@settings(max_examples=400, deadline=1000)
@given(mutated())
def test_mutated_valid_interchanges_give_problems_not_exceptions(raw: bytes) -> None:
    receive_checked(raw)


def test_a_control_number_with_a_superscript_digit_is_a_problem_not_a_crash() -> None:
    # Found by the fuzz test above: '²' (0xB2) passes str.isdigit() but not int().
    raw = VALID[0]
    control = raw[90:99]
    assert control.isdigit(), control  # ISA13, fixed width
    broken = raw[:90] + b"\xb2" + raw[91:]
    receipt = receive_x12(broken, ACME, MemoryControlLedger(), MemoryControlNumbers(), AT)
    assert receipt.problems and not receipt.events
