"""A Shopify system's configuration: what check-config reports, what the registry builds."""

from __future__ import annotations

import pytest

from logisync.config import SystemConfig
from logisync.connectors.registry import settings_issues, target_connector
from logisync.connectors.shopify import ShopifyTarget
from logisync.errors import InvalidConfig


def shop(**keys: object) -> SystemConfig:
    base: dict[str, object] = {
        "kind": "shopify",
        "url": "https://logisync-demo.myshopify.com",
        "version": "2025-07",
        "token": "env:SHOPIFY_TOKEN",
    }
    return SystemConfig.model_validate({**base, **keys})


def test_a_complete_entry_has_no_issues_and_builds_the_target(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHOPIFY_TOKEN", "shpat_x")
    system = shop(notify_customer=True, verify={"scheme": "shopify", "secret": "env:S"})
    assert settings_issues("shop", system) == []
    target = target_connector(system, "shop")
    assert isinstance(target, ShopifyTarget) and target.notify_customer
    assert target.graphql.endpoint.endswith("/admin/api/2025-07/graphql.json")


def test_each_mistake_is_named_where_it_is() -> None:
    system = shop(version="2025-05", token=None, notify_on_ship=True, batch=500)
    issues = dict(settings_issues("shop", system))
    assert "YYYY-01" in issues[("systems", "shop", "version")]
    assert "access token" in issues[("systems", "shop", "token")]
    assert "not a setting" in issues[("systems", "shop", "notify_on_ship")]
    assert ("systems", "shop", "batch") in issues
    with pytest.raises(InvalidConfig):
        target_connector(system, "shop")


def test_the_token_may_be_given_as_api_key_and_the_version_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHOP_KEY", "shpat_y")
    system = shop(token=None, api_key="env:SHOP_KEY", version=None)
    assert settings_issues("shop", system) == []
    target = target_connector(system, "shop")
    assert isinstance(target, ShopifyTarget)
    assert "/admin/api/2025-07/" in target.graphql.endpoint


def test_a_shop_that_only_posts_webhooks_needs_no_token() -> None:
    system = shop(url=None, token=None, version=None)
    assert settings_issues("shop", system) == []
    assert target_connector(system, "shop") is None
