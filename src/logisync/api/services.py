"""What one running API holds: its settings, two store handles and the group committer.

Writes (appends, audit entries, key changes) all go through the committer's single writer
thread; reads (key look-ups, the read API) use their own handle on the event loop, which WAL
lets proceed while a commit is being written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from prometheus_client import CollectorRegistry
from prometheus_client import Counter as PromCounter

from logisync.api.failed_attempts import FailedAttempts
from logisync.api.key_cache import KeyCache
from logisync.api.metrics import IntakeMetrics, registry_for
from logisync.core.clock import Clock, SystemClock, utc_text
from logisync.core.delivery.rate_limit import BucketState, TokenBucket
from logisync.core.group_commit import GroupCommitter
from logisync.core.keys import ApiKey
from logisync.core.ports import AppendResult, AuditEntry, JsonObject, Store


@dataclass(frozen=True)
class ApiSettings:
    max_body_bytes: int = 4 * 1024 * 1024
    max_batch_events: int = 1000
    key_rate_limit: float = 200.0  # requests per second per key, unless the key says otherwise
    retry_after_seconds: int = 1  # told to senders when the store cannot commit
    max_group_events: int = 5000  # events per group commit at most
    key_cache_seconds: float = 1.0  # how long a revocation may take to reach this API (0: none)
    failed_logins: int = 5  # failed sign-ins per name or address per window, then 429
    failed_login_window_seconds: float = 60.0


@dataclass
class KeyLimits:
    """Per-key token buckets, in this process: a key's burst beyond its rate gets 429.

    Kept in memory on purpose: a request must not cost a store write to be counted, and with
    several API processes each holds its share (the limit is per process)."""

    default_rate: float
    _buckets: dict[str, tuple[TokenBucket, BucketState]] = field(default_factory=dict)

    def wait_seconds(self, key: ApiKey, now: datetime) -> int | None:
        """None if the request may go on; else how many seconds to tell it to wait."""
        rate = key.rate_limit or self.default_rate
        bucket, state = self._buckets.get(key.key_id, (None, None))
        if bucket is None or bucket.rate != rate or state is None:
            bucket = TokenBucket(rate=rate, burst=max(1.0, rate))
            state = bucket.full(now)
        granted, wait, state = bucket.take(state, now, 1)
        self._buckets[key.key_id] = (bucket, state)
        return None if granted else max(1, math.ceil(wait))


@dataclass
class Hub:
    settings: ApiSettings
    writer: Store
    reader: Store
    committer: GroupCommitter
    clock: Clock = field(default_factory=SystemClock)
    keys: KeyCache = field(init=False)
    limits: KeyLimits = field(init=False)
    failed_logins: FailedAttempts = field(init=False)  # the dashboard's sign-ins
    failed_keys: FailedAttempts = field(init=False)  # API requests refused for their key
    registry: CollectorRegistry = field(init=False)
    metrics: IntakeMetrics = field(init=False)
    _appended: dict[tuple[str, bool], PromCounter] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.keys = KeyCache(self.reader.api_key, self.settings.key_cache_seconds)
        self.limits = KeyLimits(self.settings.key_rate_limit)
        window = timedelta(seconds=self.settings.failed_login_window_seconds)
        self.failed_logins = FailedAttempts(self.settings.failed_logins, window)
        self.failed_keys = FailedAttempts(self.settings.failed_logins, window)
        self.registry, self.metrics = registry_for(self.reader)

    def count_appended(self, sources: list[str], results: list[AppendResult]) -> None:
        # one labelled increment per source and outcome, not per event: a batch is one source.
        # A plain dict, not a Counter: ~0.3 µs for a single event's request instead of ~1 µs
        tally: dict[tuple[str, bool], int] = {}
        for source, result in zip(sources, results, strict=True):
            key = (source, result.duplicate)
            tally[key] = tally.get(key, 0) + 1
        for (source, duplicate), count in tally.items():
            self._appended_counter(source, duplicate).inc(count)

    def _appended_counter(self, source: str, duplicate: bool) -> PromCounter:
        """The labelled counter, kept: prometheus_client's ``labels`` validates its arguments
        and takes a lock on every call."""
        counter = self._appended.get((source, duplicate))
        if counter is None:
            family = self.metrics.duplicates if duplicate else self.metrics.ingested
            counter = self._appended[(source, duplicate)] = family.labels(source=source)
        return counter

    async def audit(
        self,
        *,
        actor: str,
        action: str,
        subject: str,
        reason: str,
        origin: str | None,
        detail: JsonObject | None = None,
    ) -> None:
        entry = AuditEntry(
            utc_text(self.clock.now()), actor, action, subject, reason, detail, origin
        )
        await self.committer.call(self.writer.record_audit, [entry])
