"""The monitors a configuration declares (its ``monitors:`` section), ready to run."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from logisync.config.monitors import MonitorConfig
from logisync.orchestration.monitors.rules import (
    Monitor,
    MonitorWebhook,
    SilentMonitor,
    StuckMonitor,
)


def configured_monitors(
    monitors: Sequence[MonitorConfig], resolve: Callable[[str], str]
) -> list[Monitor]:
    """One monitor per entry, with webhook secrets read through ``resolve``
    (``logisync.config.resolve_secret``)."""
    built: list[Monitor] = []
    for m in monitors:
        hook = None
        if m.webhook is not None:
            hook = MonitorWebhook(m.webhook.url, resolve(m.webhook.secret))
        if m.source is not None:  # kind: silent (the config model holds each kind's shape)
            built.append(SilentMonitor(m.name, m.source, m.after, hook))
        elif m.entity is not None and m.in_ is not None:
            built.append(
                StuckMonitor(
                    m.name,
                    m.entity,
                    m.in_.status,
                    m.after,
                    not_set_by=m.until.reported_by if m.until else None,
                    missing=(m.missing.entity, m.missing.status) if m.missing else None,
                    webhook=hook,
                )
            )
    return built
