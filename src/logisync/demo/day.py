"""The compressed business day: what happens when, and the troubles switched on and off.

Simulated time moves in ticks; every clock (the hub's processor and delivery worker, both
Odoo servers, the WMS, the carriers, the shop's record times) is moved by the same amount, so
facts from different systems compare in time as they would in the field. ``speed`` is how
many simulated seconds pass per wall-clock second; the hub itself runs as fast as it can.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from logisync.core.clock import ManualClock
from logisync.demo.actors import CustomerService, Finance, SalesDesk
from logisync.demo.fleet import TransportPlanner
from logisync.demo.world import DAY_START, World
from logisync.testing.odoo.faults import FaultPlan, MaintenanceWindow

TICK_SECONDS = 300.0
DAY_SECONDS = 10 * 3600.0  # 08:00 to 18:00
NIGHT_TICK_SECONDS = 3600.0
FLAKY_5XX_RATE = 0.03
EDI_SHARE = (0.25, 0.30)  # of the day's orders, the retailer's 850s


class DemoClock(ManualClock):
    """The simulated clock the hub's threads and the Odoo servers read: one lock, one time."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)


@dataclass
class Trouble:
    """A trouble of the field, on from ``start`` to ``end`` (simulated seconds into the day)."""

    name: str
    start: float
    end: float
    state: str = "coming"  # coming, ON, over

    def label(self, offset: float) -> str:
        at = (DAY_START + timedelta(seconds=offset)).strftime("%H:%M")
        return f"{at} {self.name}"


@dataclass
class DayPlan:
    orders: int
    speed: float
    seed: int
    max_wall_seconds: float = 600.0


@dataclass
class DayLog:
    """What the day did, for the live view and the report."""

    phase: str = "starting"
    orders_placed: int = 0
    edi_orders: int = 0  # of them, by EDI
    troubles: list[Trouble] = field(default_factory=list)
    overwritten_customer: str | None = None  # partner ref whose data the shop overwrote
    double_posted: dict[str, str] = field(default_factory=dict)  # adjustment: sku
    finished: bool = False
    timed_out: bool = False
    wall_seconds: dict[str, float] = field(default_factory=dict)  # per phase


@dataclass(frozen=True)
class OrderBook:
    """When the day's orders come, in seconds into the day."""

    shop: list[float]  # the shop's, outside the burst
    burst: int  # how many the shop takes in the flash sale
    edi: list[float]  # the retailer's 850s, one interchange each
    resent: frozenset[float]  # the 850s whose interchange the retailer sends twice


def _order_book(plan: DayPlan) -> OrderBook:
    """A seeded 25-30 % of the orders come from the retailer by EDI, spread over the day; it
    sends the interchanges of two of them (a third and two thirds through) twice. Of the
    shop's, a third come in a five-minute flash sale (about 50 times the usual rate); the rest
    spread over the day at random, from the seed."""
    rng = random.Random(plan.seed)
    edi_count = round(plan.orders * rng.uniform(*EDI_SHARE))
    shop = plan.orders - edi_count
    burst = shop // 3
    spread = sorted(rng.uniform(0, DAY_SECONDS - TICK_SECONDS) for _ in range(shop - burst))
    edi = sorted(rng.uniform(0, DAY_SECONDS - TICK_SECONDS) for _ in range(edi_count))
    resent = frozenset(edi[len(edi) * n // 3] for n in (1, 2)) if edi else frozenset()
    return OrderBook(spread, burst, edi, resent)


class Day:
    """Drives the world through the day; ``on_tick`` is called after every tick."""

    def __init__(
        self,
        world: World,
        clock: DemoClock,
        plan: DayPlan,
        on_tick: Callable[[Day], None],
        caught_up: Callable[[], bool] = lambda: True,
    ) -> None:
        """``caught_up`` says whether the naive integration has made its calls for what
        arrived so far: time waits for it (a few seconds at most), so that its calls meet
        Odoo at the moment of the day their messages arrived, maintenance window included."""
        self.world, self.clock, self.plan, self.on_tick = world, clock, plan, on_tick
        self.caught_up = caught_up
        self.elapsed = 0.0
        self.log = DayLog()
        self.desk = SalesDesk(world.odoo_admin())
        self.service = CustomerService(world.odoo_admin())
        self.naive_service = CustomerService(world.odoo_admin(naive=True))  # the same call
        self.finance = Finance(
            world.hub.url, world.finance_key, world.shop, world.wms, world.edi.order
        )
        self.planner = TransportPlanner(world.tms, world.wms, self._ship_to)
        self._book = _order_book(plan)
        self._placed_ids: list[int] = []
        self._stop = threading.Event()
        self._phase_start = time.monotonic()
        self.log.troubles = [
            Trouble("flaky Odoo (5xx on ~3% of calls)", 0, DAY_SECONDS),
            Trouble("duplicate, shuffled and late carrier pushes (all week)", 0, 1e9),
            Trouble("peak: flash sale, 50x the order rate", 2 * 3600, 2 * 3600 + TICK_SECONDS),
            Trouble("customer service corrects a customer in Odoo", 3 * 3600, 3 * 3600 + 60),
            Trouble("Odoo maintenance (503 + Retry-After)", 4 * 3600, 4.75 * 3600),
            Trouble("WMS double-posts a stock adjustment", 5 * 3600, 5 * 3600 + 60),
            Trouble("carrier outage (tracking down, pushes held)", 6 * 3600, 8 * 3600),
            Trouble("shop overwrites that customer's e-mail", 7.5 * 3600, 7.5 * 3600 + 60),
        ]
        for at in sorted(self._book.resent):
            resend = Trouble("EDI retailer re-sends an interchange (same number)", at, at + 60)
            self.log.troubles.append(resend)
        self.log.troubles.sort(key=lambda trouble: trouble.start)

    def stop(self) -> None:
        self._stop.set()

    @property
    def now(self) -> datetime:
        return self.clock.now()

    # -- the day -----------------------------------------------------------------------------
    def _phase(self, name: str) -> None:
        now = time.monotonic()
        if self.log.phase != "starting":
            self.log.wall_seconds[self.log.phase] = round(now - self._phase_start, 2)
        self._phase_start = now
        self.log.phase = name

    def run(self) -> DayLog:
        started = self._phase_start = time.monotonic()
        self.world.odoo_faults(FaultPlan(error_rate=FLAKY_5XX_RATE, seed=self.plan.seed))
        self._phase("business day")
        while self.elapsed < DAY_SECONDS and not self._stop.is_set():
            self._tick(TICK_SECONDS, started)
        self.world.shop.shop.flush_held()
        self._phase("the following days: deliveries")
        for trouble in self.log.troubles:
            if trouble.state != "over" and "carrier pushes" not in trouble.name:
                self._switch(trouble, on=False)
        while not self._delivered_everything() and not self._stop.is_set():
            if time.monotonic() - started > self.plan.max_wall_seconds:
                self.log.timed_out = True
                break
            self._tick(NIGHT_TICK_SECONDS, started, pace=10)
        self._phase("catching up")
        self._drain(started)
        self._phase("done")
        self.log.finished = not self._stop.is_set() and not self.log.timed_out
        self.on_tick(self)
        return self.log

    def _tick(self, seconds: float, started: float, pace: float = 1.0) -> None:
        self._advance(seconds)
        self._troubles()
        self._place_orders(self.elapsed - seconds, self.elapsed)
        self._back_office()
        self.on_tick(self)
        ahead = self.elapsed / (self.plan.speed * pace) - (time.monotonic() - started)
        if ahead > 0 and self.elapsed <= DAY_SECONDS:
            self._stop.wait(ahead)

    def _advance(self, seconds: float) -> None:
        deadline = time.monotonic() + 5
        while not self.caught_up() and time.monotonic() < deadline:
            self._stop.wait(0.01)
        self.elapsed += seconds
        self.clock.advance(seconds)
        self.world.wms.advance(seconds)
        self.world.carriers.advance(seconds)
        self.world.carriers.tick()
        self.world.tms.advance(seconds)
        self.world.edi.advance(seconds)

    def _back_office(self) -> None:
        self.desk.work(self.now)
        self.finance.work(self.now)
        self.planner.work(self.now)

    def _place_orders(self, after: float, until: float) -> None:
        shop = self.world.shop
        due = [t for t in self._book.shop if after <= t < until]
        for _ in due:
            self._placed_ids.append(shop.shop.place_order()["id"])
        edi = [t for t in self._book.edi if after <= t < until]
        for at in edi:
            self.world.edi.place_order(resend=at in self._book.resent)
        self.log.orders_placed += len(due) + len(edi)
        self.log.edi_orders += len(edi)

    def _ship_to(self, order_number: str) -> dict[str, object] | None:
        order = self.world.edi.order(order_number)
        return None if order is None else order.get("ship_to")

    def _delivered_everything(self) -> bool:
        """Every order went through the warehouse, every EDI file was read, every fleet
        shipment was delivered and every parcel's scans have all come."""
        wms = self.world.wms
        if wms.outbox.pending() or not self.world.hub.idle():
            return False
        if not self.world.edi.inbox_empty() or not self.planner.settled():
            return False
        released = len(wms.warehouse.orders)
        if released < self.log.orders_placed:
            return False
        late = self.world.carriers.hub.faults.late_seconds
        for shipment in self.world.carriers.hub.shipments():
            last = shipment.all_scans()[-1].at + timedelta(seconds=late + 3600)
            if last > self.world.carriers.now():
                return False
        return True

    def _drain(self, started: float) -> None:
        """Let the hub finish: the clock keeps moving so that waiting retries come due."""
        while not self._stop.is_set():
            if self.world.hub.wait_idle(timeout=0.5, settle=0.2):
                return
            if time.monotonic() - started > self.plan.max_wall_seconds:
                self.log.timed_out = True
                return
            self._advance(300)
            self._back_office()
            self.on_tick(self)

    # -- troubles ----------------------------------------------------------------------------
    def _troubles(self) -> None:
        for trouble in self.log.troubles:
            if trouble.state == "coming" and self.elapsed >= trouble.start:
                self._switch(trouble, on=True)
            elif trouble.state == "ON" and self.elapsed >= trouble.end:
                self._switch(trouble, on=False)

    def _switch(self, trouble: Trouble, on: bool) -> None:
        trouble.state = "ON" if on else "over"
        name = trouble.name
        world = self.world
        if name.startswith("flaky") and not on:
            world.odoo_faults(world.odoo.faults.model_copy(update={"error_rate": 0.0}))
        elif name.startswith("peak") and on:
            world.shop.burst(self._book.burst)
            self.log.orders_placed += self._book.burst
        elif name.startswith("Odoo maintenance") and on:
            window = MaintenanceWindow(
                start=self.now, end=self.now + timedelta(seconds=trouble.end - trouble.start)
            )
            plan = world.odoo.faults
            world.odoo_faults(plan.model_copy(update={"maintenance": (window,)}))
        elif name.startswith("carrier outage") and on:
            world.carriers.down_for(trouble.end - trouble.start)
        elif name.startswith("WMS double-posts") and on:
            self._double_post()
        elif name.startswith("customer service") and on:
            self._correct_a_customer()
        elif name.startswith("shop overwrites") and on and self.log.overwritten_customer:
            customer_id = int(self.log.overwritten_customer.removeprefix("shop-"))
            world.shop.shop.overwrite_customer(customer_id)

    def _double_post(self) -> None:
        """A stock count correction, posted twice by the WMS under two message ids."""
        wms = self.world.wms
        message = wms.adjust_stock("MUG-BLUE", -2, "damaged")
        again = {**message, "message_id": f"{message['message_id']}-again"}
        wms.outbox.schedule(again, delay_seconds=60)
        self.log.double_posted[str(message["adjustment_id"])] = "MUG-BLUE"

    def _correct_a_customer(self) -> None:
        shop = self.world.shop.shop
        for order_id in self._placed_ids:
            customer = shop.orders[order_id]["customer"]
            ref = f"shop-{customer['id']}"
            email = f"verified.{customer['id']}@example.com"
            if self.service.correct(ref, email):
                self.naive_service.correct(ref, email)
                self.log.overwritten_customer = ref
                return
