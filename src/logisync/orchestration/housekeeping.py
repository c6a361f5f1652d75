"""The worker's housekeeping: deleting what the configuration keeps for a time only.

Today that is the per-minute delivery outcomes behind the flow-health charts
(``retention.delivery_minutes``): about 1,440 rows per target a day, read for an hour's window
at most. They go a batch per transaction, so a first run on a year's backlog never holds the
write lock for long.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

from logisync.core.clock import utc_text
from logisync.core.ports import Store

log = logging.getLogger(__name__)

BATCH = 5_000
"""Rows per delete transaction: a few milliseconds of the write lock on SQLite."""


def prune_delivery_minutes(
    store: Store, retention: timedelta, now: datetime, *, batch: int = BATCH
) -> int:
    """Delete every per-minute outcome older than ``retention``; return how many went."""
    before = utc_text(now - retention)
    deleted = 0
    while True:
        gone = store.prune_delivery_minutes(before, limit=batch)
        deleted += gone
        if gone < batch:
            return deleted


def run_housekeeping_loop(
    store: Store, retention: timedelta, interval: float, stopping: threading.Event
) -> None:
    """Housekeep now, then every ``interval`` seconds until ``stopping`` is set; a busy or
    unavailable store skips a round (the next one deletes the same rows)."""
    from logisync.errors import StoreError

    while not stopping.is_set():
        try:
            deleted = prune_delivery_minutes(store, retention, datetime.now(UTC))
            if deleted:
                log.info(
                    "housekeeping: %d per-minute delivery rows past retention deleted", deleted
                )
        except StoreError as error:
            log.warning("housekeeping round skipped: %s", type(error).__name__)
        stopping.wait(interval)
