"""How an idle worker loop waits: for news of work from the store, not a blind sleep.

``Store.wait_for_work`` returns as soon as work may have arrived from any process (PostgreSQL:
a NOTIFY; SQLite: its change counter moved), so an idle processor or delivery loop reacts at
once instead of after its poll interval. The interval stays as the bound (retries coming due
and expired leases send no news), and the wait goes in slices of at most
``STOP_CHECK_SECONDS`` so that a stop is noticed promptly whatever the interval.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from logisync.core.ports import Store, WorkKind

STOP_CHECK_SECONDS = 0.25


def wait_for_work(
    store: Store, seconds: float, should_stop: Callable[[], bool], work: WorkKind = "any"
) -> bool:
    """Wait until the store has news of ``work`` (True), ``seconds`` pass or ``should_stop()``
    (False)."""
    deadline = time.monotonic() + seconds
    while not should_stop():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        if store.wait_for_work(min(remaining, STOP_CHECK_SECONDS), work):
            return True
    return False
