"""Which connector serves a configured system, by its ``kind``."""

from __future__ import annotations

from logisync.config import SystemConfig
from logisync.connectors.webhook import WebhookTarget
from logisync.core.delivery.connector import NullTarget, TargetConnector


def settings_issues(name: str, system: SystemConfig) -> list[tuple[tuple[str | int, ...], str]]:
    """What is wrong with the kind-specific keys of ``system`` (for ``check-config``)."""
    if system.kind == "odoo":
        from logisync.connectors.odoo.settings import settings_issues as odoo_issues

        return odoo_issues(name, system)
    if system.kind == "edifact":
        from logisync.connectors.edifact.settings import settings_issues as edifact_issues

        return edifact_issues(name, system)
    return []


def target_connector(system: SystemConfig, name: str = "") -> TargetConnector | None:
    """The delivery connector for ``system``, or ``None`` when its kind has none yet (the
    deliveries then wait in the store until one exists)."""
    if system.kind == "null":
        return NullTarget()
    if system.kind == "webhook" and system.url:
        batch = int(system.settings.get("batch", 100))
        return WebhookTarget(str(system.url), max_batch=batch)
    if system.kind == "odoo" and system.url:
        from logisync.connectors.odoo import odoo_target

        return odoo_target(name or system.kind, system)
    if system.kind == "edifact" and system.settings.get("outbox"):
        from logisync.connectors.edifact import edifact_target

        return edifact_target(name or system.kind, system)
    return None
