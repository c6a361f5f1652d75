"""An EDI file the hub partly refuses is answered: the partner gets its 997 (which sets were
accepted, which not), the accepted sets are journaled, the file goes to failed/ with why."""

from __future__ import annotations

from pathlib import Path

from logisync.connectors.files import FolderSettings, WatchedFolder
from logisync.connectors.x12.files import read_x12_file
from logisync.store.sqlite import SqliteStore
from logisync.testing.file_drop import drop_renamed

GOLDEN = Path(__file__).parents[2] / "golden" / "x12" / "in" / "850.x12"
PARTNER = {"sender_id": "LOGISYNC", "receiver_id": "ACMEEDI"}


def two_orders(second_number: str) -> bytes:
    """The golden 850 interchange with a second order in its group."""
    text = GOLDEN.read_text()
    first = text[text.index("ST*850*0001~") : text.index("GE*")]
    second = first.replace("ST*850*0001~", "ST*850*0002~").replace("SE*13*0001~", "SE*13*0002~")
    second = second.replace("BEG*00*SA*PO-1001*", f"BEG*00*SA*{second_number}*")
    return text.replace(first, first + second).replace("GE*1*201~", "GE*2*201~").encode()


def scan(tmp_path: Path, store: SqliteStore, raw: bytes) -> tuple[object, Path]:
    drop_renamed(tmp_path / "in", "po.x12", raw)
    folders = FolderSettings(
        inbox=tmp_path / "in",
        processed=tmp_path / "done",
        failed=tmp_path / "failed",
        outbox=tmp_path / "out",
        quiet_seconds=0,
    )
    watcher = WatchedFolder("acme", "x12", folders, read_x12_file, store, settings=PARTNER)
    [outcome] = watcher.scan_once()
    return outcome, tmp_path / "out"


def test_a_rejected_set_is_answered_and_the_accepted_one_journaled(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    outcome, outbox = scan(tmp_path, store, two_orders(second_number=""))
    assert outcome.status == "failed"  # type: ignore[attr-defined]
    assert [e.subject for e in store.events_for("sales_order:PO-1001")] == ["sales_order:PO-1001"]
    [answer] = list(outbox.iterdir())
    sent = answer.read_bytes()
    assert b"AK2*850*0001~AK5*A~" in sent.replace(b"\n", b"")
    assert b"AK2*850*0002~" in sent and b"AK9*P*2*2*1~" in sent
    reason = (tmp_path / "failed/po.x12.reason.txt").read_text()
    assert "message/2/segment/17: segment 17 (BEG), element 03: is empty" in reason
    assert "are journaled (1 events new, 0 known already) and the acknowledgement" in reason


def test_an_interchange_whose_group_is_refused_is_answered_with_a_rejection(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    raw = GOLDEN.read_bytes().replace(b"*20260301*1200*201*", b"*20261317*1200*201*")
    outcome, outbox = scan(tmp_path, store, raw)
    assert outcome.status == "failed" and store.counts().journal == 0  # type: ignore[attr-defined]
    [answer] = list(outbox.iterdir())
    assert b"AK9*R*1*1*0" in answer.read_bytes()
    assert "is not a date" in (tmp_path / "failed/po.x12.reason.txt").read_text()
