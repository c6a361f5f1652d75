"""Any bytes, and any mutation of a valid interchange, give problems or events: never an
exception, never a hang."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from logisync.connectors.edi import MemoryControlLedger
from logisync.connectors.edifact.envelope import read_interchange
from logisync.connectors.edifact.receive import receive_edifact

from .conftest import GOLDEN, partner

VALID = [path.read_bytes() for path in sorted(Path(GOLDEN).glob("*_in.edi"))]
SERVICE = b":+.,?' \x1c\x1d\x1f\r\nUNAUNBUNZUNHUNTUNGUNE0123456789"


def _receive(raw: bytes) -> None:
    receipt = receive_edifact(raw, partner(), MemoryControlLedger())
    if not receipt.events:
        assert receipt.problems or not read_interchange(raw).messages or receipt.notices
    for problem in receipt.problems:
        assert problem.location.startswith("/interchange/1") and problem.message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes(raw: bytes) -> None:
    _receive(raw)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(VALID),
    st.lists(
        st.tuples(st.integers(0, 2000), st.integers(0, 3), st.binary(max_size=3)
                  | st.sampled_from([bytes([c]) for c in SERVICE])),
        min_size=1,
        max_size=6,
    ),
)  # fmt: skip
def test_mutated_valid_interchanges(raw: bytes, edits: list[tuple[int, int, bytes]]) -> None:
    data = bytearray(raw)
    for offset, cut, insert in edits:
        at = offset % (len(data) + 1)
        data[at : at + cut] = insert
    _receive(bytes(data))
