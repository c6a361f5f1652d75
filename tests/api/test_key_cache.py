"""API-key records are read from the store at most once per cache time; changes made by
another process (revocation, an earlier end) reach the running API once that time has passed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import orjson

from logisync.api.key_cache import KeyCache
from logisync.core.clock import utc_text
from logisync.core.keys import SUBMIT, ApiKey, new_key
from logisync.core.ports import AuditEntry

from .conftest import STRUCTURED, RunningHub, order

NOTE = AuditEntry("2026-03-01T00:00:00Z", "test", "key.revoke", "", "", None)


class Ticking:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _key() -> ApiKey:
    return new_key(system="shop", scopes=frozenset({SUBMIT}), now=datetime.now(UTC))[1]


def test_a_record_is_read_once_per_cache_time() -> None:
    key, reads, clock = _key(), [], Ticking()
    cache = KeyCache(lambda key_id: reads.append(key_id) or key, 1.0, clock)
    assert cache.get(key.key_id) is key and cache.get(key.key_id) is key
    clock.now += 0.999
    cache.get(key.key_id)
    assert reads == [key.key_id]
    clock.now += 0.001
    cache.get(key.key_id)
    assert reads == [key.key_id, key.key_id]


def test_an_unknown_key_is_not_kept_so_a_key_created_meanwhile_works_at_once() -> None:
    stored: dict[str, ApiKey] = {}
    cache = KeyCache(stored.get, 60.0, Ticking())
    key = _key()
    assert cache.get(key.key_id) is None
    stored[key.key_id] = key
    assert cache.get(key.key_id) is key


def test_no_cache_time_reads_every_time() -> None:
    key, reads = _key(), []
    cache = KeyCache(lambda key_id: reads.append(key_id) or key, 0, Ticking())
    cache.get(key.key_id)
    cache.get(key.key_id)
    assert len(reads) == 2


def test_the_cache_is_bounded() -> None:
    keys = {k.key_id: k for k in (_key() for _ in range(5))}
    cache = KeyCache(keys.get, 60.0, Ticking(), max_keys=3)
    for key_id in keys:
        cache.get(key_id)
    assert len(cache._kept) <= 3


def test_a_key_revoked_by_another_process_is_refused_once_the_cache_time_has_passed(
    running: RunningHub,
) -> None:
    clock = Ticking()
    running.hub.keys = KeyCache(running.hub.reader.api_key, 1.0, clock)
    token, key = running.key()

    def post(number: str) -> int:
        with running.client(token) as client:
            body = orjson.dumps(order(number, number))
            return client.post("/v1/events", content=body, headers=STRUCTURED).status_code

    assert post("SO1") == 202
    revoked = replace(key, revoked_at=utc_text(datetime.now(UTC)))
    running.store.save_api_keys([revoked], NOTE)  # as `logisync keys revoke` does
    assert post("SO2") == 202  # within the cache time: the documented delay
    clock.now += 1.0
    assert post("SO3") == 401
    assert running.store.counts().journal == 2
    assert "revoked" in running.refusals()[-1].reason
