"""Outbound trace context: each call a connector makes for a delivery continues the trace of
the event that caused it (W3C ``traceparent``: the event's trace id, a new span id).

Built on the OpenTelemetry API, so that an application that installs the SDK
(``pip install logisync[otel]`` and the usual ``TracerProvider`` set-up) gets real spans,
exported wherever it says. Without the SDK the API's tracer records nothing and would hand
back the parent's span id; then a non-recording child span with a fresh random id stands in,
which is all a W3C header needs.

Connectors wrap the work for one delivery (or one batch request) in ``delivery_span`` and add
``trace_headers()`` to their HTTP requests; outside a delivery span it adds nothing (a poller's
requests are not part of any event's trace).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from logisync.core.delivery.connector import DeliveryItem

_PROPAGATOR = TraceContextTextMapPropagator()
_TRACER = trace.get_tracer("logisync.delivery")


def traced_item(items: Iterable[DeliveryItem]) -> DeliveryItem | None:
    """The item whose trace a batch request continues (a request has one traceparent): the
    first that has one."""
    return next((item for item in items if item.traceparent), None)


@contextmanager
def delivery_span(item: DeliveryItem | None, name: str) -> Iterator[None]:
    """Make a child span of ``item``'s originating event's trace current for the block."""
    if item is None or not item.traceparent:
        yield
        return
    carrier = {"traceparent": item.traceparent}
    if item.tracestate:
        carrier["tracestate"] = item.tracestate
    parent = _PROPAGATOR.extract(carrier)
    parent_span = trace.get_current_span(parent).get_span_context()
    if not parent_span.is_valid:
        yield
        return
    span = _TRACER.start_span(
        name,
        context=parent,
        kind=SpanKind.CLIENT,
        attributes={
            "logisync.entity": item.delivery.entity_key,
            "logisync.target": item.delivery.target,
        },
    )
    if span.get_span_context().span_id in (parent_span.span_id, 0):  # no SDK installed
        span = NonRecordingSpan(
            SpanContext(
                parent_span.trace_id,
                _new_span_id(),
                is_remote=False,
                trace_flags=parent_span.trace_flags,
                trace_state=parent_span.trace_state,
            )
        )
    with trace.use_span(span, end_on_exit=True):
        yield


def trace_headers() -> dict[str, str]:
    """``traceparent`` (and ``tracestate``) of the current span; empty outside a delivery."""
    carrier: dict[str, str] = {}
    if trace.get_current_span().get_span_context().is_valid:
        _PROPAGATOR.inject(carrier)
    return carrier


def _new_span_id() -> int:
    while True:
        span_id = secrets.randbits(64)
        if span_id:
            return span_id
