"""Progress bars for the CLI's long operations (bulk replay, redrive, import).

They are drawn on standard error, so that standard output (counts, ``--json``) stays for
scripts; on a terminal they redraw in place, elsewhere rich prints the finished bar once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


@contextmanager
def progress(description: str, total: int) -> Iterator[Callable[[int], None]]:
    """A bar of ``total`` steps; yields ``advance(steps)``."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    with bar:
        task = bar.add_task(description, total=total)

        def advance(steps: int) -> None:
            bar.advance(task, steps)

        yield advance
