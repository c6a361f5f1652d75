"""Control numbers through the store's ledger: a re-sent interchange journals nothing new, a
reused number with other content is refused, a gap is a notice, and our own numbers keep
counting after a restart."""

from __future__ import annotations

from pathlib import Path

from logisync.connectors.edi.receipt import MemoryControlLedger, StoreControlLedger
from logisync.connectors.x12 import receive_x12
from logisync.store.sqlite import SqliteStore

from .golden import ACME, AT, GOLDEN

GOOD = (GOLDEN / "in" / "850.x12").read_text()


def numbered(interchange: int, group: int) -> bytes:
    return (
        GOOD.replace("000000101", f"{interchange:09d}")
        .replace("*201*X*", f"*{group}*X*")
        .replace("GE*1*201", f"GE*1*{group}")
        .encode()
    )


def test_a_resent_interchange_maps_to_the_same_event_ids_even_after_a_restart(
    tmp_path: Path,
) -> None:
    """Mapped again, not skipped: the journal keeps its facts once by their ids, and a first
    attempt that the ledger recorded but the journal never stored (the store failed in
    between) is not lost when the file is read again."""
    store = SqliteStore(tmp_path / "hub.db")
    ledger = StoreControlLedger(store)
    first = receive_x12(numbered(101, 201), ACME, ledger, ledger, AT)
    assert len(first.events) == 1 and first.notices == []
    store.close()
    reopened = StoreControlLedger(SqliteStore(tmp_path / "hub.db"))
    again = receive_x12(numbered(101, 201), ACME, reopened, reopened, AT)
    assert [e["id"] for e in again.events] == [e["id"] for e in first.events]
    assert again.problems == [] and len(again.acknowledgements) == 1
    assert again.notices[0] == "acme re-sent interchange 101: its facts are journaled once"


def test_a_reused_number_with_other_content_is_refused_whole(tmp_path: Path) -> None:
    ledger = StoreControlLedger(SqliteStore(tmp_path / "hub.db"))
    receive_x12(numbered(101, 201), ACME, ledger, ledger, AT)
    other = receive_x12(numbered(101, 201).replace(b"PO-1001", b"PO-2002"), ACME, ledger)
    assert other.events == []
    [problem] = other.problems
    assert "already sent interchange 101 with other content" in problem.message


def test_gaps_in_interchange_and_group_numbers_are_notices_that_refuse_nothing(
    tmp_path: Path,
) -> None:
    ledger = StoreControlLedger(SqliteStore(tmp_path / "hub.db"))
    receive_x12(numbered(101, 201), ACME, ledger, ledger, AT)
    later = receive_x12(numbered(104, 205), ACME, ledger, ledger, AT)
    assert len(later.events) == 1
    assert later.notices == [
        "acme: interchange control numbers 102-103 were never received before 104",
        "acme: group control numbers 202-204 were never received before 205",
    ]


def test_our_997s_take_the_next_control_numbers_from_the_store(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    ledger = StoreControlLedger(store)
    names = [
        receive_x12(numbered(n, 200 + n), ACME, ledger, ledger, AT).acknowledgements[0][0]
        for n in (1, 2)
    ]
    store.close()
    reopened = StoreControlLedger(SqliteStore(tmp_path / "hub.db"))
    third = receive_x12(numbered(3, 203), ACME, reopened, reopened, AT).acknowledgements[0]
    assert [*names, third[0]] == [f"acme-00000000{n}.x12" for n in (1, 2, 3)]
    assert b"GS*FA*LOGISYNC*ACMEEDI*20260301*1200*3*X*004010~" in third[1]


def test_a_huge_gap_is_reported_by_its_first_thousand_numbers_at_once(tmp_path: Path) -> None:
    for ledger in (MemoryControlLedger(), StoreControlLedger(SqliteStore(tmp_path / "hub.db"))):
        ledger.check_and_record("acme", "x12", "interchange", 1, "a")
        check = ledger.check_and_record("acme", "x12", "interchange", 999_999_999, "b")
        assert check.missing == tuple(range(2, 1002))
