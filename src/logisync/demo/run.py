"""``logisync demo``: start everything, run the day with a live view, report, keep serving.

Ctrl-C at any point stops the day, every server and every thread (their context managers
close in reverse order of starting), and the command exits with 130.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

import orjson
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table

from logisync.demo.day import Day, DayPlan, DemoClock
from logisync.demo.edi import measure_edi
from logisync.demo.fleet import measure_fleet
from logisync.demo.naive import NaiveIntegration
from logisync.demo.outcome import OdooState, expected_of, hub_books, measure_odoo
from logisync.demo.report import checks, edi_doubled, partner_checks, print_report
from logisync.demo.world import DAY_START, World, running_world
from logisync.testing.carrier_hub import CarrierFaultPlan
from logisync.testing.odoo.faults import FaultPlan
from logisync.testing.shop import ShopFaultPlan

INTERRUPTED = 130


@dataclass(frozen=True)
class DemoOptions:
    orders: int = 40
    speed: float = 400.0
    seed: int = 7
    db: Path | None = None
    serve: bool = True
    summary: Path | None = None  # where to write the report as JSON (for CI and tests)
    max_wall_seconds: float = 900.0


def run_demo(console: Console, options: DemoOptions) -> int:
    """0 when every check passed, 1 when one failed, 130 when interrupted."""
    try:
        with tempfile.TemporaryDirectory(prefix="logisync-demo-") as folder:
            return _run(console, options, Path(folder))
    except KeyboardInterrupt:
        console.print("\n[yellow]stopped: every server and thread is shut down")
        return INTERRUPTED


def _log_to_file(path: Path) -> logging.Handler:
    """The hub's own log lines (retries scheduled, polls refused) go to a file: on the
    console they would tear the live view apart."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    hub_log = logging.getLogger("logisync")
    hub_log.addHandler(handler)
    hub_log.setLevel(logging.INFO)
    hub_log.propagate = False
    return handler


def _run(console: Console, options: DemoOptions, folder: Path) -> int:
    db = options.db or folder / "hub.db"
    log_file = db.with_suffix(".log")
    handler = _log_to_file(log_file)
    try:
        return _run_world(console, options, folder, db, log_file)
    finally:
        logging.getLogger("logisync").removeHandler(handler)
        handler.close()


def _run_world(
    console: Console, options: DemoOptions, folder: Path, db: Path, log_file: Path
) -> int:
    clock = DemoClock(DAY_START)
    console.rule("[bold]logisync demo: a business day through the hub")
    console.print(f"hub store: {db}   log: {log_file}")
    console.print(f"orders: {options.orders}   speed: {options.speed:g}x   seed: {options.seed}")
    seed = options.seed
    with running_world(
        folder,
        db,
        seed=seed,
        speed=options.speed,
        clock=clock,
        odoo_faults=FaultPlan(),  # the day switches Odoo's troubles on and off
        carrier_faults=CarrierFaultPlan(
            duplicate_rate=0.2, reorder_rate=1.0, late_rate=0.3, seed=seed
        ),
        shop_faults=ShopFaultPlan(duplicate_rate=0.15, seed=seed),
    ) as world:
        naive = NaiveIntegration(world.odoo_admin(naive=True), world.tap.queue)
        naive.start()
        try:
            plan = DayPlan(options.orders, options.speed, options.seed, options.max_wall_seconds)
            day = _run_day(console, world, clock, plan, naive)
            deadline = time.monotonic() + 60
            while not naive.caught_up() and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            naive.stop()
        passed = _report(console, day, naive, options.summary)
        _print_access(console, world)
        if options.serve:
            console.print("[bold]serving; press Ctrl-C to stop everything")
            threading.Event().wait()  # until Ctrl-C
    return 0 if passed else 1


def _run_day(
    console: Console, world: World, clock: DemoClock, plan: DayPlan, naive: NaiveIntegration
) -> Day:
    with Live(console=console, refresh_per_second=4, transient=False) as live:

        def show(day: Day) -> None:
            live.update(_progress(day))

        day = Day(world, clock, plan, show, naive.caught_up)
        day.run()
    return day


def _progress(day: Day) -> Group:
    hub = day.world.hub.store
    counts = hub.counts()
    head = Table.grid(padding=(0, 2))
    head.add_row(
        f"[bold]{day.now:%a %d %b %H:%M}[/]",
        f"phase: [cyan]{day.log.phase}",
        f"orders placed: {day.log.orders_placed} (EDI {day.log.edi_orders})",
        f"events in: {counts.journal}",
        f"to process: {counts.pending_events}",
        f"backlog: {counts.deliveries_pending}",
    )
    targets = Table("target", "queued", "in flight", "dead", "breaker", box=None)
    for health in hub.target_health():
        breaker = health.breaker or "closed"
        colour = "green" if breaker == "closed" else "red"
        targets.add_row(
            health.target,
            str(health.queued),
            str(health.in_flight),
            str(health.dead),
            f"[{colour}]{breaker}",
        )
    troubles = Table("trouble", "", box=None)
    for trouble in day.log.troubles:
        colour = {"ON": "bold red", "over": "dim"}.get(trouble.state, "default")
        troubles.add_row(trouble.label(trouble.start), f"[{colour}]{trouble.state}")
    return Group(head, targets, troubles)


def _report(console: Console, day: Day, naive: NaiveIntegration, summary: Path | None) -> bool:
    expected = expected_of(day)
    books = hub_books(day)
    hub_state = measure_odoo(day.world.odoo_admin(), expected, naive=False)
    naive_state = measure_odoo(day.world.odoo_admin(naive=True), expected, naive=True)
    adjusted = Decimal(-2) if day.log.double_posted else None
    edi = measure_edi(day.world.edi)
    fleet = measure_fleet(day.world.hub.store, day.world.tms, day.planner.routes)
    found = checks(books, hub_state, expected, day.log.finished, adjusted)
    found += partner_checks(expected, hub_state, edi, fleet)
    print_report(
        console, books, found, hub_state, naive_state, dict(naive.calls), (expected, edi, fleet)
    )
    console.print(
        "[dim]Invoices: the hub has no order-to-cash orchestration yet; a finance actor issues "
        "each invoice when the WMS reports the order dispatched, and the hub delivers it to Odoo."
    )
    failed = [check.name for check in found if not check.passed]
    if summary is not None:
        summary.write_bytes(
            orjson.dumps(
                {
                    "passed": not failed,
                    "checks": {check.name: check.passed for check in found},
                    "hub": {**asdict(books), **_odoo_summary(hub_state)},
                    "naive": {**dict(naive.calls), **_odoo_summary(naive_state)},
                    "edi": {
                        "orders": len(expected.edi_orders),
                        "interchanges": edi.interchanges,
                        "accepted": edi.accepted,
                        "resent": edi.resent,
                        "resent_absorbed": edi.resent_absorbed,
                        "hub_doubled": edi_doubled(hub_state, expected),
                        "naive_doubled": edi_doubled(naive_state, expected),
                    },
                    "fleet": {
                        "routes": fleet.routes,
                        "delivered": len(fleet.delivered),
                        "proofs_journaled": len(fleet.journaled),
                        "statuses_to_retailer": len(fleet.delivered & edi.statuses),
                    },
                    "wall_seconds": day.log.wall_seconds,
                },
                option=orjson.OPT_INDENT_2,
            )
        )
    if failed:
        console.print(f"[red bold]{len(failed)} check(s) failed: {', '.join(failed)}")
    else:
        console.print("[green bold]all checks passed")
    return not failed


def _odoo_summary(state: OdooState) -> dict[str, int]:
    return {
        "duplicates": sum(state.duplicates.values()),
        "regressions": state.regressed,
        "wrong_status": state.wrong_status,
        "lost": sum(state.lost.values()),
        "customer_overwritten": int(state.customer_overwritten),
    }


def _print_access(console: Console, world: World) -> None:
    url = world.hub.url
    order = next(iter(sorted(world.wms.warehouse.orders)), "1001")
    console.print(f"\ndashboard:  {url}/ui")
    console.print(f"read API:   {url}/v1/entities/sales_order:{order}   {url}/v1/deliveries")
    console.print(f"            {url}/docs (send the key as 'Authorization: Bearer <key>')")
    console.print(f"metrics:    {url}/metrics")
    fleet = sorted(world.tms.transport.consignments)
    if fleet:  # its timeline: the route, the hand-over and the proof of delivery
        console.print(f"a fleet delivery: {url}/ui/timeline?q={fleet[0]}")
    console.print(f"admin API key (log in with it): {world.admin_key}")
