"""Business SLA monitors end to end: real journal, processor and SQLite store; alerts raise
once, stay single, clear by themselves and raise again; their webhook notices reach a loopback
server signed per Standard Webhooks (checked by the hub's own verifier), and are retried."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from logisync.api.webhooks.seen_deliveries import InMemorySeenDeliveries
from logisync.api.webhooks.standard_webhooks import StandardWebhooksVerifier
from logisync.core.clock import ManualClock
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Rules
from logisync.model import new_event
from logisync.orchestration.monitors import (
    AlertNotifier,
    MonitorWebhook,
    SilentMonitor,
    StuckMonitor,
    evaluate,
    run_monitors,
)
from logisync.store.sqlite import SqliteStore

SECRET = "whsec_" + base64.b64encode(b"monitor-secret-0123456789").decode()
T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


class Receiver:
    """A loopback webhook receiver: records each POST; answers ``status`` (settable)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/alerts"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "hub.db")
    yield store
    store.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def journal(store: SqliteStore, at: datetime, *facts: tuple[str, dict[str, Any], str]) -> None:
    clock = ManualClock(at)
    events = [
        new_event(
            kind,
            data,
            source=source,
            id=f"{source}-{kind}-{data['number' if 'number' in data else 'shipment_number']}",
            time=at.isoformat(),
        )
        for kind, data, source in facts
    ]
    Journal(store, clock).append(events)
    Processor(store, Rules(), clock=clock).run_until_idle()


def not_invoiced(webhook: MonitorWebhook | None = None) -> StuckMonitor:
    return StuckMonitor(
        "delivered but not invoiced",
        "shipment",
        "delivered",
        timedelta(hours=2),
        missing=("invoice", ("posted", "paid")),
        webhook=webhook,
    )


def deliver_shipment(store: SqliteStore, number: str, order: str, at: datetime) -> None:
    journal(
        store,
        at,
        ("shipment.created", {"number": number, "order_number": order}, "odoo"),
        (
            "shipment.milestone_recorded",
            {"shipment_number": number, "milestone": "delivered", "occurred_at": at.isoformat()},
            "ups",
        ),
    )


def test_a_delivered_shipment_alerts_once_after_two_hours_and_clears_when_invoiced(
    store: SqliteStore,
) -> None:
    monitors = [not_invoiced()]
    deliver_shipment(store, "SH1", "SO1", T0)
    assert run_monitors(store, monitors, T0 + timedelta(minutes=119)).raised == ()
    raised = run_monitors(store, monitors, T0 + timedelta(hours=2)).raised
    assert [(a.monitor, a.subject) for a in raised] == [
        ("delivered but not invoiced", "shipment:SH1")
    ]
    assert "no invoice posted/paid for order SO1" in raised[0].detail
    for minutes in (1, 2, 3):  # the breach goes on: still one alert
        later = run_monitors(store, monitors, T0 + timedelta(hours=2, minutes=minutes))
        assert later.raised == later.cleared == ()
    assert len(store.active_alerts()) == 1
    journal(
        store,
        T0 + timedelta(hours=3),
        ("invoice.posted", {"number": "INV1", "order_number": "SO1"}, "odoo"),
    )
    cleared = run_monitors(store, monitors, T0 + timedelta(hours=3)).cleared
    assert [a.subject for a in cleared] == ["shipment:SH1"] and store.active_alerts() == []
    # A cancelled invoice no longer covers the shipment: the same breach raises a new alert.
    journal(
        store,
        T0 + timedelta(hours=4),
        ("invoice.cancelled", {"number": "INV1"}, "odoo"),
    )
    again = run_monitors(store, monitors, T0 + timedelta(hours=4)).raised
    assert [a.subject for a in again] == ["shipment:SH1"] and again[0].id != raised[0].id


def test_a_released_order_alerts_until_the_wms_acknowledges_it(store: SqliteStore) -> None:
    monitor = StuckMonitor(
        "released but not acknowledged",
        "sales_order",
        "released",
        timedelta(minutes=15),
        not_set_by="wms",
    )
    journal(
        store,
        T0,
        ("sales_order.placed", {"number": "SO1"}, "shop"),
        ("sales_order.released", {"number": "SO1"}, "odoo"),
    )
    assert evaluate(store, [monitor], T0 + timedelta(minutes=14)) == []
    [breach] = evaluate(store, [monitor], T0 + timedelta(minutes=15))
    assert breach.subject == "sales_order:SO1" and "not confirmed by wms" in breach.detail
    run_monitors(store, [monitor], T0 + timedelta(minutes=15))
    journal(
        store,
        T0 + timedelta(minutes=20),
        ("sales_order.fulfilment_accepted", {"number": "SO1"}, "wms"),
    )
    assert [
        a.subject for a in run_monitors(store, [monitor], T0 + timedelta(minutes=40)).cleared
    ] == ["sales_order:SO1"]


def test_a_silent_carrier_feed_alerts_and_clears_when_it_speaks_again(store: SqliteStore) -> None:
    monitor = SilentMonitor("ups silent", "ups", timedelta(minutes=30))
    deliver_shipment(store, "SH1", "SO1", T0)
    received = datetime.fromisoformat(store.last_heard("ups") or "")
    assert run_monitors(store, [monitor], received + timedelta(minutes=29)).raised == ()
    [alert] = run_monitors(store, [monitor], received + timedelta(minutes=31)).raised
    assert alert.subject == "source:ups" and "no event from ups for 30m" in alert.detail
    deliver_shipment(store, "SH2", "SO2", received + timedelta(minutes=40))
    cleared = run_monitors(store, [monitor], received + timedelta(minutes=41)).cleared
    assert [a.id for a in cleared] == [alert.id]


def test_webhook_notices_are_signed_retried_and_sent_once(
    store: SqliteStore, receiver: Receiver
) -> None:
    monitors = [not_invoiced(MonitorWebhook(receiver.url, SECRET))]
    notifier = AlertNotifier(max_attempts=5)
    deliver_shipment(store, "SH1", "SO1", T0)
    receiver.status = 503
    late = T0 + timedelta(hours=2)
    run_monitors(store, monitors, late, notifier)
    assert len(receiver.received) == 1 and store.alerts_to_notify()[0].notice_attempts == 1
    receiver.status = 200
    run_monitors(store, monitors, late + timedelta(minutes=1), notifier)  # retried
    run_monitors(store, monitors, late + timedelta(minutes=2), notifier)  # nothing new
    assert len(receiver.received) == 2 and store.alerts_to_notify() == []
    journal(store, late, ("invoice.posted", {"number": "INV1", "order_number": "SO1"}, "odoo"))
    run_monitors(store, monitors, late + timedelta(minutes=3), notifier)
    verifier = StandardWebhooksVerifier("alerts", [SECRET], InMemorySeenDeliveries())
    kinds = []
    for headers, body in receiver.received[1:]:
        sent_at = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
        assert verifier.verify(headers, body, sent_at).outcome == "accepted"
        notice = json.loads(body)
        assert notice["data"]["subject"] == "shipment:SH1"
        kinds.append(notice["type"])
    assert kinds == ["logisync.alert.raised", "logisync.alert.cleared"]
    tampered = {**receiver.received[1][0], "webhook-id": "other"}
    with pytest.raises(Exception, match="signature"):
        StandardWebhooksVerifier("alerts", [SECRET], InMemorySeenDeliveries()).verify(
            tampered, receiver.received[1][1], T0 + timedelta(hours=2, minutes=1)
        )


def test_a_notice_is_given_up_after_its_attempts(store: SqliteStore, receiver: Receiver) -> None:
    monitors = [not_invoiced(MonitorWebhook(receiver.url, SECRET))]
    receiver.status = 500
    deliver_shipment(store, "SH1", "SO1", T0)
    for minute in range(3):
        run_monitors(
            store, monitors, T0 + timedelta(hours=2, minutes=minute), AlertNotifier(max_attempts=2)
        )
    assert len(receiver.received) == 2 and store.alerts_to_notify() == []
    assert len(store.active_alerts()) == 1  # the alert itself stands
