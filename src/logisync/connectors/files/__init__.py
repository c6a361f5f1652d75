"""Files: the watched-folder transport and the flat-file (CSV, XLSX) import.

Partners drop files into a system's ``inbox``; ``WatchedFolder`` reads each complete one with
the handler of the system's kind, journals the facts, replies through the ``outbox`` and moves
the file to ``processed/`` or ``failed/``. ``csv`` and ``xlsx`` are handled here; EDI kinds
register their handlers with ``register_handler``.
"""

from __future__ import annotations

from logisync.config import HubConfig
from logisync.connectors.files.folder import FileOutcome, WatchedFolder
from logisync.connectors.files.handlers import (
    FileContext,
    FileHandler,
    handler_for,
    register_handler,
)
from logisync.connectors.files.receipt import FileReceipt, RejectedRow
from logisync.connectors.files.settings import (
    FLAT_FILE_KINDS,
    FlatFileImport,
    FolderSettings,
    folder_settings,
    settings_issues,
)
from logisync.core.clock import Clock
from logisync.core.ports import Store


def watched_folders(
    config: HubConfig, store: Store, clock: Clock | None = None
) -> list[WatchedFolder]:
    """A watched folder for every system with an ``inbox`` and a handler for its kind."""
    folders = []
    for name, system in config.systems.items():
        handler = handler_for(system.kind)
        if "inbox" not in system.settings or handler is None:
            continue
        folders.append(
            WatchedFolder(
                name,
                system.kind,
                folder_settings(system),
                handler,
                store,
                settings=system.settings,
                clock=clock,
            )
        )
    return folders


__all__ = [
    "FLAT_FILE_KINDS",
    "FileContext",
    "FileHandler",
    "FileOutcome",
    "FileReceipt",
    "FlatFileImport",
    "FolderSettings",
    "RejectedRow",
    "WatchedFolder",
    "handler_for",
    "register_handler",
    "settings_issues",
    "watched_folders",
]
