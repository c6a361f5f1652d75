"""``logisync process``: the processor (journal -> projections, conflicts, deliveries).

``run_processor`` is the loop itself, shared with ``logisync worker``, which runs it in a
thread beside the delivery workers, pollers and folder watchers.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from logisync.config.model import HubConfig
    from logisync.core.ports import Store
    from logisync.core.processor import Processor


def process(
    config: Annotated[Path, typer.Option(help="Configuration file")],
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    until_idle: Annotated[bool, typer.Option(help="Stop when nothing is pending")] = False,
    batch: Annotated[int, typer.Option(help="Entities claimed per batch")] = 500,
    lease: Annotated[float, typer.Option(help="Claim lease in seconds")] = 30.0,
) -> None:
    """Run the processor: journal -> projections, conflicts and deliveries."""
    from logisync.cli_shutdown import stop_on_signals
    from logisync.config import load_config
    from logisync.config.audit import record_config
    from logisync.logs import configure_logging
    from logisync.store import open_store

    configure_logging()
    settings = load_config(config)
    hub = open_store(store or settings.store)
    record_config(hub, settings, config, "process", datetime.now(UTC))
    processor = build_processor(hub, settings, batch=batch, lease=lease)
    if until_idle:
        typer.echo(f"processed {processor.run_until_idle()} events")
        return
    stopping = stop_on_signals()
    collect_garbage_less_often()
    run_processor(processor, stopping)


def build_processor(
    hub: Store, settings: HubConfig, *, batch: int = 500, lease: float = 30.0
) -> Processor:
    from logisync.core.processor import Processor, ProcessorSettings

    return Processor(
        hub,
        settings.rules(),
        settings=ProcessorSettings(entities_per_batch=batch, lease_seconds=lease),
    )


def run_processor(processor: Processor, stopping: threading.Event) -> None:
    """Process until ``stopping`` is set; the batch in hand is committed (or its claim
    released) before this returns. Idle, the processor waits for news of work from its store
    (a NOTIFY on PostgreSQL), which a stop ends within ``core.idle.STOP_CHECK_SECONDS``; the
    pauses after store trouble end as soon as it is set."""

    def pause(seconds: float) -> None:
        stopping.wait(seconds)

    processor.run_forever(stopping.is_set, pause)


def collect_garbage_less_often() -> None:
    """Tune the cyclic garbage collector for a long-running hub process (processor, worker,
    API server), once its startup is done.

    A batch keeps thousands of records and projections alive until its commit, so the
    collector's default thresholds run full collections again and again over them and over
    every imported module: 5-10% of the processor's time (see bench/RESULTS.md). The objects of
    startup (modules, classes, configuration) live as long as the process: frozen, no collection
    looks at them again. Collecting the young generation every 10,000 allocations instead of 700
    costs little memory: the hub's data hardly makes reference cycles, reference counting frees
    it. In the API server the full collections over the web framework's objects were the
    intake's slowest answers (p99 37 ms against 12 ms without them, ``bench/intake.py``).
    """
    import gc

    gc.collect()  # what startup left unreachable is freed, not frozen with the rest
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
