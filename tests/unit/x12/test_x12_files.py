"""X12 through the watched folder: journaled, acknowledged into the outbox, moved; a re-sent
file journals nothing new; a control number reused for other content is refused whole."""

from __future__ import annotations

from pathlib import Path

from logisync.connectors.files import FolderSettings, WatchedFolder, handler_for
from logisync.store.sqlite import SqliteStore
from logisync.testing.file_drop import drop_renamed

from .golden import GOLDEN

ORDER = (GOLDEN / "in" / "850.x12").read_bytes()
SETTINGS = {"sender_id": "LOGISYNC", "receiver_id": "ACMEEDI", "processed": "x", "failed": "y"}


def watcher(tmp_path: Path, store: SqliteStore) -> WatchedFolder:
    folders = FolderSettings(
        inbox=tmp_path / "in",
        processed=tmp_path / "done",
        failed=tmp_path / "failed",
        outbox=tmp_path / "out",
        quiet_seconds=0,
    )
    handler = handler_for("x12")
    assert handler is not None
    return WatchedFolder("acme", "x12", folders, handler, store, settings=SETTINGS)


def test_an_order_file_is_journaled_acknowledged_and_moved_once(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    drop_renamed(tmp_path / "in", "order-1.x12", ORDER)
    [first] = watcher(tmp_path, store).scan_once()
    assert (first.status, first.journaled) == ("processed", 1), first.problems
    [ack] = (tmp_path / "out").iterdir()
    assert b"ST*997*" in ack.read_bytes() and b"AK9*A*" in ack.read_bytes()
    # the partner sends the same file again (it missed our 997): nothing new is journaled
    drop_renamed(tmp_path / "in", "order-1-again.x12", ORDER)
    [again] = watcher(tmp_path, store).scan_once()
    assert (again.status, again.journaled, again.already_known) == ("processed", 0, 1)
    assert any("re-sent interchange" in notice for notice in again.notices)
    assert store.counts().journal == 1


def test_a_reused_control_number_with_other_content_goes_to_failed_with_the_reason(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    drop_renamed(tmp_path / "in", "order-1.x12", ORDER)
    watcher(tmp_path, store).scan_once()
    drop_renamed(tmp_path / "in", "order-2.x12", ORDER.replace(b"PO-1001", b"PO-2002"))
    [refused] = watcher(tmp_path, store).scan_once()
    assert refused.status == "failed"
    reason = (tmp_path / "failed" / "order-2.x12.reason.txt").read_text()
    assert "already sent interchange" in reason and "with other content" in reason
    assert store.counts().journal == 1
