"""Logging for the long-running commands (serve, process, deliver, monitor): set in one place.

Every line is one JSON object rendered by structlog (``LOGISYNC_LOG_FORMAT=console`` for a
human reading a terminal). The core and the connectors log through the standard ``logging``
module; structlog's ``ProcessorFormatter`` renders those records, lifting what the work is
about: the fields bound with ``logisync.core.log_context.bound`` (the core's own contextvar,
so the core never imports structlog) and the same names passed as ``extra=`` to a log call
(``correlation_id``, ``event_id``, ``entity``, ``target``, ``seq``, ``monitor``, ``subject``).

Personal data never reaches a log. Log calls name events by id, journal seq and entity key,
never by payload values. What is left is exception text: an exception's message may quote a
value it choked on (pydantic's ``input_value=...``, a ``KeyError`` of a value), so every
traceback is rendered with the exception's type and frames but without its message. The
server's own loggers (uvicorn) are routed through the same handler (``serve`` passes
``log_config=None``).
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import MutableMapping
from types import TracebackType
from typing import Any

import structlog

from logisync.core.log_context import current

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Record attributes (``extra=``) lifted into the line: identifiers only, never payload values.
LIFTED = (
    "correlation_id",
    "event_id",
    "entity",
    "target",
    "seq",
    "delivery_id",
    "monitor",
    "subject",
    "trace_id",
)


def safe_traceback(ei: ExcInfo | tuple[None, None, None]) -> str:
    """The traceback's frames and the exception's type, not its message (which may quote
    payload values), nor its cause's message."""
    kind, error, tb = ei
    if kind is None or error is None:
        return ""
    lines = ["Traceback (most recent call last):\n", *traceback.format_tb(tb)]
    cause = error.__cause__ or error.__context__
    if cause is not None:
        lines.insert(0, f"(caused by {type(cause).__qualname__}; its message is not logged)\n")
    lines.append(f"{kind.__module__}.{kind.__qualname__} (message not logged: it may quote data)")
    return "".join(lines)


class PayloadSafeFormatter(logging.Formatter):
    """Renders tracebacks without exception messages (for plain-text handlers)."""

    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:  # noqa: N802
        return safe_traceback(ei)


EventDict = MutableMapping[str, Any]


def lift_context(_: Any, __: str, event_dict: EventDict) -> EventDict:
    """Add the bound fields and the ``extra=`` identifiers of a standard-library record."""
    for key, value in current().items():
        event_dict.setdefault(key, value)
    record = event_dict.get("_record")
    if isinstance(record, logging.LogRecord):
        for key in LIFTED:
            value = record.__dict__.get(key)
            if value is not None:
                event_dict[key] = value
    return event_dict


def safe_exception(_: Any, __: str, event_dict: EventDict) -> EventDict:
    """Render ``exc_info`` as a payload-safe traceback under ``exception``."""
    exc_info = event_dict.pop("exc_info", None)
    if exc_info:
        if not isinstance(exc_info, tuple):
            exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
        event_dict["exception"] = safe_traceback(exc_info)
    return event_dict


def structured_formatter(*, json: bool = True) -> structlog.stdlib.ProcessorFormatter:
    """The formatter every handler of the hub uses: JSON lines, or colourless console text."""
    renderer: Any = (
        structlog.processors.JSONRenderer(sort_keys=False)
        if json
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=_plain_traceback)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            lift_context,
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            safe_exception,
            structlog.processors.EventRenamer("message"),
            renderer,
        ],
    )


def _plain_traceback(sio: Any, exc_info: ExcInfo) -> None:
    sio.write("\n" + safe_traceback(exc_info))


def configure_logging(level: int = logging.INFO, *, json: bool | None = None) -> None:
    """Route every logger (the hub's, uvicorn's) through one structured handler on stderr."""
    if json is None:
        json = os.environ.get("LOGISYNC_LOG_FORMAT", "json").lower() != "console"
    handler = logging.StreamHandler()
    handler.setFormatter(structured_formatter(json=json))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not one line per request
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        server_logger = logging.getLogger(name)
        server_logger.handlers.clear()  # a handler of uvicorn's own would print messages
        server_logger.propagate = True
