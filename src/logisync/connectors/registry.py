"""Which connector serves a configured system, by its ``kind``."""

from __future__ import annotations

from logisync.config import SystemConfig
from logisync.connectors.webhook import WebhookTarget
from logisync.core.delivery.connector import NullTarget, TargetConnector
from logisync.core.ports import Store


def settings_issues(name: str, system: SystemConfig) -> list[tuple[tuple[str | int, ...], str]]:
    """What is wrong with the kind-specific keys of ``system`` (for ``check-config``)."""
    if system.kind == "odoo":
        from logisync.connectors.odoo.settings import settings_issues as odoo_issues

        return odoo_issues(name, system)
    if system.kind == "x12":
        from logisync.connectors.x12.settings import settings_issues as x12_issues

        return x12_issues(name, system)
    if system.kind == "shopify":
        from logisync.connectors.shopify import settings_issues as shopify_issues

        return shopify_issues(name, system)
    if system.kind == "edifact":
        from logisync.connectors.edifact.settings import settings_issues as edifact_issues

        return edifact_issues(name, system)
    if system.kind in ("csv", "xlsx"):
        from logisync.connectors.files import settings_issues as file_issues

        return file_issues(name, system)
    if system.kind in ("ups", "fedex", "dhl", "usps"):
        from logisync.connectors.carriers.settings import settings_issues as carrier_issues

        return carrier_issues(name, system)
    if system.kind == "wms":
        from logisync.connectors.wms.settings import settings_issues as wms_issues

        return wms_issues(name, system)
    if system.kind == "nats":
        from logisync.connectors.nats.settings import settings_issues as nats_issues

        return nats_issues(name, system)
    return []


def target_connector(
    system: SystemConfig, name: str = "", store: Store | None = None
) -> TargetConnector | None:
    """The delivery connector for ``system``, or ``None`` when its kind has none yet (the
    deliveries then wait in the store until one exists). ``store`` keeps the counters of
    connectors that number what they send (X12 control numbers)."""
    if system.kind == "null":
        return NullTarget()
    if system.kind == "webhook" and system.url:
        batch = int(system.settings.get("batch", 100))
        return WebhookTarget(str(system.url), max_batch=batch)
    if system.kind == "odoo" and system.url:
        from logisync.connectors.odoo import odoo_target

        return odoo_target(name or system.kind, system)
    if system.kind == "x12" and store is not None:
        from logisync.connectors.x12.target import x12_target

        return x12_target(name or system.kind, system, store)
    if system.kind == "shopify" and system.url:
        from logisync.connectors.shopify import shopify_target

        return shopify_target(name or system.kind, system)
    if system.kind == "edifact" and system.settings.get("outbox"):
        from logisync.connectors.edifact import edifact_target

        return edifact_target(name or system.kind, system, store)
    if system.kind == "wms" and system.url:
        from logisync.connectors.wms.target import wms_target

        return wms_target(name or system.kind, system)
    if system.kind == "nats":
        from logisync.connectors.nats.target import nats_target

        return nats_target(name or system.kind, system)
    return None
