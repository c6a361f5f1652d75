"""``logisync deliver``, ``logisync dlq ...`` and ``logisync redrive``."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

dlq_app = typer.Typer(no_args_is_help=True, help="The dead-letter queue: list, show, replay.")

ConfigOption = Annotated[Path | None, typer.Option(help="Configuration file")]
StoreOption = Annotated[str | None, typer.Option(help="Store URL (default: the config's)")]


def _store(config: Path | None, store: str | None):  # type: ignore[no-untyped-def]
    from logisync.cli import _open

    return _open(config, store)


@dlq_app.command("list")
def dlq_list(
    config: ConfigOption = None,
    store: StoreOption = None,
    target: Annotated[str | None, typer.Option(help="Only this target")] = None,
) -> None:
    """Dead deliveries, oldest first."""
    for letter in _store(config, store).dead_letters(target):
        typer.echo(
            f"{letter.delivery_id}\t{letter.target}\t{letter.entity_key}\t"
            f"{letter.attempts} attempts\t{letter.dead_at}\t{letter.last_error}"
        )


@dlq_app.command("show")
def dlq_show(
    delivery_id: Annotated[int, typer.Argument(help="The dead delivery's id (see dlq list)")],
    config: ConfigOption = None,
    store: StoreOption = None,
) -> None:
    """One dead delivery with its attempt history."""
    hub = _store(config, store)
    letter = next((d for d in hub.dead_letters(state=None) if d.delivery_id == delivery_id), None)
    if letter is None:
        typer.echo(f"no dead letter {delivery_id}", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"delivery {letter.delivery_id} to {letter.target} ({letter.flow}): "
        f"{letter.entity_key}, event {letter.event_id}, {letter.state}"
    )
    for number, at, outcome, detail in hub.attempts(delivery_id):
        typer.echo(f"  attempt {number} at {at}: {outcome} {detail or ''}")


@dlq_app.command("replay")
def dlq_replay(
    reason: Annotated[str, typer.Option(help="Why: kept in the audit log")],
    delivery_id: Annotated[
        int | None, typer.Argument(help="One dead delivery's id (see dlq list)")
    ] = None,
    config: ConfigOption = None,
    store: StoreOption = None,
    current: Annotated[
        bool,
        typer.Option(help="Send the entity's current state instead of the event as it was sent"),
    ] = False,
    target: Annotated[str | None, typer.Option(help="All dead deliveries to this target")] = None,
    event_type: Annotated[str | None, typer.Option(help="... of this event type")] = None,
    error: Annotated[str | None, typer.Option(help="... whose error contains this")] = None,
    since: Annotated[str | None, typer.Option(help="... dead since (UTC ISO time)")] = None,
    until: Annotated[str | None, typer.Option(help="... dead before (UTC ISO time)")] = None,
) -> None:
    """Queue one dead delivery, or all that match the filters, again; each replay is audited
    with who and why."""
    hub = _store(config, store)
    if delivery_id is not None:
        ids = [delivery_id]
    elif any(f is not None for f in (target, event_type, error, since, until)):
        ids = hub.find_dead_letters(
            target=target, event_type=event_type, error=error, since=since, until=until
        )
    else:
        typer.echo("name a delivery id or at least one filter", err=True)
        raise typer.Exit(2)
    actor, now = getpass.getuser(), datetime.now(UTC)
    replayed = [
        i
        for i in ids
        if hub.replay_dead_letter(i, current=current, actor=actor, reason=reason, now=now)
    ]
    typer.echo(f"queued again: {len(replayed)} of {len(ids)}")
    if len(replayed) < len(ids):
        typer.echo(
            "the others are no longer dead, or a newer state of their entity is queued", err=True
        )
        raise typer.Exit(1)


def redrive(
    target: Annotated[str, typer.Argument(help="The target system to send everything to again")],
    reason: Annotated[str, typer.Option(help="Why: kept in the audit log")],
    config: ConfigOption = None,
    store: StoreOption = None,
    domain: Annotated[str | None, typer.Option(help="Only entities of this domain")] = None,
) -> None:
    """Re-deliver the current state of every entity to a target (e.g. after a restore)."""
    queued = _store(config, store).redrive(
        target, domain=domain, actor=getpass.getuser(), reason=reason, now=datetime.now(UTC)
    )
    typer.echo(f"queued {queued} entities for {target}")


def deliver(
    config: Annotated[Path, typer.Option(help="Configuration file")],
    store: StoreOption = None,
    until_idle: Annotated[bool, typer.Option(help="Stop when nothing is due")] = False,
    lease: Annotated[float, typer.Option(help="Claim lease in seconds")] = 60.0,
) -> None:
    """Run the delivery worker for every flow target that has a connector."""
    import time

    from logisync.logs import configure_logging

    configure_logging()

    from logisync.config import load_config
    from logisync.config.audit import record_config
    from logisync.connectors.registry import target_connector
    from logisync.core.delivery import BreakerSettings, CircuitBreaker, TokenBucket
    from logisync.core.delivery.gate import TargetGate
    from logisync.core.delivery.worker import DeliverySettings, DeliveryWorker
    from logisync.store import open_store

    settings = load_config(config)
    hub = open_store(store or settings.store)
    record_config(hub, settings, config, "deliver", datetime.now(UTC))
    targets = {flow.to for flow in settings.flows}
    connectors, gates = {}, {}
    for name in sorted(targets):
        connector = target_connector(settings.systems[name], name, store=hub)
        if connector is None:
            typer.echo(
                f"{name}: no delivery connector for kind "
                f"{settings.systems[name].kind!r} yet; its deliveries wait",
                err=True,
            )
            continue
        connectors[name] = connector
        rate = settings.systems[name].rate_limit
        gates[name] = TargetGate(
            hub,
            name,
            bucket=TokenBucket(rate, max(1.0, rate)) if rate else None,
            breaker=CircuitBreaker(BreakerSettings()),
        )
    in_flight = {name: settings.systems[name].concurrency for name in connectors}
    worker = DeliveryWorker(
        hub,
        connectors,
        gates=gates,
        settings=DeliverySettings(lease_seconds=lease, max_in_flight=in_flight),
    )
    while True:
        sent = sum(worker.run_once(name, max_batches=10) for name in connectors)
        if until_idle and not sent:
            return
        if not sent:
            time.sleep(0.1)
