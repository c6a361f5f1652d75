"""Run the demo day through a real hub (SQLite journal, processor, projections) and print it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from logisync.config import load_config
from logisync.core.journal import Journal
from logisync.core.ports import Store
from logisync.core.processor import Processor
from logisync.demo.scenario import CarrierScan, business_day
from logisync.store.sqlite import SqliteStore

EXAMPLE_CONFIG = Path(__file__).resolve().parents[1] / "examples" / "hub.yaml"


def run_demo(console: Console, db_path: Path, config_path: Path = EXAMPLE_CONFIG) -> int:
    config = load_config(config_path)
    store = SqliteStore(db_path)
    journal = Journal(store)
    processor = Processor(store, config.rules(), name="demo")
    console.rule("[bold]logisync demo: one business day through the hub")
    console.print(f"store: {db_path}   config: {config_path}\n")
    day = Table("time", "what happened", "from", "event type", "hub's answer", "processing")
    for description, sent in business_day():
        if isinstance(sent, CarrierScan):
            subject = store.resolve(sent.carrier, sent.tracking)
            if subject is None:
                day.add_row("", description, "ups", "", "[red]unknown tracking number", "")
                continue
            item = sent.event(subject)
        else:
            item = sent
        result = journal.append([item])[0]
        processor.run_until_idle()
        answer = "[yellow]duplicate: no-op" if result.duplicate else f"journaled #{result.seq}"
        day.add_row(
            item.time.strftime("%H:%M"),
            description,
            item.source,
            item.type,
            answer,
            "" if result.duplicate else _processing(store, item.subject, result.seq),
        )
    console.print(day)
    _print_entities(console, store)
    _print_conflicts(console, store)
    _print_deliveries(console, store)
    counts = store.counts()
    console.print(
        f"\njournal: {counts.journal} events   entities: {counts.entities}   "
        f"pending deliveries: {counts.deliveries_pending}   open conflicts: {counts.conflicts_open}"
    )
    store.close()
    return 0


def _processing(store: Store, subject: str, seq: int) -> str:
    marker = next((h for h in store.history(subject) if h.seq == seq), None)
    if marker is None:
        return "[red]not processed"
    colour = {"applied": "green", "corrected": "green", "partly_applied": "yellow"}.get(
        marker.outcome, "yellow"
    )
    notes = list(marker.detail.get("superseded", {}).values())
    notes += [f"{field}: {kind}" for field, kind in marker.detail.get("refused", {}).items()]
    return f"[{colour}]{marker.outcome}[/]" + (f" ({'; '.join(notes)})" if notes else "")


def _show(value: Any) -> str:
    if isinstance(value, dict):
        if "milestone" in value:
            return f"{value['milestone']} ({value.get('carrier_text', '')})"
        if "value" in value and "unit" in value:
            return f"{value['value']} {value['unit']}"
        if "amount" in value:
            return f"{value['amount']} {value['currency']}"
    if isinstance(value, list):
        return f"{len(value)} lines"
    return str(value)


def _print_entities(console: Console, store: Store) -> None:
    table = Table("entity", "version", "fields (who set them)", title="Projections")
    keys = [
        "partner:C1001",
        "sales_order:SO1001",
        "shipment:SH1001",
        "stock_level:WH1/SKU-DESK",
        "invoice:INV-2026-0815",
    ]
    for key in keys:
        projection = store.get_projection(key)
        if projection is None:
            continue
        shown = [
            f"{name} = {_show(value)} [dim]({projection.provenance[name]['system']})[/]"
            for name, value in projection.state.items()
            if name in projection.provenance and name not in ("lines",)
        ]
        ids = ", ".join(f"{link.system}:{link.external_id}" for link in store.identifiers(key))
        if ids:
            shown.append(f"[dim]known as {ids}[/]")
        table.add_row(key, str(projection.version), "\n".join(shown))
    console.print(table)


def _print_conflicts(console: Console, store: Store) -> None:
    table = Table(
        "entity",
        "field",
        "refused value",
        "from",
        "kept value",
        "owner",
        title="Conflicts (not applied)",
    )
    for c in store.conflicts():
        table.add_row(
            c.entity_key,
            c.field,
            _show(c.proposed_value),
            c.proposed_by,
            _show(c.current_value),
            c.current_source or "",
        )
    console.print(table)


def _print_deliveries(console: Console, store: Store) -> None:
    table = Table(
        "target",
        "flow",
        "mode",
        "entity",
        "version",
        "coalesced",
        title="Deliveries queued for the targets",
    )
    for d in store.deliveries():
        table.add_row(
            d.target, d.flow, d.mode, d.entity_key, str(d.entity_version), str(d.coalesced)
        )
    console.print(table)
