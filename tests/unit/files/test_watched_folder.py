"""The watched-folder transport: complete files only, journal then move, never lose a file."""

from __future__ import annotations

import errno
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from logisync.connectors.edi import EdiReceipt
from logisync.connectors.files import FileContext, FolderSettings, WatchedFolder
from logisync.connectors.files.flat_import import csv_handler
from logisync.connectors.files.placing import move_without_overwriting
from logisync.errors import Problem
from logisync.store.sqlite import SqliteStore
from logisync.testing.file_drop import age, drop_byte_by_byte, drop_renamed

MAPPING = {"import": {"event": "product.changed", "columns": {"SKU": "sku", "Name": "name"}}}
GOOD = b"SKU,Name\nP-1,Widget\nP-2,Gadget\n"


class Crash(BaseException):
    """The process dies here (nothing after it runs)."""


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    return SqliteStore(tmp_path / "hub.db")


def folders(tmp_path: Path, quiet: float = 0.0) -> FolderSettings:
    return FolderSettings(
        inbox=tmp_path / "in",
        processed=tmp_path / "done",
        failed=tmp_path / "failed",
        outbox=tmp_path / "out",
        quiet_seconds=quiet,
    )


def watcher(tmp_path: Path, store: SqliteStore, **options: Any) -> WatchedFolder:
    quiet = options.pop("quiet", 0.0)
    handler = options.pop("handler", csv_handler)
    return WatchedFolder(
        "wms", "csv", folders(tmp_path, quiet), handler, store, settings=MAPPING, **options
    )


def test_a_good_file_is_journaled_with_its_rows_as_raw_payload_then_moved(
    tmp_path: Path, store: SqliteStore
) -> None:
    drop_renamed(tmp_path / "in", "products.csv", GOOD)
    [outcome] = watcher(tmp_path, store).scan_once()
    assert (outcome.status, outcome.journaled) == ("processed", 2)
    assert outcome.moved_to == tmp_path / "done" / "products.csv"
    assert outcome.moved_to.read_bytes() == GOOD and not (tmp_path / "in/products.csv").exists()
    [event] = store.events_for("product:P-1")
    assert event.source == "wms" and event.data["name"] == "Widget"
    assert store.raw_payload(event.seq) == b"P-1,Widget\n"


def test_a_refused_file_goes_to_failed_with_its_reason_and_nothing_journaled(
    tmp_path: Path, store: SqliteStore
) -> None:
    drop_renamed(tmp_path / "in", "products.csv", b"SKU,Name\nP 1,Bad\nP-2,Good\n")
    [outcome] = watcher(tmp_path, store).scan_once()
    assert outcome.status == "failed" and store.counts().journal == 0
    reason = (tmp_path / "failed/products.csv.reason.txt").read_text()
    assert "1 of 2 rows are invalid" in reason
    assert "line 2, column 'SKU'" in reason and "'P 1'" in reason
    report = (tmp_path / "failed/products.csv.rejected.csv").read_text()
    assert report.startswith("line,column,value,reason\n2,SKU,P 1,")


def test_files_still_being_written_are_left_alone(tmp_path: Path, store: SqliteStore) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "products.csv.part").write_bytes(GOOD)
    (inbox / ".hidden.csv").write_bytes(GOOD)
    folder = watcher(tmp_path, store, quiet=30.0)
    seen: list[int] = []

    def scan(written: bytes) -> None:
        seen.append(len(folder.scan_once()))

    path = drop_byte_by_byte(inbox, "slow.csv", GOOD, scan)
    assert seen == [0] * len(GOOD)  # never read while it was changing
    assert folder.scan_once() == []  # written just now: not yet quiet
    age(path, 31)
    [outcome] = folder.scan_once()
    assert outcome.name == "slow.csv" and outcome.journaled == 2
    assert (inbox / "products.csv.part").exists() and (inbox / ".hidden.csv").exists()


def test_a_crash_between_journal_and_move_journals_nothing_new_on_the_next_run(
    tmp_path: Path, store: SqliteStore
) -> None:
    drop_renamed(tmp_path / "in", "products.csv", GOOD)

    def die(source: Path, folder: Path) -> Path:
        raise Crash

    with pytest.raises(Crash):
        watcher(tmp_path, store, move=die).scan_once()
    assert store.counts().journal == 2 and (tmp_path / "in/products.csv").exists()
    [outcome] = watcher(tmp_path, store).scan_once()
    assert (outcome.status, outcome.journaled, outcome.already_known) == ("processed", 0, 2)
    assert store.counts().journal == 2


def test_a_name_taken_in_processed_gets_a_suffix_never_an_overwrite(
    tmp_path: Path, store: SqliteStore
) -> None:
    folder = watcher(tmp_path, store)
    drop_renamed(tmp_path / "in", "products.csv", GOOD)
    folder.scan_once()
    changed = b"SKU,Name\nP-1,Renamed\n"
    drop_renamed(tmp_path / "in", "products.csv", changed)
    [second] = folder.scan_once()
    assert second.moved_to == tmp_path / "done" / "products.1.csv"
    assert (tmp_path / "done/products.csv").read_bytes() == GOOD
    assert second.moved_to.read_bytes() == changed
    drop_renamed(tmp_path / "in", "products.csv", GOOD)  # the first file sent again
    [third] = folder.scan_once()
    assert third.journaled == 0 and third.already_known == 2
    assert third.moved_to == tmp_path / "done" / "products.2.csv"


def acknowledging(name: str, raw: bytes, context: FileContext) -> EdiReceipt:
    event = {
        "id": f"ack-test-{len(raw)}",
        "type": "product.changed",
        "data": {"sku": "ACK-1", "name": raw.decode().strip()},
    }
    return EdiReceipt(events=[event], acknowledgements=[(f"{name}.ack", b"OK " + raw)])


def test_a_full_disk_on_the_outbox_leaves_the_file_in_the_inbox_with_the_error(
    tmp_path: Path, store: SqliteStore
) -> None:
    drop_renamed(tmp_path / "in", "order.edi", b"hello\n")

    def full(path: Path, content: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    [outcome] = watcher(tmp_path, store, handler=acknowledging, write_reply=full).scan_once()
    assert outcome.status == "kept" and (tmp_path / "in/order.edi").exists()
    assert "No space left on device" in (outcome.error or "")
    assert str(tmp_path / "out/order.edi.ack") in (outcome.error or "")
    [retry] = watcher(tmp_path, store, handler=acknowledging).scan_once()
    assert (retry.status, retry.journaled, retry.already_known) == ("processed", 0, 1)
    assert (tmp_path / "out/order.edi.ack").read_bytes() == b"OK hello\n"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["order.edi.ack"]  # no temp left


def test_a_handler_that_crashes_or_yields_invalid_drafts_fails_the_file(
    tmp_path: Path, store: SqliteStore
) -> None:
    def broken(name: str, raw: bytes, context: FileContext) -> EdiReceipt:
        raise RuntimeError("segment 7 confused me")

    def invalid(name: str, raw: bytes, context: FileContext) -> EdiReceipt:
        return EdiReceipt(events=[{"id": "x", "type": "product.changed", "data": {}}])

    drop_renamed(tmp_path / "in", "a.edi", b"one")
    [crashed] = watcher(tmp_path, store, handler=broken).scan_once()
    assert crashed.status == "failed"
    assert "segment 7 confused me" in (tmp_path / "failed/a.edi.reason.txt").read_text()
    drop_renamed(tmp_path / "in", "b.edi", b"two")
    [refused] = watcher(tmp_path, store, handler=invalid).scan_once()
    assert refused.status == "failed" and store.counts().journal == 0
    assert "event 1/" in (tmp_path / "failed/b.edi.reason.txt").read_text()


def test_problems_from_a_handler_are_the_reason(tmp_path: Path, store: SqliteStore) -> None:
    def located(name: str, raw: bytes, context: FileContext) -> EdiReceipt:
        where = "/interchange/1/group/1/message/1/segment/4"
        return EdiReceipt(problems=[Problem(where, "BEG03 is empty: the order has no number")])

    drop_renamed(tmp_path / "in", "po.x12", b"ISA...")
    watcher(tmp_path, store, handler=located).scan_once()
    reason = (tmp_path / "failed/po.x12.reason.txt").read_text()
    assert (
        reason
        == "/interchange/1/group/1/message/1/segment/4: BEG03 is empty: the order has no number\n"
    )


def test_moving_claims_a_free_name_even_when_a_reason_file_holds_it(tmp_path: Path) -> None:
    target = tmp_path / "failed"
    target.mkdir()
    (target / "x.csv.reason.txt").write_text("an earlier x.csv, moved away by hand")
    source = tmp_path / "x.csv"
    source.write_bytes(b"data")
    assert move_without_overwriting(source, target) == target / "x.1.csv"


def test_the_file_time_is_the_time_of_facts_without_their_own(
    tmp_path: Path, store: SqliteStore
) -> None:
    path = drop_renamed(tmp_path / "in", "products.csv", GOOD)
    age(path, 3600)
    watcher(tmp_path, store).scan_once()
    [event] = store.events_for("product:P-2")
    written = datetime.fromisoformat(event.time)
    assert abs((datetime.now(UTC) - written).total_seconds() - 3600) < 60


def test_rows_rejected_under_the_threshold_are_reported_beside_the_processed_file(
    tmp_path: Path, store: SqliteStore
) -> None:
    settings = {"import": {**MAPPING["import"], "max_invalid_ratio": 0.5}}
    folder = WatchedFolder("wms", "csv", folders(tmp_path), csv_handler, store, settings=settings)
    drop_renamed(tmp_path / "in", "products.csv", b"SKU,Name\nP-1,Widget\nP:2,Bad\n")
    [outcome] = folder.scan_once()
    assert (outcome.status, outcome.journaled) == ("processed", 1)
    assert outcome.reports == [tmp_path / "done/products.csv.rejected.csv"]
    assert "3,SKU,P:2," in outcome.reports[0].read_text()
    assert any("line 3, column 'SKU'" in notice for notice in outcome.notices)


def test_a_file_another_hub_took_meanwhile_is_reported_not_a_crash(
    tmp_path: Path, store: SqliteStore
) -> None:
    def taken(source: Path, folder: Path) -> Path:
        source.unlink()  # the other hub moved it first
        return move_without_overwriting(source, folder)

    drop_renamed(tmp_path / "in", "products.csv", GOOD)
    [outcome] = watcher(tmp_path, store, move=taken).scan_once()
    assert outcome.status == "kept" and "No such file" in (outcome.error or "")
    assert store.counts().journal == 2  # journaled once, whichever hub moves it


def test_the_copy_across_file_systems_claims_its_name_too(tmp_path: Path) -> None:
    def no_links(source: Path, target: Path) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    folder = tmp_path / "done"
    folder.mkdir()
    (folder / "x.csv").write_bytes(b"first")
    source = tmp_path / "x.csv"
    source.write_bytes(b"second")
    moved = move_without_overwriting(source, folder, link=no_links)
    assert moved == folder / "x.1.csv" and moved.read_bytes() == b"second"
    assert (folder / "x.csv").read_bytes() == b"first" and not source.exists()
