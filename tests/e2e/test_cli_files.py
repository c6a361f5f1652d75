"""``logisync import`` and ``logisync watch --once`` as an operator (or cron) runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from logisync.store.sqlite import SqliteStore
from logisync.testing.file_drop import drop_renamed

GOOD = b"\xef\xbb\xbfSKU;Name;Weight\r\nP-1;Widget;1,5\r\nP-2;Gadget;2\r\n"
BAD = b"SKU;Name;Weight\r\nP-3;Thing;heavy\r\n"


def config(tmp_path: Path) -> Path:
    path = tmp_path / "hub.yaml"
    path.write_text(
        f"store: sqlite:///{tmp_path / 'hub.db'}\n"
        "systems:\n"
        "  wms:\n"
        "    kind: csv\n"
        f"    inbox: {tmp_path / 'in'}\n"
        f"    processed: {tmp_path / 'done'}\n"
        f"    failed: {tmp_path / 'failed'}\n"
        "    quiet_seconds: 0\n"
        "    import:\n"
        "      event: product.changed\n"
        "      delimiter: ';'\n"
        "      decimal_separator: ','\n"
        "      columns: {SKU: sku, Name: name, Weight: weight.value}\n"
        "      constants: {weight.unit: KGM}\n"
        "ownership: {}\n"
        "flows: []\n"
    )
    return path


def logisync(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOGISYNC_STORE": ""}
    return subprocess.run(
        [sys.executable, "-m", "logisync", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def test_import_one_file_prints_the_report_and_exits_by_the_outcome(tmp_path: Path) -> None:
    hub = config(tmp_path)
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(GOOD)
    bad.write_bytes(BAD)
    done = logisync("import", str(hub), str(good), "--system", "wms")
    assert done.returncode == 0, done.stderr
    assert "good.csv: processed; journaled 2, already known 0" in done.stdout
    again = logisync("import", str(hub), str(good), "--system", "wms")
    assert "journaled 0, already known 2" in again.stdout and good.exists()
    refused = logisync("import", str(hub), str(bad), "--system", "wms")
    assert refused.returncode == 1
    assert "bad.csv, line 2, column 'Weight': value 'heavy': not a number" in refused.stderr
    unknown = logisync("import", str(hub), str(good), "--system", "erp")
    assert unknown.returncode == 3 and "'erp' is not a configured system" in unknown.stderr
    [event] = SqliteStore(tmp_path / "hub.db").events_for("product:P-1")
    assert event.data["weight"] == {"value": "1.5", "unit": "KGM"}


def test_watch_once_moves_files_out_and_a_rerun_finds_nothing(tmp_path: Path) -> None:
    hub = config(tmp_path)
    drop_renamed(tmp_path / "in", "a.csv", GOOD)
    drop_renamed(tmp_path / "in", "b.csv", BAD)
    (tmp_path / "in" / "c.csv.part").write_bytes(GOOD)
    run = logisync("watch", str(hub), "--once")
    assert run.returncode == 0, run.stderr
    assert f"wms: a.csv: processed -> {tmp_path / 'done' / 'a.csv'}" in run.stdout
    assert "wms: b.csv: failed" in run.stdout
    assert "not a number" in (tmp_path / "failed" / "b.csv.reason.txt").read_text()
    assert (tmp_path / "failed" / "b.csv.rejected.csv").exists()
    assert sorted(p.name for p in (tmp_path / "in").iterdir()) == ["c.csv.part"]
    rerun = logisync("watch", str(hub), "--once")
    assert rerun.returncode == 0 and rerun.stdout == ""
    assert SqliteStore(tmp_path / "hub.db").counts().journal == 2
