"""Flow health: per source and per target, what went through in the last minutes, how late
the queues are and whether the breaker is open, with a sparkline per series.

The series come from the store (journal receive times, and the per-minute outcome counts that
each delivery commit adds to), so every hub process draws the same chart and a restart loses
nothing; nothing is counted in memory here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup

from logisync.core.clock import utc_text
from logisync.core.ports import Store, StoreCounts


@dataclass(frozen=True)
class SourceFlow:
    source: str
    per_minute: list[int]

    @property
    def total(self) -> int:
        return sum(self.per_minute)


@dataclass(frozen=True)
class TargetFlow:
    target: str
    delivered: list[int]
    retried: list[int]
    dead_per_minute: list[int]
    queued: int
    in_flight: int
    dead: int
    lag_seconds: float | None  # age of the oldest queued delivery
    breaker: str
    mean_latency_seconds: float | None

    @property
    def retry_rate(self) -> float | None:
        tries = sum(self.delivered) + sum(self.retried) + sum(self.dead_per_minute)
        return None if tries == 0 else sum(self.retried) / tries


@dataclass(frozen=True)
class FlowHealth:
    minutes: list[str]
    sources: list[SourceFlow]
    targets: list[TargetFlow]
    counts: StoreCounts


def flow_health(store: Store, now: datetime, window_minutes: int) -> FlowHealth:
    start = now.replace(second=0, microsecond=0) - timedelta(minutes=window_minutes - 1)
    minutes = [utc_text(start + timedelta(minutes=n))[:16] for n in range(window_minutes)]
    slot = {minute: n for n, minute in enumerate(minutes)}
    since = utc_text(start)
    received: dict[str, list[int]] = {}
    for row in store.received_per_minute(since):
        if row.minute in slot:
            received.setdefault(row.source, [0] * window_minutes)[slot[row.minute]] += row.received
    outcomes: dict[str, list[list[float]]] = {}
    for entry in store.deliveries_per_minute(since):
        if entry.minute not in slot:
            continue
        series = outcomes.setdefault(entry.target, [[0] * window_minutes for _ in range(4)])
        at = slot[entry.minute]
        series[0][at] += entry.delivered
        series[1][at] += entry.retried
        series[2][at] += entry.dead
        series[3][at] += entry.latency_seconds
    targets = []
    health = {h.target: h for h in store.target_health()}
    for name in sorted(set(health) | set(outcomes)):
        h = health.get(name)
        delivered, retried, dead, latency = outcomes.get(
            name, [[0] * window_minutes for _ in range(4)]
        )
        count = sum(delivered)
        oldest = h.oldest_queued_at if h else None
        targets.append(
            TargetFlow(
                target=name,
                delivered=[int(v) for v in delivered],
                retried=[int(v) for v in retried],
                dead_per_minute=[int(v) for v in dead],
                queued=h.queued if h else 0,
                in_flight=h.in_flight if h else 0,
                dead=h.dead if h else 0,
                lag_seconds=None
                if oldest is None
                else max(0.0, (now - datetime.fromisoformat(oldest)).total_seconds()),
                breaker=(h.breaker if h else None) or "closed",
                mean_latency_seconds=sum(latency) / count if count else None,
            )
        )
    sources = [SourceFlow(name, series) for name, series in sorted(received.items())]
    return FlowHealth(minutes, sources, targets, store.counts())


def sparkline(values: list[int] | list[float], width: int = 120, height: int = 24) -> Markup:
    """An inline SVG polyline of ``values`` scaled to the largest (a flat line when all zero);
    its title tells the peak, for screen readers and hover."""
    peak = max(values, default=0) or 1
    step = width / max(1, len(values) - 1)
    points = " ".join(
        f"{n * step:.1f},{height - 1 - (value / peak) * (height - 2):.1f}"
        for n, value in enumerate(values)
    )
    title = f"peak {max(values, default=0):g} per minute, now {values[-1] if values else 0:g}"
    # Only numbers we formatted go into the markup: nothing from a sender or a user.
    return Markup(  # noqa: S704
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{title}"><title>{title}</title>'
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/>'
        "</svg>"
    )
