"""EDIFACT through the watched folder with the store's ledger: journaled, CONTRL into the
outbox, moved; a re-sent file journals nothing new; a reference reused for other content is
refused whole; the target numbers its interchanges from the store."""

from __future__ import annotations

from pathlib import Path

from logisync.config import SystemConfig
from logisync.connectors.files import FolderSettings, WatchedFolder, handler_for
from logisync.connectors.registry import target_connector
from logisync.core.delivery.connector import DeliveryItem
from logisync.core.records import DeliveryRecord
from logisync.store.sqlite import SqliteStore
from logisync.testing.file_drop import drop_renamed

from .conftest import GOLDEN, THEM, US

ORDER = (GOLDEN / "orders_in.edi").read_bytes()
SETTINGS = {"sender_id": US, "receiver_id": THEM, "processed": "x", "failed": "y"}


def watcher(tmp_path: Path, store: SqliteStore) -> WatchedFolder:
    folders = FolderSettings(
        inbox=tmp_path / "in",
        processed=tmp_path / "done",
        failed=tmp_path / "failed",
        outbox=tmp_path / "out",
        quiet_seconds=0,
    )
    handler = handler_for("edifact")
    assert handler is not None
    return WatchedFolder("retailer", "edifact", folders, handler, store, settings=SETTINGS)


def test_an_orders_file_is_journaled_acknowledged_and_moved_once(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    drop_renamed(tmp_path / "in", "orders-1.edi", ORDER)
    [first] = watcher(tmp_path, store).scan_once()
    assert (first.status, first.journaled) == ("processed", 1), first.problems
    [ack] = (tmp_path / "out").iterdir()
    assert b"UNH+1+CONTRL:D:3:UN'UCI+17+" in ack.read_bytes()
    drop_renamed(tmp_path / "in", "orders-1-again.edi", ORDER)
    [again] = watcher(tmp_path, store).scan_once()
    assert (again.status, again.journaled) == ("processed", 0)
    assert store.counts().journal == 1
    drop_renamed(tmp_path / "in", "orders-2.edi", ORDER.replace(b"PO-4711", b"PO-9999"))
    [refused] = watcher(tmp_path, store).scan_once()
    assert refused.status == "failed"
    assert store.counts().journal == 1


def test_the_target_numbers_interchanges_from_the_store(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    system = SystemConfig.model_validate(
        {"kind": "edifact", "sender_id": US, "receiver_id": THEM, "outbox": str(tmp_path)}
    )
    payload = {"type": "invoice.created", "data": {"number": "I-1"}}
    record = DeliveryRecord(
        1, "retailer", "f", "event", 0, "invoice:I-1", 1, 1, "e", "d", 0, "", "", 0
    )
    for key in ("a", "b"):
        target = target_connector(system, "retailer", store)  # a new process each time
        assert target is not None
        [result] = target.deliver([DeliveryItem(record, key, payload)])
        assert result.kind == "delivered", result.error
    references = sorted(
        f.read_bytes().split(b"'")[1].split(b"+")[5] for f in tmp_path.glob("*.edi")
    )
    assert references == [b"1", b"2"]
