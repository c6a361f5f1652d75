"""The generic HMAC-SHA256 header scheme: hex or base64, with or without a signed timestamp."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from logisync.api.webhooks import HmacSignatureVerifier, InMemorySeenDeliveries, WebhookRefused

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECRET = "carrier-webhook-secret"
NEW_SECRET = "carrier-webhook-secret-2"
BODY = b'{"trackingNumber":"1Z999AA10123456784","activityStatus":{"type":"D"}}'


def hex_signature(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verifier(*secrets: str, **options: object) -> HmacSignatureVerifier:
    return HmacSignatureVerifier(
        "ups", list(secrets) or [SECRET], InMemorySeenDeliveries(), **options
    )


def refusal(check: HmacSignatureVerifier, headers: dict[str, str], body: bytes = BODY) -> str:
    with pytest.raises(WebhookRefused) as refused:
        check.verify(headers, body, NOW)
    return f"{refused.value.status} {refused.value.reason}"


@pytest.mark.parametrize("prefix", ["", "sha256=", "SHA256="])
def test_a_hex_signature_with_or_without_the_prefix_is_accepted(prefix: str) -> None:
    headers = {"X-Signature": prefix + hex_signature(SECRET, BODY)}
    delivery = verifier().verify(headers, BODY, NOW)
    assert (delivery.outcome, delivery.delivery_id, delivery.signed_at) == ("accepted", None, None)


def test_upper_case_hex_is_the_same_digest() -> None:
    headers = {"X-Signature": hex_signature(SECRET, BODY).upper()}
    assert verifier().verify(headers, BODY, NOW).outcome == "accepted"


def test_a_tampered_body_or_a_wrong_secret_is_refused() -> None:
    headers = {"X-Signature": hex_signature(SECRET, BODY)}
    expected = "401 the header X-Signature does not match any of the 1 configured secrets"
    assert refusal(verifier(), headers, BODY + b"\n") == expected
    assert refusal(verifier(NEW_SECRET), headers) == expected


def test_old_and_new_secrets_are_both_accepted_while_rotating() -> None:
    check = verifier(SECRET, NEW_SECRET)
    for secret in (SECRET, NEW_SECRET):
        assert check.verify({"X-Signature": hex_signature(secret, BODY)}, BODY, NOW)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "401 the header X-Signature is missing"),
        ({"X-Signature": "sha256="}, "400 the header X-Signature is not a hex HMAC-SHA256"),
        ({"X-Signature": "abc123"}, "400 the header X-Signature is not a hex HMAC-SHA256"),
        ({"X-Signature": "zz" * 32}, "400 the header X-Signature is not a hex HMAC-SHA256"),
    ],
)
def test_missing_and_malformed_signatures(headers: dict[str, str], expected: str) -> None:
    assert refusal(verifier(), headers).startswith(expected)


def test_a_base64_digest_in_a_header_of_the_providers_choice() -> None:
    """FedEx: fdx-signature = base64(HMAC-SHA256(security token, raw payload))."""
    digest = base64.b64encode(hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()).decode()
    check = verifier(header="fdx-signature", encoding="base64", signature_prefix="")
    assert check.verify({"Fdx-Signature": digest}, BODY, NOW).outcome == "accepted"
    hex_instead = {"fdx-signature": hex_signature(SECRET, BODY)}
    assert refusal(check, hex_instead).startswith("400 the header fdx-signature is not a base64")


def timestamped(at: datetime, *, secret: str = SECRET, body: bytes = BODY) -> dict[str, str]:
    stamp = str(int(at.timestamp()))
    return {
        "X-Timestamp": stamp,
        "X-Signature": hex_signature(secret, f"{stamp}.".encode() + body),
        "X-Delivery": "d-1",
    }


def test_with_a_timestamp_header_the_signature_covers_timestamp_dot_body() -> None:
    check = verifier(timestamp_header="X-Timestamp")
    delivery = check.verify(timestamped(NOW), BODY, NOW)
    assert delivery.signed_at == NOW
    only_the_body = timestamped(NOW) | {"X-Signature": hex_signature(SECRET, BODY)}
    assert refusal(check, only_the_body).startswith("401 ")


def test_the_tolerance_applies_to_the_timestamp_both_ways() -> None:
    check = verifier(timestamp_header="X-Timestamp", tolerance=timedelta(seconds=60))
    assert refusal(check, timestamped(NOW - timedelta(seconds=61))) == (
        "401 the X-Timestamp time is 61 s old, beyond the 60 s tolerance"
    )
    assert refusal(check, timestamped(NOW + timedelta(seconds=90))).startswith(
        "401 the X-Timestamp time is 90 s in the future"
    )
    no_stamp = timestamped(NOW)
    del no_stamp["X-Timestamp"]
    assert refusal(check, no_stamp) == "400 the header X-Timestamp is missing"


def test_with_an_id_header_a_replay_is_a_duplicate() -> None:
    check = verifier(timestamp_header="X-Timestamp", id_header="X-Delivery")
    first = check.verify(timestamped(NOW), BODY, NOW)
    again = check.verify(timestamped(NOW), BODY, NOW + timedelta(seconds=5))
    assert (first.delivery_id, first.outcome, again.outcome) == ("d-1", "accepted", "duplicate")
    no_id = timestamped(NOW)
    del no_id["X-Delivery"]
    assert refusal(check, no_id) == "400 the header X-Delivery is missing"


def test_without_an_id_header_nothing_is_remembered() -> None:
    check = verifier()
    headers = {"X-Signature": hex_signature(SECRET, BODY)}
    assert check.verify(headers, BODY, NOW).outcome == "accepted"
    assert check.verify(headers, BODY, NOW).outcome == "accepted"
