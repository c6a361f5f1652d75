"""For any headers and any body: a verifier accepts or refuses, and never fails otherwise."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logisync.api.webhooks import (
    HmacSignatureVerifier,
    InMemorySeenDeliveries,
    OdooTokenVerifier,
    ShopifyVerifier,
    StandardWebhooksVerifier,
    VerifiedDelivery,
    Verifier,
    WebhookRefused,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KEY = b"property-test-key-of-32-bytes!!!"
SECRET = "whsec_" + base64.b64encode(KEY).decode()


def verifiers() -> list[Verifier]:
    seen = InMemorySeenDeliveries()
    return [
        StandardWebhooksVerifier("tms", [SECRET], seen),
        ShopifyVerifier("shop", [KEY], seen, max_age=timedelta(hours=5)),
        HmacSignatureVerifier(
            "ups", [KEY], seen, timestamp_header="X-Timestamp", id_header="X-Delivery"
        ),
        HmacSignatureVerifier("fedex", [KEY], seen, header="fdx-signature", encoding="base64"),
        OdooTokenVerifier("odoo", [KEY]),
    ]


NAMES = [
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "x-shopify-hmac-sha256",
    "x-shopify-webhook-id",
    "x-shopify-triggered-at",
    "x-signature",
    "x-timestamp",
    "x-delivery",
    "fdx-signature",
    "x-logisync-token",
    "content-type",
]
plausible_values = st.one_of(
    st.text(max_size=40),
    st.integers(0, 2**40).map(str),
    st.binary(min_size=0, max_size=40).map(lambda raw: base64.b64encode(raw).decode()),
    st.binary(min_size=32, max_size=32).map(lambda raw: "v1," + base64.b64encode(raw).decode()),
    st.binary(min_size=32, max_size=32).map(lambda raw: "sha256=" + raw.hex()),
    st.datetimes(timezones=st.just(UTC)).map(lambda moment: moment.isoformat()),
)
header_names = st.one_of(
    st.sampled_from(NAMES).flatmap(lambda name: st.sampled_from([name, name.upper()])),
    st.text(min_size=1, max_size=12),
)
any_headers = st.dictionaries(header_names, plausible_values, max_size=8)
any_query = st.dictionaries(st.sampled_from(["token", "key"]), plausible_values, max_size=2)


def outcome(
    verifier: Verifier, headers: dict[str, str], body: bytes, query: dict[str, str]
) -> VerifiedDelivery | WebhookRefused:
    try:
        return verifier.verify(headers, body, NOW, query)
    except WebhookRefused as refused:
        return refused


@given(headers=any_headers, body=st.binary(max_size=200), query=any_query)
def test_random_deliveries_are_accepted_or_refused_never_anything_else(
    headers: dict[str, str], body: bytes, query: dict[str, str]
) -> None:
    for verifier in verifiers():
        result = outcome(verifier, headers, body, query)
        if isinstance(result, WebhookRefused):
            assert result.status in (400, 401)
            assert result.reason
            assert KEY.decode() not in result.reason
        else:
            assert result.system == verifier.system


@given(
    delivery_id=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1),
    body=st.binary(max_size=300),
    age=st.integers(-300, 300),
)
def test_any_correctly_signed_standard_webhook_is_accepted(
    delivery_id: str, body: bytes, age: int
) -> None:
    stamp = str(int(NOW.timestamp()) - age)
    digest = hmac.new(KEY, f"{delivery_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    headers = {
        "webhook-id": delivery_id,
        "webhook-timestamp": stamp,
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }
    verifier = StandardWebhooksVerifier("tms", [SECRET], InMemorySeenDeliveries())
    assert verifier.verify(headers, body, NOW).outcome == "accepted"


@given(body=st.binary(max_size=300), data=st.data())
def test_any_change_to_a_signed_body_is_refused(body: bytes, data: st.DataObject) -> None:
    tampered = data.draw(st.binary(max_size=300).filter(lambda other: other != body))
    signature = hmac.new(KEY, body, hashlib.sha256).hexdigest()
    verifier = HmacSignatureVerifier("ups", [KEY], InMemorySeenDeliveries())
    assert verifier.verify({"X-Signature": signature}, body, NOW).outcome == "accepted"
    with pytest.raises(WebhookRefused) as refused:
        verifier.verify({"X-Signature": signature}, tampered, NOW)
    assert refused.value.kind == "signature_mismatch"
