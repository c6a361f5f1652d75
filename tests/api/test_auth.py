"""The auth matrix: each way a key can be wrong is refused with its status, and audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import orjson
import pytest

from logisync.api.key_cache import KeyCache
from logisync.api.services import ApiSettings
from logisync.core.clock import ManualClock, utc_text
from logisync.core.keys import READ, SUBMIT, rotated
from logisync.core.ports import AuditEntry

from .conftest import STRUCTURED, RunningHub, order
from .test_key_cache import Ticking

BODY = orjson.dumps(order("SO1", "e1"))
NOTE = AuditEntry("2026-03-01T00:00:00Z", "test", "key.change", "", "", None)


def _post(running: RunningHub, authorization: str | None, body: bytes = BODY) -> tuple[int, str]:
    headers = dict(STRUCTURED)
    if authorization is not None:
        headers["authorization"] = authorization
    with running.client() as client:
        response = client.post("/v1/events", content=body, headers=headers)
    return response.status_code, response.text


@pytest.mark.parametrize(
    ("case", "status", "words"),
    [
        ("no key", 401, "no API key"),
        ("not bearer", 401, "Bearer"),
        ("malformed", 401, "malformed"),
        ("unknown", 401, "no API key"),
        ("wrong secret", 401, "does not match"),
        ("revoked", 401, "revoked"),
        ("expired", 401, "expired"),
        ("wrong system", 403, "submits for system 'shop', not 'wms'"),
        ("wrong scope", 403, "lacks the events:submit scope"),
        ("wrong event type", 403, "may submit shipment.*"),
    ],
)
def test_each_bad_key_is_refused_and_audited(
    running: RunningHub, case: str, status: int, words: str
) -> None:
    token, key = running.key()
    body = BODY
    if case == "no key":
        authorization = None
    elif case == "not bearer":
        authorization = f"Basic {token}"
    elif case == "malformed":
        authorization = "Bearer lsk_short"
    elif case == "unknown":
        authorization = "Bearer lsk_0123456789ab_secret"
    elif case == "wrong secret":
        authorization = f"Bearer {token[:-4]}AAAA"
    elif case == "revoked":
        running.store.save_api_keys([replace(key, revoked_at=utc_text(datetime.now(UTC)))], NOTE)
        authorization = f"Bearer {token}"
    elif case == "expired":
        past = utc_text(datetime.now(UTC) - timedelta(seconds=1))
        running.store.save_api_keys([replace(key, expires_at=past)], NOTE)
        authorization = f"Bearer {token}"
    elif case == "wrong system":
        authorization = f"Bearer {token}"
        body = orjson.dumps(order("SO1", "e1", source="wms"))
    elif case == "wrong scope":
        token, _ = running.key(scopes=frozenset({READ}))
        authorization = f"Bearer {token}"
    else:
        token, _ = running.key(event_types=("shipment.*",))
        authorization = f"Bearer {token}"

    answered, text = _post(running, authorization, body)

    assert answered == status, text
    assert words in orjson.loads(text)["detail"]
    assert running.store.counts().journal == 0
    (refusal,) = running.refusals()
    assert words in refusal.reason
    assert refusal.origin == "127.0.0.1"
    assert refusal.subject == "POST /v1/events"
    assert token.split("_", 2)[2] not in repr(refusal)  # the secret is never written down


def test_a_valid_key_passes_and_nothing_is_audited(running: RunningHub) -> None:
    token, _ = running.key()
    assert _post(running, f"Bearer {token}")[0] == 202
    assert running.refusals() == []


def test_a_rotated_key_and_its_successor_both_work_until_the_overlap_ends(
    running: RunningHub,
) -> None:
    clock = Ticking()
    running.hub.keys = KeyCache(running.hub.reader.api_key, 1.0, clock)
    old_token, old = running.key()
    new_token, successor, old = rotated(old, now=datetime.now(UTC), overlap=timedelta(hours=1))
    running.store.save_api_keys([successor, old], NOTE)
    assert _post(running, f"Bearer {old_token}", orjson.dumps(order("SO1", "1")))[0] == 202
    assert _post(running, f"Bearer {new_token}", orjson.dumps(order("SO2", "2")))[0] == 202

    ended = replace(old, expires_at=utc_text(datetime.now(UTC) - timedelta(seconds=1)))
    running.store.save_api_keys([ended], NOTE)
    clock.now += 1.0  # an end moved earlier is seen once the key cache time has passed
    assert _post(running, f"Bearer {old_token}", orjson.dumps(order("SO3", "3")))[0] == 401
    assert _post(running, f"Bearer {new_token}", orjson.dumps(order("SO4", "4")))[0] == 202
    assert successor.replaces == old.key_id and successor.scopes == old.scopes


def test_a_key_over_its_rate_gets_429_with_retry_after(start_hub) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock(datetime.now(UTC))
    running = start_hub(ApiSettings(key_rate_limit=3), clock=clock)
    token, _ = running.key()

    def send(n: int) -> httpx.Response:
        with running.client(token) as client:
            body = orjson.dumps(order(f"S{n}", str(n)))
            return client.post("/v1/events", content=body, headers=STRUCTURED)

    assert [send(n).status_code for n in range(3)] == [202, 202, 202]
    refused = send(3)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["type"] == "/problems/rate-limited"
    clock.advance(1)
    assert send(4).status_code == 202
    other, _ = running.key(system="wms")  # limits are per key
    with running.client(other) as client:
        body = orjson.dumps(order("W1", "w1", source="wms"))
        assert client.post("/v1/events", content=body, headers=STRUCTURED).status_code == 202


def test_an_admin_key_has_every_scope_but_still_speaks_for_its_system(
    running: RunningHub,
) -> None:
    token, _ = running.key(system="wms", scopes=frozenset({"admin", SUBMIT}))
    status, text = _post(running, f"Bearer {token}")  # the event's source is shop
    assert status == 403 and "'wms', not 'shop'" in text


def test_bad_keys_from_one_address_past_the_limit_get_429_and_are_counted_not_audited(
    running: RunningHub,
) -> None:
    token, _ = running.key()
    answers = [_post(running, f"Bearer lsk_0123456789ab_guess{n}", BODY) for n in range(8)]
    good = _post(running, f"Bearer {token}", BODY)
    assert [status for status, _ in answers] == [401] * 5 + [429] * 3
    assert "Too many failed" in orjson.loads(answers[5][1])["title"]
    assert good[0] == 202  # a valid key from the same address still goes through
    assert len(running.refusals()) == 5
    [lockout] = [e for e in running.store.audit_log(100) if e.action == "auth.locked_out"]
    assert lockout.origin == "127.0.0.1"
