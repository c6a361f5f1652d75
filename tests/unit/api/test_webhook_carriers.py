"""Carrier pushes: UPS's x-api-key credential, FedEx's base64 fdx-signature, and the adapters
registered for the ups, fedex, dhl and usps kinds."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from pathlib import Path

import pytest

from logisync.api.webhooks import (
    ApiKeyHeaderVerifier,
    HmacSignatureVerifier,
    WebhookRefused,
    adapter_for,
    verifier_for,
)
from logisync.api.webhooks.verdict import VerifiedDelivery
from logisync.core.subjects import with_subject
from logisync.model import parse_event

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
GOLDEN = Path(__file__).parents[2] / "golden" / "carriers"
SECRETS = {"env:UPS_PUSH_KEY": "ups-push-credential", "env:FEDEX_TOKEN": "fedex-security-token"}


def resolve(ref: str) -> str:
    return SECRETS[ref]


def test_ups_push_is_accepted_with_its_static_credential_only() -> None:
    check = verifier_for("ups", {"scheme": "api_key_header", "secret": "env:UPS_PUSH_KEY"}, resolve)
    assert isinstance(check, ApiKeyHeaderVerifier)
    body = (GOLDEN / "ups_track_alert.json").read_bytes()
    headers = {"X-API-Key": "ups-push-credential", "User-Agent": "UPSPubSubTrackingService"}
    assert check.verify(headers, body, NOW).outcome == "accepted"
    with pytest.raises(WebhookRefused) as wrong:
        check.verify({"x-api-key": "guess"}, body, NOW)
    assert wrong.value.status == 401 and "ups-push-credential" not in str(wrong.value)
    with pytest.raises(WebhookRefused) as missing:
        check.verify({}, body, NOW)
    assert missing.value.kind == "missing_signature"


def test_api_key_header_accepts_either_secret_while_rotating() -> None:
    check = ApiKeyHeaderVerifier("ups", ["old-key", "new-key"], header="X-Ups-Credential")
    for key in ("old-key", "new-key"):
        assert check.verify({"x-ups-credential": key}, b"{}", NOW).system == "ups"


def test_fedex_push_is_signed_with_base64_hmac_sha256() -> None:
    verify = {
        "scheme": "hmac_sha256",
        "secret": "env:FEDEX_TOKEN",
        "header": "fdx-signature",
        "encoding": "base64",
        "signature_prefix": "",
    }
    check = verifier_for("fedex", verify, resolve)
    assert isinstance(check, HmacSignatureVerifier)
    body = (GOLDEN / "fedex_track_response.json").read_bytes()
    digest = hmac.new(b"fedex-security-token", body, hashlib.sha256).digest()
    signature = base64.b64encode(digest).decode()
    assert check.verify({"fdx-signature": signature}, body, NOW).outcome == "accepted"
    with pytest.raises(WebhookRefused):
        check.verify({"fdx-signature": signature}, body + b" ", NOW)


@pytest.mark.parametrize(
    ("kind", "golden", "count"),
    [
        ("ups", "ups_track_alert.json", 1),
        ("fedex", "fedex_track_response.json", 5),
        ("dhl", "dhl_tracking_response.json", 6),
        ("usps", "usps_tracking_response.json", 4),
    ],
)
def test_each_carrier_kind_adapts_its_payload(kind: str, golden: str, count: int) -> None:
    delivery = VerifiedDelivery(
        system=kind,
        body=(GOLDEN / golden).read_bytes(),
        headers={"content-type": "application/json"},
        received_at=NOW,
    )
    adapted = adapter_for(kind)(delivery)
    assert adapted.problems == []
    assert len(adapted.events) == count
    events = [parse_event(with_subject(d, lambda s, n: None)) for d in adapted.events]
    assert all(e.type == "shipment.milestone_recorded" and e.source == kind for e in events)


def test_a_carrier_adapter_reports_a_bad_body_without_raising() -> None:
    delivery = VerifiedDelivery(
        system="ups", body=b"<xml/>", headers={"content-type": "application/json"}, received_at=NOW
    )
    adapted = adapter_for("ups")(delivery)
    assert adapted.events == [] and "not JSON" in adapted.problems[0].message
