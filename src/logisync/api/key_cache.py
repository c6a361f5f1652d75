"""API-key records kept in memory for a short while, so a request does not read the store.

Every request to a route that needs a key looks its record up, and that read cost more than
the rest of the check together (``bench/intake.py``: about a fifth of a single-event request).
What a record says rarely changes, and when it does the change comes from another process
(``logisync keys rotate|revoke``), which cannot tell this one. So a record is kept for
``ttl_seconds`` and read again after that: a revocation, or an end moved earlier (a rotation
without overlap), reaches a running API within that time. An end already recorded needs no
read and is exact: it is checked against the clock on every request. Unknown key ids are never
kept, so a key created meanwhile works at once and a flood of made-up ids does not fill memory.
The dashboard's sign-in reads the key every time (a sign-in is rare; a request is not).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from logisync.core.keys import ApiKey


class KeyCache:
    """``get(key_id)``: the stored record, read at most once per ``ttl_seconds`` per key."""

    def __init__(
        self,
        read: Callable[[str], ApiKey | None],
        ttl_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self._read = read
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._max_keys = max_keys
        self._kept: dict[str, tuple[float, ApiKey]] = {}

    def get(self, key_id: str) -> ApiKey | None:
        now = self._monotonic()
        kept = self._kept.get(key_id)
        if kept is not None and now < kept[0]:
            return kept[1]
        record = self._read(key_id)
        if record is None or self._ttl <= 0:
            self._kept.pop(key_id, None)
            return record
        if len(self._kept) >= self._max_keys:
            self._kept.clear()  # a crude bound; real deployments hold far fewer keys
        self._kept[key_id] = (now + self._ttl, record)
        return record
