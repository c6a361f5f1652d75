"""``logisync trace <id>``: one business transaction as a timeline, from any number.

An operator has an order number, a tracking number as printed on the label, a correlation id
from a log line, an entity key or some system's own id. ``core.lookup.find`` resolves it; the
entries are ``api.trace``'s, the same the read API and the dashboard show. Personal data is
masked unless ``--show-pii``, which is audited like a privileged API read.
"""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from logisync.cli_exit import ExitCode, fail
from logisync.cli_output import JsonOption, print_json

if TYPE_CHECKING:
    from rich.console import Console

    from logisync.api.trace import Trace
    from logisync.core.lookup import Found
    from logisync.core.ports import Store

DATA_SHOWN = 90
"""Characters of an event's data shown in the timeline (``--json`` has all of it)."""


def trace(
    text: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Order or tracking number, correlation id, entity key, any system's id",
        ),
    ],
    config: Annotated[Path | None, typer.Option(help="Configuration file")] = None,
    store: Annotated[str | None, typer.Option(help="Store URL (default: the config's)")] = None,
    show_pii: Annotated[
        bool, typer.Option(help="Show personal data unmasked (audited; needs --reason)")
    ] = False,
    reason: Annotated[str | None, typer.Option(help="Why personal data is shown")] = None,
    as_json: JsonOption = False,
) -> None:
    """Everything the hub did for one business transaction (or one entity), in time order:
    events received and processed, deliveries routed and each attempt."""
    from logisync.api.disclosure import Disclosure
    from logisync.cli import open_hub
    from logisync.core.lookup import find

    if show_pii and not reason:
        fail(ExitCode.USAGE, "--show-pii needs --reason (it is kept in the audit log)")
    hub = open_hub(config, store)
    found = find(hub, text)
    if found.empty:
        fail(ExitCode.NOT_FOUND, f"nothing known as {text!r}")
    result = _one_trace(hub, found, Disclosure(reveal=show_pii))
    if result is None:
        _ambiguous(found, as_json)
    if show_pii:
        _audit_disclosure(hub, found.query, reason or "")
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    from rich.console import Console

    render(Console(), result, found)


def _one_trace(hub: Store, found: Found, disclosure: Any) -> Trace | None:
    """The one trace ``found`` names, or None when it names several transactions: the text
    is a correlation id itself; or all it matches share one transaction; or it is one entity
    whose transactions are then all shown."""
    from logisync.api.trace import build_entity_trace, build_trace

    cids, keys = found.correlation_ids, found.entity_keys
    if (cids and cids[0] == found.query) or len(cids) == 1:
        result = build_trace(hub, cids[0], disclosure)
    elif len(keys) == 1:
        result = build_entity_trace(hub, keys[0], disclosure)
    else:
        return None
    if result is None:  # known to the crosswalk, but nothing journaled or delivered yet
        fail(ExitCode.NOT_FOUND, f"{found.query!r} is known, but no event nor delivery of it")
    return result


def _ambiguous(found: Found, as_json: bool) -> NoReturn:
    if as_json:
        print_json(
            {
                "query": found.query,
                "ambiguous": True,
                "entity_keys": list(found.entity_keys),
                "correlation_ids": list(found.correlation_ids),
            }
        )
    else:
        typer.echo(f"{found.query!r} matches several transactions; trace one of these:")
        for key in found.entity_keys:
            typer.echo(f"  entity       {key}")
        for cid in found.correlation_ids:
            typer.echo(f"  transaction  {cid}")
    raise typer.Exit(int(ExitCode.AMBIGUOUS))


def _audit_disclosure(hub: Store, query: str, reason: str) -> None:
    from logisync.core.clock import utc_text
    from logisync.core.ports import AuditEntry

    entry = AuditEntry(
        utc_text(datetime.now(UTC)),
        f"cli:{getpass.getuser()}",
        "pii.read",
        f"trace:{query}",
        reason,
        {"command": "trace"},
        "cli",
    )
    hub.record_audit([entry])


def render(console: Console, result: Trace, found: Found) -> None:
    """The entries as a table: time, system, what, outcome."""
    from rich.table import Table
    from rich.text import Text

    title = f"{result.correlation_id}: {result.events} events, {result.deliveries} deliveries"
    table = Table("time (UTC)", "system", "what", "outcome", title=title, title_justify="left")
    for entry in result.entries:
        system, what, outcome, style = _row(entry.model_dump(mode="json"))
        table.add_row(entry.at[:23], system, Text(what), Text(outcome, style=style))
    console.print(table)
    others = [cid for cid in found.correlation_ids if cid != result.correlation_id]
    if len(found.entity_keys) == 1 and len(others) > 1:
        console.print(f"transactions of {found.entity_keys[0]}: {', '.join(others)}")


def _row(entry: dict[str, Any]) -> tuple[str, str, str, str]:
    kind = entry["kind"]
    if kind == "event.received":
        data = json.dumps(entry["data"], ensure_ascii=False, separators=(",", ":"))
        if len(data) > DATA_SHOWN:
            data = data[: DATA_SHOWN - 1] + "…"
        what = f"{entry['type']} {entry['subject']} {data}"
        return entry["source"], what, f"journaled #{entry['seq']}", ""
    if kind == "event.processed":
        detail = entry["detail"]
        why = detail.get("reason") or ", ".join(sorted(detail.get("changed", {})))
        what = f"processed #{entry['seq']} of {entry['subject']}"
        style = "green" if entry["outcome"] in ("applied", "corrected") else "yellow"
        return "hub", what, f"{entry['outcome']} {why}".strip(), style
    if kind == "delivery.created":
        what = f"delivery {entry['delivery_id']} routed ({entry['flow']}, {entry['mode']})"
        return entry["target"], what, entry["state"], ""
    what = f"attempt {entry['attempt']} of delivery {entry['delivery_id']}"
    if kind == "delivery.delivered":
        return entry["target"], what, f"delivered {entry['target_ref'] or ''}".strip(), "green"
    label = "dead-lettered" if kind == "delivery.dead_lettered" else "failed, will retry"
    return entry["target"], what, f"{label}: {entry['error'] or ''}", "red"
