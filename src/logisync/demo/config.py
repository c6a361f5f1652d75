"""The demo hub's configuration: who owns what, which facts flow where, who may post webhooks.

Written as the same document a user writes in YAML (``HubConfig``), so the demo runs the
rules a real configuration gives; the systems' URLs are the simulators', known only once
they run, so the targets are built in ``world.py``, and the EDI partner's folders are the
day's own (``demo_config``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from logisync.api.webhook_route import WebhookSystems
from logisync.config.model import HubConfig
from logisync.testing.carrier_hub.hub import HubCredentials
from logisync.testing.edi_partner import PartnerIdentity
from logisync.testing.tms import DEFAULT_SECRET as TMS_SECRET
from logisync.testing.wms import DEFAULT_SECRET as WMS_SECRET

SHOP_SECRET = "demo-shop-app-secret"  # noqa: S105 - the simulated shop's own secret
MILESTONE_FIELD = "x_carrier_status"  # a Studio field on the Odoo delivery order
EDI_PARTNER = PartnerIdentity()  # acme_retail: a retailer that orders by X12 850
FLEET = "own-fleet"  # the carrier the TMS plans routes for: it delivers the retailer's stores

DOCUMENT: dict[str, Any] = {
    "systems": {
        "odoo": {"kind": "odoo"},
        "wms": {"kind": "wms"},
        "shop": {"kind": "shopify"},
        "ups": {"kind": "ups"},
        "fedex": {"kind": "fedex"},
        "finance": {"kind": "webhook"},
        "tms": {"kind": "tms"},
        # its inbox/outbox are the day's folders: see demo_config
        EDI_PARTNER.name: {
            "kind": "x12",
            "sender_id": EDI_PARTNER.hub_id,
            "receiver_id": EDI_PARTNER.partner_id,
            "version": EDI_PARTNER.version,
            "usage": EDI_PARTNER.usage,
        },
    },
    "ownership": {
        # The shop may fill in a new customer; once Odoo's customer service has set a field,
        # Odoo owns it and a later change from the shop is a conflict, not an overwrite.
        "partner": {"owner": "odoo", "policy": "fill_if_empty"},
        "sales_order": {
            "owner": ["shop", EDI_PARTNER.name],  # web orders, and the retailer's 850s
            "fields": {
                "status": {"owner": ["odoo", "wms"], "policy": "fill_if_empty"},
            },
        },
        "shipment": {"owner": "wms"},
        "shipment.status": {"owner": ["ups", "fedex", "tms"]},
        "stock_level": {"owner": "wms"},
        "invoice": {"owner": "finance"},
    },
    "flows": [
        {
            "name": "shop and EDI orders and customers into Odoo",
            "on": ["sales_order.*", "partner.*"],
            "from": ["shop", EDI_PARTNER.name],
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
        {
            # Only the fleet delivers the retailer's stores, so "from the TMS" is "the
            # retailer's": each hand-over and proof of delivery goes out as an X12 214.
            "name": "fleet status to the retailer",
            "on": ["shipment.milestone_recorded"],
            "from": ["tms"],
            "to": EDI_PARTNER.name,
            "mode": "event",
        },
    ],
}


def demo_config(edi_folder: Path) -> HubConfig:
    """The configuration, with the retailer's folders under ``edi_folder``: it drops its
    interchanges in ``in/``; the hub moves them to ``processed/`` (or ``failed/``) and
    writes its 997s and 214s in ``out/``, where the retailer picks them up."""
    folders = {
        "inbox": str(edi_folder / "in"),
        "processed": str(edi_folder / "processed"),
        "failed": str(edi_folder / "failed"),
        "outbox": str(edi_folder / "out"),
        "quiet_seconds": 0,  # the partner writes under a hidden name, then renames
    }
    systems = dict(DOCUMENT["systems"])
    systems[EDI_PARTNER.name] = {**systems[EDI_PARTNER.name], **folders}
    return HubConfig.model_validate({**DOCUMENT, "systems": systems})


def demo_webhooks(carriers: HubCredentials) -> WebhookSystems:
    """The senders the hub verifies: the shop (Shopify HMAC), the WMS and the TMS (Standard
    Webhooks), UPS (its Track Alert key header) and FedEx (a base64 HMAC)."""
    secrets = {
        "env:SHOP": SHOP_SECRET,
        "env:WMS": WMS_SECRET,
        "env:TMS": TMS_SECRET,
        "env:UPS": carriers.ups_push_api_key,
        "env:FEDEX": carriers.fedex_webhook_token,
    }
    systems: dict[str, tuple[str, dict[str, Any]]] = {
        "shop": ("shopify", {"scheme": "shopify", "secret": "env:SHOP"}),
        "wms": ("wms", {"scheme": "standard_webhooks", "secrets": ["env:WMS"]}),
        "tms": ("tms", {"scheme": "standard_webhooks", "secrets": ["env:TMS"]}),
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
