"""Which handler reads a file, by the kind of the system whose inbox it came into.

A handler is a function ``(file name, raw bytes, context) -> EdiReceipt``: it reads, never
journals, moves or writes. The folder transport does the rest the same way for every kind, so
X12 and EDIFACT plug in by calling ``register_handler("x12", read_interchange)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from logisync.connectors.edi import EdiReceipt
from logisync.core.ports import Store


@dataclass(frozen=True)
class FileContext:
    """What a handler knows besides the bytes: the system (the events' ``source``), its
    kind-specific settings, and when the file was last written (the ``time`` of facts that
    carry none of their own)."""

    system: str
    kind: str
    written_at: datetime
    settings: Mapping[str, Any] = field(default_factory=dict)
    store: Store | None = None  # where EDI readers keep partners' control numbers


FileHandler = Callable[[str, bytes, FileContext], EdiReceipt]

_HANDLERS: dict[str, FileHandler] = {}


def register_handler(kind: str, handler: FileHandler) -> None:
    _HANDLERS[kind] = handler


def handler_for(kind: str) -> FileHandler | None:
    """The handler of ``kind``; the flat-file and EDI ones are always known."""
    if kind in ("csv", "xlsx") and kind not in _HANDLERS:
        from logisync.connectors.files.flat_import import csv_handler, xlsx_handler

        _HANDLERS.setdefault("csv", csv_handler)
        _HANDLERS.setdefault("xlsx", xlsx_handler)
    if kind == "x12" and kind not in _HANDLERS:
        from logisync.connectors.x12.files import read_x12_file

        _HANDLERS.setdefault("x12", read_x12_file)
    if kind == "edifact" and kind not in _HANDLERS:
        from logisync.connectors.edifact.files import read_edifact_file

        _HANDLERS.setdefault("edifact", read_edifact_file)
    return _HANDLERS.get(kind)
