"""Logging for the long-running commands (serve, process, deliver): one format, set in one place.

The core logs through the standard ``logging`` module; issue 8 swaps the rendering for
structlog JSON here without touching the core.

Personal data never reaches a log. Log calls name events by id, journal seq and entity key,
never by payload values. What is left is exception text: an exception's message may quote a
value it choked on (pydantic's ``input_value=...``, a ``KeyError`` of a value), so every
traceback is rendered with the exception's type and frames but without its message. The
server's own loggers (uvicorn) are routed through the same handler (``serve`` passes
``log_config=None``).
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class PayloadSafeFormatter(logging.Formatter):
    """Renders tracebacks without exception messages (which may quote payload values)."""

    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:  # noqa: N802
        kind, error, tb = ei
        if kind is None or error is None:
            return ""
        lines = ["Traceback (most recent call last):\n", *traceback.format_tb(tb)]
        cause = error.__cause__ or error.__context__
        if cause is not None:
            lines.insert(0, f"(caused by {type(cause).__qualname__}; its message is not logged)\n")
        lines.append(
            f"{kind.__module__}.{kind.__qualname__} (message not logged: it may quote data)"
        )
        return "".join(lines)


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(PayloadSafeFormatter(FORMAT))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not one line per request
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        server_logger = logging.getLogger(name)
        server_logger.handlers.clear()  # a handler of uvicorn's own would print messages
        server_logger.propagate = True
