"""Standard Webhooks: signatures built here the way a sender does, independently of the hub."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from logisync.api.webhooks import (
    InMemorySeenDeliveries,
    StandardWebhooksVerifier,
    WebhookRefused,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECRET = "whsec_" + base64.b64encode(b"a-32-byte-secret-for-the-tests!!").decode()
NEW_SECRET = "whsec_" + base64.b64encode(b"the-rotated-secret-of-32-bytes!!").decode()
BODY = b'{"type":"shipment.dispatched","n":1}'


def signature(secret: str, delivery_id: str, stamp: str, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{delivery_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(
    *, secret: str = SECRET, delivery_id: str = "msg_1", at: datetime = NOW, body: bytes = BODY
) -> dict[str, str]:
    stamp = str(int(at.timestamp()))
    return {
        "Webhook-Id": delivery_id,
        "Webhook-Timestamp": stamp,
        "Webhook-Signature": signature(secret, delivery_id, stamp, body),
    }


def verifier(*secrets: str, **options: object) -> StandardWebhooksVerifier:
    return StandardWebhooksVerifier(
        "tms", list(secrets) or [SECRET], InMemorySeenDeliveries(), **options
    )


def refusal(check: StandardWebhooksVerifier, headers: dict[str, str], body: bytes = BODY) -> str:
    with pytest.raises(WebhookRefused) as refused:
        check.verify(headers, body, NOW)
    return f"{refused.value.status} {refused.value.reason}"


def test_a_correctly_signed_delivery_is_accepted_with_its_id_and_signing_time() -> None:
    delivery = verifier().verify(signed_headers(), BODY, NOW)
    assert delivery.outcome == "accepted"
    assert (delivery.system, delivery.delivery_id, delivery.signed_at) == ("tms", "msg_1", NOW)
    assert delivery.body == BODY
    assert delivery.headers["webhook-id"] == "msg_1"


def test_the_published_test_vector_of_the_reference_library_verifies() -> None:
    vector = {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }
    sent_at = datetime.fromtimestamp(1614265330, UTC)
    check = verifier("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    assert check.verify(vector, b'{"test": 2432232314}', sent_at).outcome == "accepted"
    # The reference library decodes a secret without the prefix as base64 too.
    unprefixed = verifier("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    assert unprefixed.verify(vector, b'{"test": 2432232314}', sent_at).outcome == "accepted"


def test_a_tampered_body_is_refused_as_not_matching() -> None:
    assert refusal(verifier(), signed_headers(), BODY + b" ") == (
        "401 no webhook-signature entry (1 given) matches any of the 1 configured secrets"
    )


def test_a_signature_made_with_another_secret_is_refused() -> None:
    assert refusal(verifier(), signed_headers(secret=NEW_SECRET)).startswith("401 no webhook-")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Webhook-Id", "400 the header webhook-id is missing"),
        ("Webhook-Timestamp", "400 the header webhook-timestamp is missing"),
        ("Webhook-Signature", "401 the header webhook-signature is missing"),
    ],
)
def test_each_missing_header_is_named(header: str, expected: str) -> None:
    headers = signed_headers()
    del headers[header]
    assert refusal(verifier(), headers) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("v1", "400 entry 1 of the header webhook-signature is not 'version,signature'"),
        ("v1,not base64!", "400 entry 1 of the header webhook-signature is not a base64 "),
        ("v1,c2hvcnQ=", "400 entry 1 of the header webhook-signature is not a base64 "),
        ("v1a,c2hvcnQ=", "401 the header webhook-signature holds no v1 signature "),
        (" ".join(["v1,x"] * 17), "400 the header webhook-signature holds 17 entries"),
    ],
)
def test_a_malformed_signature_header_says_what_is_wrong(value: str, expected: str) -> None:
    headers = signed_headers() | {"Webhook-Signature": value}
    assert refusal(verifier(), headers).startswith(expected)


@pytest.mark.parametrize("stamp", ["1772366400.5", "soon", "-5", "1e9", "123456789012"])
def test_a_timestamp_that_is_not_whole_unix_seconds_is_malformed(stamp: str) -> None:
    headers = signed_headers() | {"Webhook-Timestamp": stamp}
    assert refusal(verifier(), headers) == (
        "400 the header webhook-timestamp must be whole seconds since 1970 (Unix)"
    )


def test_a_stale_timestamp_is_refused_with_its_age_and_the_tolerance() -> None:
    headers = signed_headers(at=NOW - timedelta(seconds=412))
    assert refusal(verifier(), headers) == (
        "401 the webhook-timestamp time is 412 s old, beyond the 300 s tolerance"
    )


def test_a_future_timestamp_is_refused_too() -> None:
    headers = signed_headers(at=NOW + timedelta(seconds=301))
    assert refusal(verifier(), headers) == (
        "401 the webhook-timestamp time is 301 s in the future, beyond the 300 s tolerance "
        "(is one of the clocks wrong?)"
    )


def test_the_tolerance_is_inclusive_and_configurable() -> None:
    assert verifier().verify(signed_headers(at=NOW - timedelta(seconds=300)), BODY, NOW)
    strict = verifier(tolerance=timedelta(seconds=30))
    assert refusal(strict, signed_headers(at=NOW - timedelta(seconds=31))).endswith(
        "31 s old, beyond the 30 s tolerance"
    )


def test_a_replayed_id_is_a_duplicate_that_says_when_it_was_first_received() -> None:
    check = verifier()
    first = check.verify(signed_headers(), BODY, NOW)
    again = check.verify(signed_headers(), BODY, NOW + timedelta(seconds=40))
    assert (first.outcome, again.outcome) == ("accepted", "duplicate")
    assert again.first_seen_at == NOW


def test_a_copy_with_a_bad_signature_does_not_mark_the_id_as_seen() -> None:
    check = verifier()
    forged = signed_headers(secret=NEW_SECRET)
    refusal(check, forged)
    assert check.verify(signed_headers(), BODY, NOW).outcome == "accepted"


def test_a_replay_after_the_tolerance_is_refused_as_stale_not_accepted() -> None:
    check = verifier()
    check.verify(signed_headers(), BODY, NOW)
    with pytest.raises(WebhookRefused) as refused:
        check.verify(signed_headers(), BODY, NOW + timedelta(hours=1))
    assert refused.value.kind == "timestamp_out_of_tolerance"


def test_while_rotating_both_the_old_and_the_new_secret_are_accepted() -> None:
    check = verifier(SECRET, NEW_SECRET)
    old = check.verify(signed_headers(delivery_id="msg_old"), BODY, NOW)
    new = check.verify(signed_headers(secret=NEW_SECRET, delivery_id="msg_new"), BODY, NOW)
    assert (old.outcome, new.outcome) == ("accepted", "accepted")


def test_any_matching_entry_among_several_signatures_passes() -> None:
    stamp = str(int(NOW.timestamp()))
    entries = [
        signature(NEW_SECRET, "msg_1", stamp, BODY),
        "v1a,c2lnbmVkIHdpdGggZWQyNTUxOQ==",
        signature(SECRET, "msg_1", stamp, BODY),
    ]
    headers = signed_headers() | {"Webhook-Signature": " ".join(entries)}
    assert verifier().verify(headers, BODY, NOW).outcome == "accepted"


def test_a_raw_secret_is_used_as_it_is_when_configured_so() -> None:
    raw = "plain text secret"
    stamp = str(int(NOW.timestamp()))
    digest = hmac.new(raw.encode(), f"msg_1.{stamp}.".encode() + BODY, hashlib.sha256).digest()
    headers = signed_headers() | {"Webhook-Signature": "v1," + base64.b64encode(digest).decode()}
    assert verifier(raw, secret_encoding="raw").verify(headers, BODY, NOW).outcome == "accepted"
    as_bytes = StandardWebhooksVerifier("tms", [raw.encode()], InMemorySeenDeliveries())
    assert as_bytes.verify(headers, BODY, NOW).outcome == "accepted"


def test_a_secret_that_is_not_base64_is_refused_when_the_verifier_is_built() -> None:
    with pytest.raises(ValueError, match="secret_encoding: raw"):
        verifier("whsec_not*base64")


def test_a_header_given_twice_with_different_values_is_refused() -> None:
    headers = signed_headers() | {"webhook-id": "msg_2"}
    assert refusal(verifier(), headers) == "400 the header webhook-id is given twice, differently"


def test_a_naive_now_is_a_wiring_mistake_not_a_refusal() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        verifier().verify(signed_headers(), BODY, NOW.replace(tzinfo=None))
