"""Run the installed ``logisync`` console script as an operator's shell would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

SCRIPT = Path(sys.executable).with_name("logisync")


def logisync(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOGISYNC_STORE": "", "COLUMNS": "160"}
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def logisync_json(*args: str) -> Any:
    """The command's ``--json`` document; fails the test if it exits non-zero."""
    done = logisync(*args, "--json")
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return json.loads(done.stdout)
