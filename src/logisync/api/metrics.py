"""``/metrics`` in the Prometheus text format.

Two kinds of figures: what this process saw (events ingested, requests refused, by reason) as
counters, and what the store says at scrape time (journal lag, queue depth and breaker per
target, delivery latency, active alerts), read by a collector so that every API process
reports the same hub-wide truth, whichever one is scraped.

The names (``logisync_<thing>_<unit>``; a count's unit is the thing counted, a counter ends in
``_total``, which prometheus-client appends to the names below):

* counters: ``logisync_events_ingested_total{source}``,
  ``logisync_events_duplicate_total{source}``, ``logisync_requests_rejected_total{reason}``;
* gauges: ``logisync_journal_events``, ``logisync_journal_lag_events``,
  ``logisync_parked_entities``, ``logisync_conflicts_open``,
  ``logisync_deliveries_queued{target}``, ``logisync_deliveries_in_flight{target}``,
  ``logisync_dead_letters{target}``, ``logisync_breaker_state{target,state}``,
  ``logisync_alerts_active{monitor}``;
* histogram: ``logisync_delivery_latency_seconds{target}``.

``deploy/grafana/logisync.json`` charts them; a test keeps its queries and these names in step.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterator

from fastapi import APIRouter, Request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from starlette.responses import Response

from logisync.core.delivery.latency import BUCKETS
from logisync.core.ports import Store

BREAKER_STATES = ("closed", "half_open", "open")

router = APIRouter(tags=["operations"])


class IntakeMetrics:
    """The counters the intake and webhook routes move."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.ingested = Counter(
            "logisync_events_ingested",
            "Events journaled by this process (repeats not counted)",
            ["source"],
            registry=registry,
        )
        self.duplicates = Counter(
            "logisync_events_duplicate",
            "Events answered as repeats of an event already journaled",
            ["source"],
            registry=registry,
        )
        self.rejected = Counter(
            "logisync_requests_rejected",
            "Requests or batch items refused, by problem type",
            ["reason"],
            registry=registry,
        )


class StoreCollector(Collector):
    def __init__(self, store: Store) -> None:
        self._store = store

    def collect(self) -> Iterator[GaugeMetricFamily | HistogramMetricFamily]:
        counts = self._store.counts()
        yield _gauge("logisync_journal_events", "Events in the journal", counts.journal)
        yield _gauge(
            "logisync_journal_lag_events",
            "Journaled events not yet processed into projections",
            counts.pending_events,
        )
        yield _gauge(
            "logisync_parked_entities",
            "Entities stopped at an event that could not be processed",
            counts.parked_entities,
        )
        yield _gauge("logisync_conflicts_open", "Open ownership conflicts", counts.conflicts_open)
        health = self._store.target_health()
        per_target = {
            "logisync_deliveries_queued": ("Deliveries waiting per target", "queued"),
            "logisync_deliveries_in_flight": ("Deliveries claimed by a worker", "in_flight"),
            "logisync_dead_letters": ("Dead letters per target, not replayed", "dead"),
        }
        for name, (text, field) in per_target.items():
            family = GaugeMetricFamily(name, text, labels=["target"])
            for target in health:
                family.add_metric([target.target], getattr(target, field))
            yield family
        breaker = GaugeMetricFamily(
            "logisync_breaker_state",
            "1 for the state each target's circuit breaker is in",
            labels=["target", "state"],
        )
        for target in health:
            for state in BREAKER_STATES:
                breaker.add_metric([target.target, state], (target.breaker or "closed") == state)
        yield breaker
        latency = HistogramMetricFamily(
            "logisync_delivery_latency_seconds",
            "From a delivery's creation (its event processed) to the target's acknowledgement",
            labels=["target"],
        )
        for histogram in self._store.delivery_latency():
            per_bound = dict(histogram.buckets)
            cumulative, running = [], 0
            for bound in BUCKETS:  # every bound, so that each scrape has the same series
                running += per_bound.get(bound, 0)
                cumulative.append(("+Inf" if bound == float("inf") else repr(bound), running))
            latency.add_metric([histogram.target], cumulative, histogram.seconds)
        yield latency
        alerts = GaugeMetricFamily(
            "logisync_alerts_active",
            "Business SLA alerts raised by a monitor and not cleared yet",
            labels=["monitor"],
        )
        for monitor, count in sorted(Tally(a.monitor for a in self._store.active_alerts()).items()):
            alerts.add_metric([monitor], count)
        yield alerts


def _gauge(name: str, text: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, text, value=value)


def registry_for(store: Store) -> tuple[CollectorRegistry, IntakeMetrics]:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(store))
    return registry, IntakeMetrics(registry)


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    registry: CollectorRegistry = request.app.state.hub.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
