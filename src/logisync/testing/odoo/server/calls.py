"""Counters of the RPCs a server received, so that a test can assert how a client behaved:
how often it retried, whether it batched, which protocol it spoke.

Every request is counted when it arrives, before any injected fault, under up to three keys:
its protocol (``xmlrpc``, ``jsonrpc``, ``web``, ``json2``), its service method
(``object.execute_kw``, ``common.login``, ``web.dataset.call_kw``) and, for an ORM call, the
model method (``sale.order.search_read``).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable


class CallCounter:
    """Thread-safe: the server thread counts while the test thread reads and resets."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def count(self, keys: Iterable[str]) -> None:
        with self._lock:
            self._counts.update(keys)

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
