"""One monitor tick: evaluate, record alerts (raise once, clear by themselves), send notices.

``run_monitors`` is what ``logisync monitor`` runs in a loop and what a worker process may call
on its own schedule. Recording is one store transaction per tick; webhook notices are sent
after it from the store's outbox (``alerts_to_notify``), so a crash between the two sends them
on the next tick, and a notice that fails is retried on every tick until ``max_attempts``.
A receiver may see a notice twice (at-least-once); ``webhook-id`` is stable per alert and
notice, so it can drop the repeat.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

import httpx
import orjson

from logisync.connectors.webhook.signing import signed_headers
from logisync.core.log_context import bound
from logisync.core.ports import Alert, AlertChanges, Breach, Store
from logisync.orchestration.monitors.rules import Monitor, evaluate_monitor

log = logging.getLogger(__name__)


def run_monitors(
    store: Store,
    monitors: Sequence[Monitor],
    now: datetime,
    notifier: AlertNotifier | None = None,
) -> AlertChanges:
    """Evaluate every monitor, record what was raised and cleared, then send due notices."""
    breaches: list[Breach] = []
    complete: list[str] = []
    for monitor in monitors:
        found, whole = evaluate_monitor(store, monitor, now)
        breaches.extend(found)
        if whole:
            complete.append(monitor.name)
        else:
            log.warning(
                "monitor %s found more breaches than it reads per tick; none cleared this tick",
                monitor.name,
                extra={"monitor": monitor.name},
            )
    notify = [m.name for m in monitors if m.webhook is not None]
    changes = store.record_alerts(complete, breaches, now, notify)
    for alert in changes.raised:
        with bound(monitor=alert.monitor, subject=alert.subject):
            log.warning("alert raised: %s", alert.detail)
    for alert in changes.cleared:
        with bound(monitor=alert.monitor, subject=alert.subject):
            log.info("alert cleared (raised at %s)", alert.raised_at)
    if notifier is not None:
        notifier.send_due(store, monitors, now)
    return changes


class AlertNotifier:
    """Sends alert notices to each monitor's webhook, signed per Standard Webhooks."""

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        max_attempts: int = 20,
        timeout_seconds: float = 10.0,
    ) -> None:
        self._client = client or httpx.Client(timeout=timeout_seconds)
        self.max_attempts = max_attempts

    def send_due(self, store: Store, monitors: Sequence[Monitor], now: datetime) -> int:
        """Send every due notice once; return how many were delivered."""
        by_name = {monitor.name: monitor for monitor in monitors}
        delivered = 0
        for alert in store.alerts_to_notify():
            notice = alert.notice or "raise"
            monitor = by_name.get(alert.monitor)
            if monitor is None or monitor.webhook is None:  # no longer configured to notify
                store.finish_notice(alert.id, notice, sent=False, give_up=True)
                continue
            sent = self._post(monitor.webhook.url, monitor.webhook.secret, alert, notice, now)
            give_up = not sent and alert.notice_attempts + 1 >= self.max_attempts
            if give_up:
                log.error(
                    "gave up sending the %s notice of alert %d after %d attempts",
                    notice,
                    alert.id,
                    self.max_attempts,
                    extra={"monitor": alert.monitor, "subject": alert.subject},
                )
            store.finish_notice(alert.id, notice, sent=sent, give_up=give_up)
            delivered += sent
        return delivered

    def _post(self, url: str, secret: str, alert: Alert, notice: str, now: datetime) -> bool:
        body = orjson.dumps(
            {
                "type": f"logisync.alert.{'raised' if notice == 'raise' else 'cleared'}",
                "timestamp": now.isoformat(),
                "data": {
                    "alert_id": alert.id,
                    "monitor": alert.monitor,
                    "subject": alert.subject,
                    "detail": alert.detail,
                    "raised_at": alert.raised_at,
                    "cleared_at": alert.cleared_at,
                },
            }
        )
        headers = signed_headers(secret, f"alert-{alert.id}-{notice}", int(now.timestamp()), body)
        try:
            response = self._client.post(
                url, content=body, headers={**headers, "content-type": "application/json"}
            )
        except httpx.HTTPError as failure:
            log.warning(
                "alert notice to %s failed: %s",
                url,
                type(failure).__name__,
                extra={"monitor": alert.monitor},
            )
            return False
        if response.is_success:
            return True
        log.warning(
            "alert notice to %s answered %d",
            url,
            response.status_code,
            extra={"monitor": alert.monitor},
        )
        return False
