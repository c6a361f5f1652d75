"""A hub killed (SIGKILL) after journaling a file and before moving it loses nothing and,
run again, journals nothing twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from logisync.store.sqlite import SqliteStore
from logisync.testing.file_drop import drop_renamed

# The child runs the real transport; its mover announces the moment and waits to be killed.
CHILD = """
import sys, time
from pathlib import Path
from logisync.config import load_config
from logisync.connectors.files import WatchedFolder, folder_settings, handler_for
from logisync.store import open_store

config = load_config(Path(sys.argv[1]))
system = config.systems["wms"]

def stuck(source, folder):
    Path(sys.argv[2]).write_text("journaled")
    time.sleep(60)

folder = WatchedFolder("wms", "csv", folder_settings(system), handler_for("csv"),
                       open_store(config.store), settings=system.settings, move=stuck)
folder.scan_once()
"""


def test_sigkill_between_journal_and_move(tmp_path: Path) -> None:
    hub = tmp_path / "hub.yaml"
    hub.write_text(
        f"store: sqlite:///{tmp_path / 'hub.db'}\n"
        "systems:\n"
        "  wms:\n"
        "    kind: csv\n"
        f"    inbox: {tmp_path / 'in'}\n"
        f"    processed: {tmp_path / 'done'}\n"
        f"    failed: {tmp_path / 'failed'}\n"
        "    quiet_seconds: 0\n"
        "    import: {event: partner.changed, columns: {Code: ref, Name: name}}\n"
        "ownership: {}\nflows: []\n"
    )
    drop_renamed(tmp_path / "in", "partners.csv", b"Code,Name\nACME,Acme\nBETA,Beta\n")
    marker = tmp_path / "marker"
    env = {**os.environ, "LOGISYNC_STORE": ""}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(hub), str(marker)], env=env)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert child.poll() is None, "the child ended before reaching the move"
            assert time.monotonic() < deadline, "the child never reached the move"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert (tmp_path / "in" / "partners.csv").exists()
    assert SqliteStore(tmp_path / "hub.db").counts().journal == 2
    rerun = subprocess.run(
        [sys.executable, "-m", "logisync", "watch", str(hub), "--once"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "partners.csv: processed" in rerun.stdout
    assert "journaled 0, already known 2" in rerun.stdout
    assert SqliteStore(tmp_path / "hub.db").counts().journal == 2
    assert (tmp_path / "done" / "partners.csv").exists()
