"""The ``verify`` block: each scheme builds its verifier; a bad block says exactly what is wrong."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from typing import Any

import pytest

from logisync.api.webhooks import (
    HmacSignatureVerifier,
    InMemorySeenDeliveries,
    OdooTokenVerifier,
    ShopifyVerifier,
    StandardWebhooksVerifier,
    parse_verify_settings,
    verifier_for,
)
from logisync.config import resolve_secret
from logisync.errors import InvalidConfig

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ENVIRON = {
    "SHOP_SECRET": "shop-secret",
    "SHOP_SECRET_OLD": "old-shop-secret",
    "TMS_SECRET": "whsec_" + base64.b64encode(b"tms-secret-of-24-bytes!!").decode(),
    "EMPTY": "",
}


def resolve(ref: str) -> str:
    return resolve_secret(ref, environ=ENVIRON)


def problems(verify: Any) -> list[str]:
    with pytest.raises(InvalidConfig) as invalid:
        verifier_for("shop", verify, resolve)
    assert "shop-secret" not in str(invalid.value)
    return [str(problem) for problem in invalid.value.problems]


@pytest.mark.parametrize(
    ("verify", "kind"),
    [
        ({"scheme": "standard_webhooks", "secret": "env:TMS_SECRET"}, StandardWebhooksVerifier),
        ({"scheme": "shopify", "secret": "env:SHOP_SECRET"}, ShopifyVerifier),
        ({"scheme": "hmac_sha256", "secret": "env:SHOP_SECRET"}, HmacSignatureVerifier),
        ({"scheme": "odoo_token", "secret": "env:SHOP_SECRET"}, OdooTokenVerifier),
    ],
)
def test_each_scheme_builds_its_verifier(verify: dict[str, Any], kind: type) -> None:
    built = verifier_for("shop", verify, resolve)
    assert isinstance(built, kind)
    assert built.system == "shop"


def test_the_example_hub_blocks_are_valid() -> None:
    assert parse_verify_settings("shop", {"scheme": "shopify", "secret": "env:X"})
    assert parse_verify_settings("ups", {"scheme": "hmac_sha256", "secret": "env:X"})


def test_secrets_for_rotation_are_resolved_and_all_accepted() -> None:
    verify = {
        "scheme": "shopify",
        "secrets": ["env:SHOP_SECRET_OLD", "env:SHOP_SECRET"],
        "max_age_seconds": 21600,
    }
    built = verifier_for("shop", verify, resolve, seen_deliveries=InMemorySeenDeliveries())
    for number, secret in enumerate(("old-shop-secret", "shop-secret")):
        digest = hmac.new(secret.encode(), b"{}", hashlib.sha256).digest()
        headers = {
            "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
            "X-Shopify-Webhook-Id": f"d-{number}",
            "X-Shopify-Triggered-At": "2026-03-01T11:00:00Z",
        }
        assert built.verify(headers, b"{}", NOW).outcome == "accepted"


def test_options_reach_the_verifier() -> None:
    verify = {
        "scheme": "hmac_sha256",
        "secret": "env:SHOP_SECRET",
        "header": "X-Hub-Signature-256",
        "timestamp_header": "X-Hub-Timestamp",
        "tolerance_seconds": 60,
    }
    built = verifier_for("shop", verify, resolve)
    stamp = str(int(NOW.timestamp()) - 61)
    digest = hmac.new(b"shop-secret", f"{stamp}.".encode() + b"{}", hashlib.sha256).hexdigest()
    headers = {"X-Hub-Signature-256": "sha256=" + digest, "X-Hub-Timestamp": stamp}
    with pytest.raises(Exception, match="61 s old, beyond the 60 s tolerance"):
        built.verify(headers, b"{}", NOW)


def test_a_shared_memory_keeps_ids_per_system() -> None:
    seen = InMemorySeenDeliveries()
    verify = {"scheme": "standard_webhooks", "secret": "env:TMS_SECRET"}
    key = base64.b64decode(ENVIRON["TMS_SECRET"].removeprefix("whsec_"))
    stamp = str(int(NOW.timestamp()))
    digest = hmac.new(key, f"msg_1.{stamp}.{{}}".encode(), hashlib.sha256).digest()
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": stamp,
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }
    outcomes = [
        verifier_for(system, verify, resolve, seen_deliveries=seen).verify(headers, b"{}", NOW)
        for system in ("tms", "wms", "tms")
    ]
    assert [delivery.outcome for delivery in outcomes] == ["accepted", "accepted", "duplicate"]


@pytest.mark.parametrize(
    ("verify", "expected"),
    [
        ("shopify", "systems.shop.verify: must be a mapping with a scheme: one of "),
        ({"secret": "env:X"}, "systems.shop.verify.scheme: the scheme is missing; use one of "),
        ({"scheme": "hmac"}, "systems.shop.verify.scheme: the scheme is not one the hub knows"),
        (
            {"scheme": "shopify"},
            "systems.shop.verify: give either secret (one reference) or secrets (a list, while",
        ),
        (
            {"scheme": "shopify", "secret": "env:A", "secrets": ["env:B"]},
            "systems.shop.verify: give either secret (one reference) or secrets",
        ),
        (
            {"scheme": "shopify", "secret": "shop-secret"},
            "systems.shop.verify.secret: secrets must be given by reference (env:NAME or",
        ),
        (
            {"scheme": "shopify", "secrets": ["env:A", "shop-secret"]},
            "systems.shop.verify.secrets.1: secrets must be given by reference",
        ),
        (
            {"scheme": "shopify", "secret": "env:A", "header": "X-Sig"},
            "systems.shop.verify.header: is not a setting of this scheme; its settings are ",
        ),
        (
            {"scheme": "hmac_sha256", "secret": "env:A", "header": "X Sig"},
            "systems.shop.verify.header: a header name is letters, digits and dashes, such as X-",
        ),
        (
            {"scheme": "standard_webhooks", "secret": "env:A", "tolerance_seconds": 0},
            "systems.shop.verify.tolerance_seconds: Input should be greater than or equal to 1",
        ),
        (
            {"scheme": "hmac_sha256", "secret": "env:A", "encoding": "hexadecimal"},
            "systems.shop.verify.encoding: Input should be 'hex' or 'base64'",
        ),
        (
            {"scheme": "odoo_token", "secret": "env:A", "query_parameter": None, "header": None},
            "systems.shop.verify: give query_parameter or header (or both) to carry the token",
        ),
    ],
)
def test_a_bad_block_is_reported_with_its_path(verify: Any, expected: str) -> None:
    assert problems(verify)[0].startswith(expected)


def test_an_unresolvable_or_unusable_secret_is_reported_when_building() -> None:
    missing = problems({"scheme": "shopify", "secret": "env:NOT_SET"})
    assert missing == [
        "systems.shop.verify: the environment variable NOT_SET is not set (needed by env:NOT_SET)"
    ]
    assert problems({"scheme": "shopify", "secret": "env:EMPTY"}) == [
        "systems.shop.verify.secret: the secret is empty"
    ]
    not_base64 = problems({"scheme": "standard_webhooks", "secret": "env:SHOP_SECRET"})
    assert not_base64[0].startswith("systems.shop.verify.secret: the secret is not base64")
