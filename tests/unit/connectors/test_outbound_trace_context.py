"""``connectors.tracing``: a delivery's calls carry its event's trace id with a new span id."""

from __future__ import annotations

from logisync.connectors.tracing import delivery_span, trace_headers, traced_item
from logisync.core.delivery.connector import DeliveryItem
from logisync.core.ports import DeliveryRecord

PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def item(traceparent: str | None, tracestate: str | None = None) -> DeliveryItem:
    record = DeliveryRecord(
        1, "wms", "f", "state", 1, "sales_order:SO1", 1, 1, "e1", "pending", 0, "2026", "2026", 0
    )
    return DeliveryItem(record, "k", {}, traceparent, tracestate)


def test_no_header_outside_a_delivery_or_for_an_untraced_event() -> None:
    assert trace_headers() == {}
    with delivery_span(item(None), "x"):
        assert trace_headers() == {}


def test_each_span_continues_the_trace_with_a_fresh_span_id() -> None:
    seen = set()
    for _ in range(3):
        with delivery_span(item(PARENT, "vendor=1"), "x"):
            headers = trace_headers()
        version, trace_id, span_id, flags = headers["traceparent"].split("-")
        assert (version, trace_id, flags) == ("00", PARENT.split("-")[1], "01")
        assert span_id not in {PARENT.split("-")[2], "0" * 16}
        assert headers["tracestate"] == "vendor=1"
        seen.add(span_id)
    assert len(seen) == 3
    assert trace_headers() == {}  # the span ended with the block


def test_a_batch_request_continues_the_first_traced_items_trace() -> None:
    assert traced_item([item(None), item(PARENT), item(None)]) == item(PARENT)
    assert traced_item([item(None)]) is None
