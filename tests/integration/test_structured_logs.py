"""JSON log lines name what the work is about: processing lines carry the event, its entity and
correlation id; delivery lines add the target. Payload values never appear."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from logisync.core.clock import ManualClock
from logisync.core.delivery.connector import DeliveryItem, ItemResult
from logisync.core.delivery.worker import DeliveryWorker
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules
from logisync.logs import structured_formatter
from logisync.model import new_event
from logisync.store.sqlite import SqliteStore

EMAIL = "alice@example.com"
PROCESSOR, WORKER = "logisync.core.processor", "logisync.core.delivery.worker"
RULES = Rules(flows=(Flow("partners out", ("partner.*",), "erp", "event"),))


class RefusingTarget:
    max_batch = 10

    def deliver(self, items: list[DeliveryItem]) -> list[ItemResult]:
        return [ItemResult("permanent", error="422 from the target") for _ in items]


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """The hub's log lines as the JSON handler writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(structured_formatter(json=True))
    root = logging.getLogger("logisync")
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)  # setLevel, not .level: it clears the loggers' level caches
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)
    assert EMAIL not in stream.getvalue()


def test_processing_and_delivery_lines_carry_their_identifiers(
    tmp_path: Path, stream: io.StringIO
) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    clock = ManualClock()
    event = new_event(
        "partner.changed",
        {"ref": "C1", "email": EMAIL},
        source="shop",
        id="shop-1",
        time="2026-03-01T10:00:00Z",
        correlationid="order-flow-7",
    )
    Journal(store, clock).append([event])
    Processor(store, RULES, clock=clock).run_until_idle()
    DeliveryWorker(store, {"erp": RefusingTarget()}, clock=clock).run_until_idle()
    lines = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    store.close()
    processed = [line for line in lines if line["logger"] == PROCESSOR]
    delivered = [line for line in lines if line["logger"] == WORKER]
    assert processed and delivered
    for line in processed + delivered:
        assert line["event_id"] == "shop-1"
        assert line["entity"] == "partner:C1"
        assert line["correlation_id"] == "order-flow-7"
        assert line["time"].endswith("Z") and line["level"] in {"debug", "warning"}
    assert all(line["target"] == "erp" for line in delivered)
    assert "dead-letter" in delivered[-1]["message"] and delivered[-1]["level"] == "warning"
