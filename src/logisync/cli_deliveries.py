"""``logisync deliver``, ``logisync dlq ...``, ``logisync replay`` and ``logisync redrive``.

``replay`` and ``dlq replay`` are one function registered under two names. ``run_deliveries``
is the delivery loop, shared with ``logisync worker``.
"""

from __future__ import annotations

import getpass
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from logisync.cli_exit import ExitCode, fail
from logisync.cli_output import JsonOption, print_json

if TYPE_CHECKING:
    from logisync.config.model import HubConfig
    from logisync.core.delivery.worker import DeliveryWorker
    from logisync.core.ports import DeadLetter, Store

dlq_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode="markdown",
    help="The dead-letter queue: list, show, replay.",
)

ConfigOption = Annotated[Path | None, typer.Option(help="Configuration file")]
StoreOption = Annotated[str | None, typer.Option(help="Store URL (default: the config's)")]


def _store(config: Path | None, store: str | None) -> Store:
    from logisync.cli import open_hub

    return open_hub(config, store)


def _letter_json(letter: DeadLetter) -> dict[str, Any]:
    return {
        "delivery_id": letter.delivery_id,
        "target": letter.target,
        "flow": letter.flow,
        "entity_key": letter.entity_key,
        "event_seq": letter.event_seq,
        "event_id": letter.event_id,
        "attempts": letter.attempts,
        "last_error": letter.last_error,
        "dead_at": letter.dead_at,
        "state": letter.state,
    }


@dlq_app.command("list")
def dlq_list(
    config: ConfigOption = None,
    store: StoreOption = None,
    target: Annotated[str | None, typer.Option(help="Only this target")] = None,
    as_json: JsonOption = False,
) -> None:
    """Dead deliveries, oldest first (tab-separated: id, target, entity, attempts, since,
    error)."""
    letters = _store(config, store).dead_letters(target)
    if as_json:
        print_json({"dead_letters": [_letter_json(letter) for letter in letters]})
        return
    for letter in letters:
        typer.echo(
            f"{letter.delivery_id}\t{letter.target}\t{letter.entity_key}\t"
            f"{letter.attempts} attempts\t{letter.dead_at}\t{letter.last_error}"
        )


@dlq_app.command("show")
def dlq_show(
    delivery_id: Annotated[int, typer.Argument(help="The dead delivery's id (see dlq list)")],
    config: ConfigOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """One dead (or replayed) delivery with its attempt history."""
    hub = _store(config, store)
    letter = next((d for d in hub.dead_letters(state=None) if d.delivery_id == delivery_id), None)
    if letter is None:
        fail(ExitCode.NOT_FOUND, f"no dead letter {delivery_id}; see `logisync dlq list`")
    attempts = hub.attempts(delivery_id)
    if as_json:
        print_json(
            {
                **_letter_json(letter),
                "history": [
                    {"attempt": n, "at": at, "outcome": outcome, "detail": detail}
                    for n, at, outcome, detail in attempts
                ],
            }
        )
        return
    typer.echo(
        f"delivery {letter.delivery_id} to {letter.target} ({letter.flow}): "
        f"{letter.entity_key}, event {letter.event_id}, {letter.state}"
    )
    for number, at, outcome, detail in attempts:
        typer.echo(f"  attempt {number} at {at}: {outcome} {detail or ''}")


def replay(
    reason: Annotated[str, typer.Option(help="Why: kept in the audit log")],
    delivery_id: Annotated[
        int | None, typer.Argument(help="One dead delivery's id (see dlq list)")
    ] = None,
    config: ConfigOption = None,
    store: StoreOption = None,
    remap: Annotated[
        bool,
        typer.Option(
            "--remap",
            "--current",
            help="Map and send the entity's current state instead of the event as it was sent",
        ),
    ] = False,
    target: Annotated[str | None, typer.Option(help="All dead deliveries to this target")] = None,
    event_type: Annotated[str | None, typer.Option(help="... of this event type")] = None,
    error: Annotated[str | None, typer.Option(help="... whose error contains this")] = None,
    since: Annotated[str | None, typer.Option(help="... dead since (UTC ISO time)")] = None,
    until: Annotated[str | None, typer.Option(help="... dead before (UTC ISO time)")] = None,
    dry_run: Annotated[bool, typer.Option(help="Only list the ids that would be queued")] = False,
) -> None:
    """Queue one dead delivery, or all that match the filters, again; each replay is audited
    with who and why. ``logisync replay`` and ``logisync dlq replay`` are the same command."""
    hub = _store(config, store)
    if delivery_id is not None:
        ids = [delivery_id]
    elif any(f is not None for f in (target, event_type, error, since, until)):
        ids = hub.find_dead_letters(
            target=target, event_type=event_type, error=error, since=since, until=until
        )
    else:
        fail(ExitCode.USAGE, "name a delivery id or at least one filter")
    if dry_run:
        for delivery in ids:
            typer.echo(delivery)
        return
    replayed = _replay_all(hub, ids, current=remap, reason=reason)
    typer.echo(f"queued again: {replayed} of {len(ids)}")
    if not ids:
        fail(ExitCode.NOT_FOUND, "no dead letter matches")
    if replayed < len(ids):
        fail(
            ExitCode.NOT_FOUND if len(ids) == 1 else ExitCode.FAILED,
            "not dead (any more), or a newer state of the entity is already queued: "
            f"{len(ids) - replayed} of {len(ids)}",
        )


def _replay_all(hub: Store, ids: list[int], *, current: bool, reason: str) -> int:
    from logisync.cli_progress import progress

    actor, now, replayed = getpass.getuser(), datetime.now(UTC), 0
    with progress("replaying dead letters", total=len(ids)) as advance:
        for delivery in ids:
            replayed += hub.replay_dead_letter(
                delivery, current=current, actor=actor, reason=reason, now=now
            )
            advance(1)
    return replayed


dlq_app.command("replay")(replay)


def redrive(
    target: Annotated[str, typer.Argument(help="The target system to send everything to again")],
    reason: Annotated[str, typer.Option(help="Why: kept in the audit log")],
    config: ConfigOption = None,
    store: StoreOption = None,
    domain: Annotated[str | None, typer.Option(help="Only entities of this domain")] = None,
) -> None:
    """Re-deliver the current state of every entity to a target (e.g. after a restore), one
    domain at a time (each audited with its count)."""
    from logisync.cli_progress import progress
    from logisync.model.entities import ENTITY_TYPES

    if domain is not None and domain not in ENTITY_TYPES:
        fail(ExitCode.USAGE, f"unknown domain {domain!r}; one of {', '.join(ENTITY_TYPES)}")
    hub = _store(config, store)
    # one transaction and one audit entry per domain that has entities: the bar moves per
    # domain, and the audit log says how many of each were queued
    domains = [domain] if domain else [d for d in ENTITY_TYPES if hub.projections_of(d, limit=1)]
    queued, actor = 0, getpass.getuser()
    with progress(f"queueing for {target}", total=len(domains)) as advance:
        for name in domains:
            queued += hub.redrive(
                target, domain=name, actor=actor, reason=reason, now=datetime.now(UTC)
            )
            advance(1)
    typer.echo(f"queued {queued} entities for {target}")


def deliver(
    config: Annotated[Path, typer.Option(help="Configuration file")],
    store: StoreOption = None,
    until_idle: Annotated[bool, typer.Option(help="Stop when nothing is due")] = False,
    lease: Annotated[float, typer.Option(help="Claim lease in seconds")] = 60.0,
) -> None:
    """Run the delivery worker for every flow target that has a connector."""
    from logisync.cli_shutdown import stop_on_signals
    from logisync.config import load_config
    from logisync.config.audit import record_config
    from logisync.logs import configure_logging
    from logisync.store import open_store

    configure_logging()
    settings = load_config(config)
    hub = open_store(store or settings.store)
    record_config(hub, settings, config, "deliver", datetime.now(UTC))
    worker, targets = delivery_worker(hub, settings, lease=lease)
    run_deliveries(worker, targets, stop_on_signals(), until_idle=until_idle)


def delivery_worker(
    hub: Store, settings: HubConfig, *, lease: float = 60.0
) -> tuple[DeliveryWorker, list[str]]:
    """The worker for every flow target with a connector, and those targets; a target
    without one is named on standard error (its deliveries wait)."""
    from logisync.connectors.registry import target_connector
    from logisync.core.delivery import BreakerSettings, CircuitBreaker, TokenBucket
    from logisync.core.delivery.gate import TargetGate
    from logisync.core.delivery.worker import DeliverySettings, DeliveryWorker

    connectors, gates = {}, {}
    for name in sorted({flow.to for flow in settings.flows}):
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
    return worker, sorted(connectors)


def run_deliveries(
    worker: DeliveryWorker,
    targets: list[str],
    stopping: threading.Event,
    *,
    until_idle: bool = False,
    idle_seconds: float = 0.1,
) -> None:
    """Send due deliveries to every target until ``stopping`` is set (or, ``until_idle``,
    until nothing is due). A round never leaves a claim unsent: stopping waits for it. A busy
    or unavailable store, or a lease lost to another worker, is ridden out with a growing
    pause, as the processor does: the deliveries wait, nothing is lost. Idle, it waits for news
    of new deliveries from the store, ``idle_seconds`` at most (retries coming due send none)."""
    import logging

    from logisync.errors import LeaseLost, StoreBusy, StoreUnavailable

    pause = 0.1
    while not stopping.is_set():
        try:
            sent = sum(worker.run_once(name, max_batches=10) for name in targets)
        except (StoreBusy, StoreUnavailable, LeaseLost) as trouble:
            pause = min(pause * 2, 30.0)
            logging.getLogger("logisync.deliver").warning("%s; retrying in %.1fs", trouble, pause)
            stopping.wait(pause)
            continue
        pause = 0.1
        if until_idle and not sent:
            return
        if not sent:
            worker.wait_for_work(idle_seconds, stopping.is_set)
