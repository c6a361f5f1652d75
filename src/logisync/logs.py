"""Logging for the long-running commands (process, deliver): one format, set in one place.

The core logs through the standard ``logging`` module; issue 8 swaps the rendering for
structlog JSON here without touching the core.
"""

from __future__ import annotations

import logging


def configure_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not one line per request
