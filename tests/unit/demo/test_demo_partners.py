"""The demo's EDI retailer and fleet, piece by piece: the day's share of EDI orders, the
fleet's labels, the re-sent interchange counted as absorbed, and the checks that fail when a
proof of delivery or a 997 is missing."""

from __future__ import annotations

import queue
from pathlib import Path

from logisync.connectors.files import FileOutcome
from logisync.demo.config import FLEET, demo_config
from logisync.demo.day import DayPlan, _order_book
from logisync.demo.edi import RESENT, EdiOutcome, _absorbed, edi_side
from logisync.demo.fleet import FleetOutcome, fleet_or_parcels
from logisync.demo.naive import _events
from logisync.demo.outcome import Expected, OdooState
from logisync.demo.report import partner_checks
from logisync.demo.tap import TappedPost
from logisync.demo.world import DAY_START


def test_a_quarter_to_three_tenths_of_the_orders_come_by_edi() -> None:
    for seed in range(20):
        book = _order_book(DayPlan(orders=40, speed=400, seed=seed))
        assert 10 <= len(book.edi) <= 12
        assert len(book.shop) + book.burst + len(book.edi) == 40
        assert len(book.resent) == 2 and book.resent <= set(book.edi)
    assert _order_book(DayPlan(orders=1, speed=400, seed=1)).resent == frozenset()


def test_the_retailers_orders_go_on_the_fleet_and_the_others_by_parcel() -> None:
    def parcels(order: str, packages: int) -> tuple[str, list[str]]:
        return "ups", [f"1Z{order}{n}" for n in range(packages)]

    label = fleet_or_parcels(parcels, lambda order: order.startswith("ACM"))
    assert label("1001", 1) == ("ups", ["1Z10010"])
    assert label("ACMPO000001", 2) == (FLEET, ["FLT0000001", "FLT0000002"])
    assert label("ACMPO000002", 1) == (FLEET, ["FLT0000003"])


def outcome(name: str, journaled: int, known: int) -> FileOutcome:
    return FileOutcome(name, "processed", journaled=journaled, already_known=known)


def test_a_copy_that_journaled_nothing_new_is_absorbed_whichever_was_read_first() -> None:
    stem = "acme_retail-000000002"
    resent_first = [outcome(f"{stem}{RESENT}.x12", 1, 0), outcome(f"{stem}.x12", 0, 1)]
    assert _absorbed([outcome("acme_retail-000000001.x12", 1, 0), *resent_first]) == 1
    journaled_twice = [outcome(f"{stem}.x12", 1, 0), outcome(f"{stem}{RESENT}.x12", 1, 0)]
    assert _absorbed(journaled_twice) == 0


def test_the_naive_import_reads_a_resent_file_as_a_second_order(tmp_path: Path) -> None:
    naive: queue.Queue[TappedPost] = queue.Queue()
    side = edi_side(demo_config(tmp_path), seed=3, naive=naive, start=DAY_START)
    side.place_order(resend=True)
    files = sorted(p.name for p in (tmp_path / "in").iterdir())
    assert len(files) == 2 and files[0].endswith(f"{RESENT}.x12")
    orders = [event["data"]["number"] for _ in files for event in _events(naive.get())]
    assert orders == [next(iter(side.orders))] * 2


def checks_of(edi: EdiOutcome, fleet: FleetOutcome, copies: int = 1) -> dict[str, bool]:
    expected = Expected(frozenset({"P1"}), frozenset({"P1"}), {}, frozenset(), None)
    state = OdooState()
    state.order_copies["P1"] = copies
    return {c.name: c.passed for c in partner_checks(expected, state, edi, fleet)}


GOOD_EDI = EdiOutcome(2, 1, 1, 0, 2, (), (), frozenset({"OUT-1"}))
PROVEN = frozenset({"OUT-1"})
GOOD_FLEET = FleetOutcome(1, PROVEN, PROVEN, PROVEN, PROVEN)


def test_every_partner_check_passes_on_a_good_day_and_each_fails_alone() -> None:
    assert all(checks_of(GOOD_EDI, GOOD_FLEET).values())
    failing = {
        "every EDI order in Odoo once": checks_of(GOOD_EDI, GOOD_FLEET, copies=2),
        "a 997 accepting every interchange the retailer sent": checks_of(
            EdiOutcome(2, 1, 1, 0, 1, (2,), (), PROVEN), GOOD_FLEET
        ),
        "every re-sent interchange absorbed (its orders journaled once)": checks_of(
            EdiOutcome(2, 1, 0, 0, 2, (), (), PROVEN), GOOD_FLEET
        ),
        "every fleet delivery's proof journaled, in its status and timeline": checks_of(
            GOOD_EDI, FleetOutcome(1, PROVEN, PROVEN, PROVEN, frozenset())
        ),
        "the retailer got a 214 for every fleet delivery": checks_of(
            EdiOutcome(2, 1, 1, 0, 2, (), (), frozenset()), GOOD_FLEET
        ),
    }
    for name, found in failing.items():
        assert [n for n, passed in found.items() if not passed] == [name]
