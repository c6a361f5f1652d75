"""Shared pieces of the X12 tests: the partner, its mirror (for reading what we wrote), and
golden-file comparison (``LOGISYNC_UPDATE_GOLDEN=1`` rewrites the files after a deliberate
change; the diff then shows what changed)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from logisync.connectors.x12 import X12Partner

GOLDEN = Path(__file__).parents[2] / "golden" / "x12"
AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

ACME = X12Partner(name="acme", sender_id="LOGISYNC", receiver_id="ACMEEDI")
"""The partner as we see it: it sends from ACMEEDI to us, LOGISYNC."""

ACME_SEES_US = X12Partner(name="acme", sender_id="ACMEEDI", receiver_id="LOGISYNC")
"""The same partner from its side, to read back what we write to it."""


def matches_golden(path: Path, actual: bytes) -> bool:
    if os.environ.get("LOGISYNC_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
    return path.read_bytes() == actual
