"""One graceful shutdown for long-running commands: SIGINT or SIGTERM sets an event that
every loop checks between batches, so the batch in hand is finished and committed, claims are
released, and the process exits 0. A second signal stops at once (exit 1): the work of an
unfinished batch is redone by whoever claims it after its lease expires.
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

import typer

from logisync.cli_exit import ExitCode


def stop_on_signals() -> threading.Event:
    """An event set by the first SIGINT/SIGTERM; call from the main thread."""
    stopping = threading.Event()

    def handle(signum: int, _frame: Any) -> None:
        if stopping.is_set():
            os._exit(int(ExitCode.FAILED))
        stopping.set()
        name = signal.Signals(signum).name
        typer.echo(f"{name}: finishing the current batch, then stopping", err=True)

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)
    return stopping
