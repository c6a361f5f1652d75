"""Business SLA monitors: declared in the configuration, evaluated over store reads, recorded
as alerts that raise once and clear by themselves (see ``rules`` and ``runner``)."""

from logisync.orchestration.monitors.rules import (
    Monitor,
    MonitorWebhook,
    SilentMonitor,
    StuckMonitor,
    evaluate,
    evaluate_monitor,
)
from logisync.orchestration.monitors.runner import AlertNotifier, run_monitors

__all__ = [
    "AlertNotifier",
    "Monitor",
    "MonitorWebhook",
    "SilentMonitor",
    "StuckMonitor",
    "evaluate",
    "evaluate_monitor",
    "run_monitors",
]
