"""The demo hub's configuration: who owns what, which facts flow where, who may post webhooks.

Written as the same document a user writes in YAML (``HubConfig``), so the demo runs the
rules a real configuration gives; the systems' URLs are the simulators', known only once
they run, so the targets are built in ``world.py``.
"""

from __future__ import annotations

from typing import Any

from logisync.api.webhook_route import WebhookSystems
from logisync.config.model import HubConfig
from logisync.core.rules import Rules
from logisync.testing.carrier_hub.hub import HubCredentials
from logisync.testing.wms import DEFAULT_SECRET as WMS_SECRET

SHOP_SECRET = "demo-shop-app-secret"  # noqa: S105 - the simulated shop's own secret
MILESTONE_FIELD = "x_carrier_status"  # a Studio field on the Odoo delivery order

DOCUMENT: dict[str, Any] = {
    "systems": {
        "odoo": {"kind": "odoo"},
        "wms": {"kind": "wms"},
        "shop": {"kind": "shopify"},
        "ups": {"kind": "ups"},
        "fedex": {"kind": "fedex"},
        "finance": {"kind": "webhook"},
    },
    "ownership": {
        # The shop may fill in a new customer; once Odoo's customer service has set a field,
        # Odoo owns it and a later change from the shop is a conflict, not an overwrite.
        "partner": {"owner": "odoo", "policy": "fill_if_empty"},
        "sales_order": {
            "owner": "shop",
            "fields": {
                "status": {"owner": ["odoo", "wms"], "policy": "fill_if_empty"},
            },
        },
        "shipment": {"owner": "wms"},
        "shipment.status": {"owner": ["ups", "fedex"]},
        "stock_level": {"owner": "wms"},
        "invoice": {"owner": "finance"},
    },
    "flows": [
        {
            "name": "shop orders and customers into Odoo",
            "on": ["sales_order.*", "partner.*"],
            "from": ["shop"],
            "to": "odoo",
            "priority": "high",
        },
        {
            "name": "confirmed orders to the warehouse",
            "on": ["sales_order.confirmed"],
            "from": ["odoo"],
            "to": "wms",
            "priority": "high",
        },
        {"name": "shipments and milestones to Odoo", "on": ["shipment.*"], "to": "odoo"},
        {"name": "stock to Odoo", "on": ["stock.*"], "from": ["wms"], "to": "odoo"},
        {"name": "invoices to Odoo", "on": ["invoice.*"], "from": ["finance"], "to": "odoo"},
    ],
}


def demo_rules() -> Rules:
    return HubConfig.model_validate(DOCUMENT).rules()


def demo_webhooks(carriers: HubCredentials) -> WebhookSystems:
    """The senders the hub verifies: the shop (Shopify HMAC), the WMS (Standard Webhooks),
    UPS (its Track Alert key header) and FedEx (a base64 HMAC)."""
    secrets = {
        "env:SHOP": SHOP_SECRET,
        "env:WMS": WMS_SECRET,
        "env:UPS": carriers.ups_push_api_key,
        "env:FEDEX": carriers.fedex_webhook_token,
    }
    systems: dict[str, tuple[str, dict[str, Any]]] = {
        "shop": ("shopify", {"scheme": "shopify", "secret": "env:SHOP"}),
        "wms": ("wms", {"scheme": "standard_webhooks", "secrets": ["env:WMS"]}),
        "ups": ("ups", {"scheme": "api_key_header", "secret": "env:UPS"}),
        "fedex": (
            "fedex",
            {
                "scheme": "hmac_sha256",
                "secret": "env:FEDEX",
                "header": "fdx-signature",
                "encoding": "base64",
                "signature_prefix": "",
            },
        ),
    }
    return WebhookSystems(systems, secrets.__getitem__)
