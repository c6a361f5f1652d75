"""The end-of-day report: the hub's books, the checks against the simulators, and the naive
point-to-point integration's outcome beside the hub's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rich.console import Console
from rich.table import Table

from logisync.demo.edi import EdiOutcome
from logisync.demo.fleet import FleetOutcome
from logisync.demo.outcome import Expected, HubBooks, OdooState


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str = ""


def checks(
    books: HubBooks, hub: OdooState, expected: Expected, finished: bool, adjusted: Decimal | None
) -> list[Check]:
    found = [
        Check("the day ran to its end", finished, "" if finished else "stopped or timed out"),
        Check(
            "0 orders lost in Odoo",
            hub.lost["orders"] == 0,
            f"{hub.lost['orders']} of {len(expected.orders)} missing",
        ),
        Check(
            "0 shipments lost in Odoo",
            hub.lost["shipments"] == 0,
            f"{hub.lost['shipments']} of {len(expected.milestones)} missing",
        ),
        Check(
            "0 invoices lost in Odoo",
            hub.lost["invoices"] == 0,
            f"{hub.lost['invoices']} of {len(expected.invoices)} missing",
        ),
        Check(
            "0 duplicate records in Odoo",
            sum(hub.duplicates.values()) == 0,
            ", ".join(f"{k}: {v}" for k, v in hub.duplicates.items() if v),
        ),
        Check(
            "every shipment's status in Odoo = the carrier's last",
            hub.wrong_status == 0,
            "; ".join(hub.detail[:3]),
        ),
    ]
    if expected.customer is not None:
        found.append(
            Check(
                "Odoo keeps the customer data it owns; the shop's overwrite is a conflict",
                not hub.customer_overwritten and books.conflicts > 0,
                f"{books.conflicts} conflicts recorded",
            )
        )
    if adjusted is not None:
        on_hand = Decimal(books.stock_on_hand or "0")
        found.append(
            Check(
                "a double-posted stock adjustment counted once",
                on_hand == adjusted,
                f"on hand {on_hand}, adjusted by {adjusted}",
            )
        )
    return found


def partner_checks(
    expected: Expected, hub: OdooState, edi: EdiOutcome, fleet: FleetOutcome
) -> list[Check]:
    """The EDI retailer's orders and replies, and the fleet's proofs of delivery (none when
    the day had no EDI order)."""
    if not expected.edi_orders:
        return []
    once = [n for n in expected.edi_orders if hub.order_copies[n] == 1]
    delivered = fleet.delivered
    proven = delivered & fleet.journaled & fleet.in_status & fleet.in_timeline
    told = delivered & edi.statuses
    return [
        Check(
            "every EDI order in Odoo once",
            len(once) == len(expected.edi_orders),
            f"{len(once)} of {len(expected.edi_orders)}",
        ),
        Check(
            "a 997 accepting every interchange the retailer sent",
            edi.accepted == edi.interchanges and not edi.unacknowledged and not edi.rejected,
            f"{edi.accepted} of {edi.interchanges} accepted"
            + (f"; none for {list(edi.unacknowledged)}" if edi.unacknowledged else ""),
        ),
        Check(
            "every re-sent interchange absorbed (its orders journaled once)",
            edi.resent > 0 and edi.resent_absorbed == edi.resent and not edi.failed_files,
            f"{edi.resent_absorbed} of {edi.resent} re-sent copies",
        ),
        Check(
            "every fleet delivery's proof journaled, in its status and timeline",
            bool(delivered) and proven == delivered,
            f"{len(proven)} of {len(delivered)} proofs of delivery",
        ),
        Check(
            "the retailer got a 214 for every fleet delivery",
            bool(delivered) and told == delivered,
            f"{len(told)} of {len(delivered)} shipments",
        ),
    ]


def print_report(
    console: Console,
    books: HubBooks,
    found: list[Check],
    hub: OdooState,
    naive: OdooState,
    naive_calls: dict[str, int],
    partners: tuple[Expected, EdiOutcome, FleetOutcome],
) -> None:
    console.rule("[bold]End of day")
    console.print(_books_table(books, *partners[1:]))
    table = Table("check (read back from Odoo and the simulators)", "", "detail", title="Checks")
    for check in found:
        mark = "[green]PASS" if check.passed else "[red]FAIL"
        table.add_row(check.name, mark, check.detail)
    console.print(table)
    console.print(_comparison(hub, naive, naive_calls, partners[0]))


def _books_table(books: HubBooks, edi: EdiOutcome, fleet: FleetOutcome) -> Table:
    table = Table("the hub's books", "count", title="Through the hub")
    rows: list[tuple[str, object]] = [
        ("messages posted to the hub", books.posts),
        ("events in (journaled once each)", books.events_in),
        ("deliveries delivered", books.delivered),
        ("deliveries retried (5xx, maintenance, waiting for a reference)", books.retried),
        (
            "dead-lettered (of them: early scans since moved onto their shipment)",
            f"{books.dead_lettered} ({books.dead_early_scans})",
        ),
        ("stale events blocked (superseded, never applied)", books.superseded),
        ("duplicates absorbed (re-sent webhooks, repeated pushes)", books.duplicates_absorbed),
        ("conflicts recorded (writes refused by ownership)", books.conflicts),
        (
            "EDI interchanges accepted, each with a 997 (re-sent copies absorbed)",
            f"{edi.accepted} ({edi.resent_absorbed})",
        ),
        ("fleet routes planned in the TMS; proofs of delivery journaled", _fleet(fleet)),
    ]
    for name, count in rows:
        table.add_row(name, str(count))
    return table


def _fleet(fleet: FleetOutcome) -> str:
    return f"{fleet.routes}; {len(fleet.journaled)}"


def _comparison(
    hub: OdooState, naive: OdooState, naive_calls: dict[str, int], expected: Expected
) -> Table:
    table = Table(
        "in Odoo at the end",
        "through the hub",
        "naive point-to-point",
        title="The same day, with and without the hub (measured in two Odoo databases)",
    )

    def row(name: str, mine: int, theirs: int) -> None:
        colour = "red" if theirs else "green"
        table.add_row(name, f"[green]{mine}" if not mine else f"[red]{mine}", f"[{colour}]{theirs}")

    row("duplicate records", sum(hub.duplicates.values()), sum(naive.duplicates.values()))
    row(
        "of them: EDI orders twice (a re-sent interchange)",
        edi_doubled(hub, expected),
        edi_doubled(naive, expected),
    )
    row("statuses moved back (an older scan written last)", hub.regressed, naive.regressed)
    row("statuses not the carrier's", hub.wrong_status, naive.wrong_status)
    row(
        "records lost (orders, shipments, invoices)",
        sum(hub.lost.values()),
        sum(naive.lost.values()),
    )
    row(
        "customer data Odoo owns overwritten",
        int(hub.customer_overwritten),
        int(naive.customer_overwritten),
    )
    failed = naive_calls.get("failed", 0)
    table.add_row(
        "Odoo calls that failed, their fact dropped (no retry)",
        "0",
        f"{failed} of {naive_calls.get('made', 0)}",
    )
    return table


def edi_doubled(state: OdooState, expected: Expected) -> int:
    """The retailer's orders Odoo holds more than once."""
    return sum(1 for number in expected.edi_orders if state.order_copies[number] > 1)
