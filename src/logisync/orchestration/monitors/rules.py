"""What a monitor watches, and ``evaluate``: the breaches that hold now, from store reads only.

Two kinds cover the field's questions without an expression language:

* ``StuckMonitor``: an entity has been in a status for longer than ``after`` and nothing has
  moved it on. "Moved on" is the status changing (the entity then no longer matches), or, with
  ``not_set_by``, the named system having reported the status since (the WMS acknowledging a
  released order re-states ``released`` as the WMS), or, with ``missing``, an entity of another
  domain for the same order reaching one of the given statuses (a shipment's invoice posted).
  The time counted is that of the fact that set the status (its provenance), not when the hub
  heard of it: a delivery reported three hours late is three hours old.
* ``SilentMonitor``: nothing was journaled from a source for longer than ``after`` (never
  counts as silent too).

Every read is indexed and bounded by ``limit``; a monitor that hit its limit reports itself
incomplete, and the runner then clears none of its alerts (an alert past the limit may hold).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from logisync.core.clock import utc_text
from logisync.core.ports import Breach, Store, StuckEntity


@dataclass(frozen=True)
class MonitorWebhook:
    """Where a monitor's raises and clears are POSTed, signed per Standard Webhooks."""

    url: str
    secret: str  # the signing secret itself (``whsec_...``), resolved from its reference


@dataclass(frozen=True)
class StuckMonitor:
    name: str
    entity: str  # a domain: shipment, sales_order, ...
    status: str
    after: timedelta
    not_set_by: str | None = None
    missing: tuple[str, tuple[str, ...]] | None = None  # (domain, statuses)
    webhook: MonitorWebhook | None = None
    limit: int = 1000


@dataclass(frozen=True)
class SilentMonitor:
    name: str
    source: str
    after: timedelta
    webhook: MonitorWebhook | None = None


Monitor = StuckMonitor | SilentMonitor


def evaluate_monitor(store: Store, monitor: Monitor, now: datetime) -> tuple[list[Breach], bool]:
    """The breaches of one monitor now, and whether they are all of them (not cut at limit)."""
    cutoff = utc_text(now - monitor.after)
    if isinstance(monitor, SilentMonitor):
        heard = store.last_heard(monitor.source)
        if heard is not None and heard > cutoff:
            return [], True
        since = "nothing ever received" if heard is None else f"last event at {heard}"
        detail = f"no event from {monitor.source} for {_span(monitor.after)} ({since})"
        return [Breach(monitor.name, f"source:{monitor.source}", detail)], True
    stuck = store.stuck_entities(
        monitor.entity,
        monitor.status,
        cutoff,
        limit=monitor.limit,
        not_set_by=monitor.not_set_by,
        missing=monitor.missing,
    )
    breaches = [
        Breach(monitor.name, entity.entity_key, _stuck_detail(monitor, entity)) for entity in stuck
    ]
    return breaches, len(stuck) < monitor.limit


def evaluate(store: Store, monitors: list[Monitor], now: datetime) -> list[Breach]:
    """Every breach of every monitor now (a pure function of the store's content and ``now``)."""
    return [breach for m in monitors for breach in evaluate_monitor(store, m, now)[0]]


def _stuck_detail(monitor: StuckMonitor, entity: StuckEntity) -> str:
    waiting = f"{monitor.entity} {monitor.status} since {entity.since}"
    order = entity.order_number
    if monitor.missing is not None:
        domain, statuses = monitor.missing
        of = f" for order {order}" if order else " (no order number to find it by)"
        return f"{waiting}, no {domain} {'/'.join(statuses)}{of}"
    if monitor.not_set_by is not None:
        return f"{waiting}, not confirmed by {monitor.not_set_by}"
    return f"{waiting}, longer than {_span(monitor.after)}"


def _span(after: timedelta) -> str:
    seconds = int(after.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
