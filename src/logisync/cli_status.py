"""``logisync status``: the hub on one screen, for the operator who was paged.

What is waiting (journal lag, parked entities), where it is stuck (each target's queue,
in-flight, dead letters, breaker and latency), what needs a person (open conflicts), and
whether the sources still talk (each source's last event, each poller's cursor, and how long
ago). ``--json`` gives the same figures in a stable shape for scripts and monitoring.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from logisync.cli_output import JsonOption, print_json

if TYPE_CHECKING:
    from rich.console import Console

    from logisync.core.ports import Store

PARKED_SHOWN = 10
QUANTILES = {"p50": 0.5, "p90": 0.9, "p99": 0.99}


def status(
    config: Annotated[Path | None, typer.Option(help="Configuration file")] = None,
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    as_json: JsonOption = False,
) -> None:
    """One screen: journal and lag, parked entities, each target's queue, in-flight, dead
    letters, breaker and latency, open conflicts, each source's last event, pollers' cursors."""
    from rich.console import Console

    from logisync.cli import open_hub

    report = hub_status(open_hub(config, store), datetime.now(UTC))
    if as_json:
        print_json(report)
        return
    render(Console(), report)


def hub_status(store: Store, now: datetime) -> dict[str, Any]:
    """The figures of ``status``, as its ``--json`` prints them."""
    from logisync.core.delivery.latency import quantile

    counts = store.counts()
    oldest = store.oldest_pending_received_at()
    parked = store.parked()
    health = {h.target: h for h in store.target_health()}
    latency = {h.target: h for h in store.delivery_latency()}
    targets = []
    for name in sorted(set(health) | set(latency)):
        queue, histogram = health.get(name), latency.get(name)
        targets.append(
            {
                "target": name,
                "queued": queue.queued if queue else 0,
                "in_flight": queue.in_flight if queue else 0,
                "dead": queue.dead if queue else 0,
                "oldest_queued_at": queue.oldest_queued_at if queue else None,
                "breaker": queue.breaker if queue else None,
                "delivered": histogram.count if histogram else 0,
                "latency_seconds": {
                    label: _finite(quantile(histogram.buckets, q) if histogram else None)
                    for label, q in QUANTILES.items()
                },
            }
        )
    return {
        "at": now.isoformat(),
        "journal": {
            "events": counts.journal,
            "pending_events": counts.pending_events,
            "pending_entities": counts.pending_entities,
            "oldest_pending_received_at": oldest,
            "lag_seconds": _seconds_since(oldest, now),
        },
        "entities": counts.entities,
        "deliveries_pending": counts.deliveries_pending,
        "conflicts_open": counts.conflicts_open,
        "parked": {
            "count": len(parked),
            "entities": [
                {
                    "entity_key": p.entity_key,
                    "first_seq": p.first_seq,
                    "reason": p.reason,
                    "parked_at": p.parked_at,
                }
                for p in parked[:PARKED_SHOWN]
            ],
        },
        "targets": targets,
        "sources": [
            {
                "source": a.source,
                "events": a.events,
                "last_received_at": a.last_received_at,
                "seconds_ago": _seconds_since(a.last_received_at, now),
            }
            for a in store.source_activity()
        ],
        "cursors": [
            {
                "source": c.source,
                "stream": c.stream,
                "position": c.position,
                "updated_at": c.updated_at,
                "seconds_ago": _seconds_since(c.updated_at, now),
            }
            for c in store.source_cursors()
        ],
    }


def _finite(bound: float | None) -> float | None:
    """JSON has no infinity: the open-ended bucket reads as ``null`` (beyond the last bound)."""
    return None if bound is None or bound == float("inf") else bound


def _seconds_since(text: str | None, now: datetime) -> float | None:
    try:
        then = datetime.fromisoformat(text) if text else None
    except ValueError:  # not a time the hub wrote: show it, but no age
        return None
    return None if then is None else round(max(0.0, (now - then).total_seconds()), 3)


def ago(seconds: float | None) -> str:
    """``42s``, ``5m``, ``3h``, ``2d`` ago; ``-`` for never."""
    if seconds is None:
        return "-"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return f"{int(seconds)}s ago"


def _latency(value: float | None) -> str:
    if value is None:
        return "-"
    return f"<={value * 1000:.0f}ms" if value < 1 else f"<={value:g}s"


def render(console: Console, report: dict[str, Any]) -> None:
    """Draw ``report`` (from ``hub_status``) as a few compact tables."""
    from rich.table import Table

    journal = report["journal"]
    lag = journal["lag_seconds"]
    console.print(
        f"[bold]logisync status[/] at {report['at'][:19]}Z  journal {journal['events']:,} "
        f"events, {journal['pending_events']:,} waiting "
        f"({journal['pending_entities']:,} entities, oldest {ago(lag)})  "
        f"entities {report['entities']:,}  "
        f"parked [{'red' if report['parked']['count'] else 'green'}]"
        f"{report['parked']['count']}[/]  open conflicts "
        f"[{'yellow' if report['conflicts_open'] else 'green'}]{report['conflicts_open']}[/]",
        highlight=False,
    )
    columns = ("target", "queued", "in flight", "dead", "oldest queued", "breaker", "delivered")
    targets = Table(*columns, *QUANTILES, title="deliveries", title_justify="left")
    for t in report["targets"]:
        breaker = t["breaker"] or "-"
        targets.add_row(
            t["target"],
            f"{t['queued']:,}",
            f"{t['in_flight']:,}",
            f"[red]{t['dead']:,}[/]" if t["dead"] else "0",
            (t["oldest_queued_at"] or "-")[:19],
            f"[red]{breaker}[/]" if breaker in ("open", "half_open") else breaker,
            f"{t['delivered']:,}",
            *(_latency(t["latency_seconds"][label]) for label in QUANTILES),
        )
    console.print(targets)
    sources = Table("source", "events", "last event", "poller's cursor", title="sources",
                    title_justify="left")  # fmt: skip
    for s in report["sources"]:
        sources.add_row(s["source"], f"{s['events']:,}", ago(s["seconds_ago"]), "")
    for c in report["cursors"]:
        position = json.dumps(c["position"], ensure_ascii=False, separators=(",", ":"))
        sources.add_row(
            f"{c['source']} ({c['stream']})", "", f"read {ago(c['seconds_ago'])}", position
        )
    console.print(sources)
    if report["parked"]["entities"]:
        parked = Table("parked entity", "at journal #", "since", "why", title_justify="left")
        for p in report["parked"]["entities"]:
            parked.add_row(p["entity_key"], str(p["first_seq"]), p["parked_at"][:19], p["reason"])
        console.print(parked)
