"""Shopify: the body's HMAC under the app secret, built here as Shopify builds it."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from logisync.api.webhooks import InMemorySeenDeliveries, ShopifyVerifier, WebhookRefused

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECRET = "shpss_app-client-secret"
NEW_SECRET = "shpss_rotated-client-secret"
BODY = b'{"id":820982911946154508,"email":"jon@example.com"}'


def shopify_headers(
    *, secret: str = SECRET, body: bytes = BODY, webhook_id: str = "b54557e4-bdd9-4b37"
) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
        "X-Shopify-Shop-Domain": "example.myshopify.com",
        "X-Shopify-Webhook-Id": webhook_id,
        "X-Shopify-Triggered-At": "2026-03-01T11:59:58.877041743Z",
    }


def verifier(*secrets: str, **options: object) -> ShopifyVerifier:
    return ShopifyVerifier("shop", list(secrets) or [SECRET], InMemorySeenDeliveries(), **options)


def refusal(check: ShopifyVerifier, headers: dict[str, str], *, at: datetime = NOW) -> str:
    with pytest.raises(WebhookRefused) as refused:
        check.verify(headers, BODY, at)
    return f"{refused.value.status} {refused.value.reason}"


def test_a_genuine_delivery_is_accepted_with_its_webhook_id() -> None:
    delivery = verifier().verify(shopify_headers(), BODY, NOW)
    assert (delivery.outcome, delivery.delivery_id) == ("accepted", "b54557e4-bdd9-4b37")
    assert delivery.headers["x-shopify-topic"] == "orders/create"


def test_a_tampered_body_is_refused() -> None:
    with pytest.raises(WebhookRefused) as refused:
        verifier().verify(shopify_headers(), BODY.replace(b"jon", b"eve"), NOW)
    assert refused.value.status == 401
    assert refused.value.reason == (
        "the header X-Shopify-Hmac-Sha256 does not match the body under any of the 1 "
        "configured secrets"
    )


def test_another_apps_secret_is_refused() -> None:
    assert refusal(verifier(), shopify_headers(secret=NEW_SECRET)).startswith("401 the header")


def test_both_secrets_are_accepted_while_shopify_switches_to_the_new_one() -> None:
    check = verifier(SECRET, NEW_SECRET)
    assert check.verify(shopify_headers(webhook_id="a"), BODY, NOW).outcome == "accepted"
    assert check.verify(shopify_headers(secret=NEW_SECRET), BODY, NOW).outcome == "accepted"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("X-Shopify-Hmac-Sha256", "401 the header X-Shopify-Hmac-Sha256 is missing"),
        ("X-Shopify-Webhook-Id", "400 the header X-Shopify-Webhook-Id is missing"),
    ],
)
def test_missing_headers_are_named(header: str, expected: str) -> None:
    headers = shopify_headers()
    del headers[header]
    assert refusal(verifier(), headers) == expected


@pytest.mark.parametrize("value", ["not base64!", "c2hvcnQ=", "ab" * 32])
def test_a_signature_that_is_not_a_base64_digest_is_malformed(value: str) -> None:
    headers = shopify_headers() | {"X-Shopify-Hmac-Sha256": value}
    assert refusal(verifier(), headers) == (
        "400 the header X-Shopify-Hmac-Sha256 is not a base64 HMAC-SHA256 digest (32 bytes)"
    )


def test_a_retry_of_the_same_delivery_is_a_duplicate_for_a_day() -> None:
    check = verifier()
    check.verify(shopify_headers(), BODY, NOW)
    retry = check.verify(shopify_headers(), BODY, NOW + timedelta(hours=4))
    assert (retry.outcome, retry.first_seen_at) == ("duplicate", NOW)
    much_later = check.verify(shopify_headers(), BODY, NOW + timedelta(days=1, seconds=1))
    assert much_later.outcome == "accepted"


def test_the_staleness_check_is_off_unless_asked_for() -> None:
    headers = shopify_headers() | {"X-Shopify-Triggered-At": "2020-01-01T00:00:00Z"}
    assert verifier().verify(headers, BODY, NOW).outcome == "accepted"


def test_a_delivery_triggered_longer_ago_than_max_age_is_refused() -> None:
    check = verifier(max_age=timedelta(hours=5))
    late = NOW + timedelta(hours=5, seconds=10)
    assert refusal(check, shopify_headers(), at=late) == (
        "401 the X-Shopify-Triggered-At time is 18011 s old, beyond the 18000 s tolerance"
    )
    assert check.verify(shopify_headers(), BODY, NOW + timedelta(hours=4)).outcome == "accepted"


def test_a_trigger_time_far_in_the_future_is_refused_when_checking_staleness() -> None:
    check = verifier(max_age=timedelta(hours=5))
    assert refusal(check, shopify_headers(), at=NOW - timedelta(minutes=10)).startswith(
        "401 the X-Shopify-Triggered-At time is 598 s in the future"
    )


@pytest.mark.parametrize("value", ["", "yesterday", "2026-03-01", "2026-03-01T11:59:58"])
def test_a_missing_or_unreadable_trigger_time_is_refused_when_checking_staleness(
    value: str,
) -> None:
    headers = shopify_headers() | {"X-Shopify-Triggered-At": value}
    reason = refusal(verifier(max_age=timedelta(hours=5)), headers)
    assert reason.startswith("400 the header X-Shopify-Triggered-At ")
