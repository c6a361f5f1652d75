"""A shipment of several packages shows its least advanced package's status.

Each package has its own tracking number and its own scans; the shipment is delivered only
when every package is. The derived status must not depend on the order the scans (and the
packing that names the packages) arrive in, nor on repeats.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from logisync.core.clock import utc_text
from logisync.core.journal import journal_record
from logisync.core.ports import JournalRecord, Projection
from logisync.core.rules import Rules
from logisync.core.sequencing import apply_event
from logisync.model import LIFECYCLES, new_event
from logisync.model.entities.logistics import MILESTONES

BASE = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
PACKAGES = ("1ZA00000000000001", "1ZA00000000000002", "1ZA00000000000003")
SHIPMENT_LEVEL = "MASTER-1"  # the shipment's own number, no package's: about all of them
RANKS = LIFECYCLES["shipment"].ranks
TERMINAL = max(RANKS.values())


def _scan(seq: int, minute: int, milestone: str, tracking: str | None) -> JournalRecord:
    time = (BASE + timedelta(minutes=minute)).isoformat()
    data: dict[str, Any] = {
        "shipment_number": "SH1",
        "milestone": milestone,
        "occurred_at": time,
        "carrier": "ups",
    }
    if tracking is not None:
        data["tracking_number"] = tracking
    event = new_event(
        "shipment.milestone_recorded",
        data,
        source="ups",
        id=f"scan-{seq}",
        time=time,
        sourceversion=f"{minute:06d}",
    )
    return journal_record(event, seq, utc_text(BASE))


def _packed(seq: int, packages: tuple[str, ...]) -> JournalRecord:
    event = new_event(
        "shipment.packed",
        {
            "number": "SH1",
            "tracking_number": SHIPMENT_LEVEL,
            "packages": [{"tracking_number": t} for t in packages],
        },
        source="wms",
        id=f"packed-{seq}",
        time=BASE.isoformat(),
    )
    return journal_record(event, seq, utc_text(BASE))


def _status(records: list[JournalRecord]) -> str | None:
    projection = Projection("shipment:SH1")
    for record in records:
        apply_event(projection, record, Rules())
    status = projection.state.get("status")
    return None if status is None else str(status["milestone"])


def test_the_shipment_is_delivered_only_when_every_package_is() -> None:
    packed = _packed(1, PACKAGES[:2])
    a_delivered = _scan(2, 60, "delivered", PACKAGES[0])
    b_out = _scan(3, 50, "out_for_delivery", PACKAGES[1])
    b_delivered = _scan(4, 90, "delivered", PACKAGES[1])
    assert _status([packed, a_delivered, b_out]) == "out_for_delivery"
    assert _status([packed, a_delivered, b_out, b_delivered]) == "delivered"


def test_a_package_never_scanned_keeps_the_shipment_from_delivered() -> None:
    records = [
        _packed(1, PACKAGES[:2]),
        _scan(2, 10, "in_transit", PACKAGES[0]),
        _scan(3, 60, "delivered", PACKAGES[0]),
    ]
    assert _status(records) == "in_transit"


def test_packing_that_arrives_after_the_scans_splits_the_status() -> None:
    scans = [_scan(1, 60, "delivered", PACKAGES[0]), _scan(2, 30, "in_transit", PACKAGES[1])]
    assert _status(scans) == "delivered"  # one shipment as far as the hub knows
    assert _status([*scans, _packed(3, PACKAGES[:2])]) == "in_transit"


def test_a_scan_of_the_whole_shipment_counts_for_every_package() -> None:
    records = [
        _packed(1, PACKAGES[:2]),
        _scan(2, 10, "picked_up", SHIPMENT_LEVEL),
        _scan(3, 20, "in_transit", PACKAGES[0]),
    ]
    assert _status(records) == "picked_up"


def test_why_a_package_scan_is_not_the_shipment_status_is_recorded() -> None:
    projection = Projection("shipment:SH1")
    for record in (_packed(1, PACKAGES[:2]), _scan(2, 10, "in_transit", PACKAGES[1])):
        apply_event(projection, record, Rules())
    decision = apply_event(projection, _scan(3, 60, "delivered", PACKAGES[0]), Rules())
    assert "least advanced package" in decision.superseded["status"]
    assert PACKAGES[0] in decision.superseded["status"]


# -- the property ---------------------------------------------------------------------------

_fact = st.tuples(
    st.sampled_from(MILESTONES),
    st.sampled_from((*PACKAGES, SHIPMENT_LEVEL, None)),
)


@st.composite
def _histories(draw: st.DrawFn) -> tuple[list[JournalRecord], list[JournalRecord], str | None]:
    facts = draw(st.lists(_fact, min_size=1, max_size=10))
    minutes = draw(
        st.lists(st.integers(0, 500), min_size=len(facts), max_size=len(facts), unique=True)
    )
    packages = draw(st.sampled_from((PACKAGES[:2], PACKAGES)))
    records = [
        _scan(seq, minute, milestone, tracking)
        for seq, ((milestone, tracking), minute) in enumerate(zip(facts, minutes, strict=True), 2)
    ]
    in_order = [_packed(1, packages), *sorted(records, key=lambda r: r.version_key)]
    arrival = draw(st.permutations([*in_order, *draw(st.lists(st.sampled_from(in_order)))]))
    return in_order, arrival, _oracle(facts, minutes, packages)


def _oracle(
    facts: list[tuple[str, str | None]], minutes: list[int], packages: tuple[str, ...]
) -> str | None:
    """The rule stated on the set of facts, independently of the code's bookkeeping."""
    timed = list(zip(minutes, facts, strict=True))

    def best(candidates: list[tuple[int, tuple[str, str | None]]]) -> tuple[int, int, str]:
        minute, (milestone, _) = max(candidates, key=lambda c: (RANKS[c[1][0]], c[0]))
        return RANKS[milestone], minute, milestone

    winners: dict[str, tuple[int, int, str]] = {}
    for package in packages:
        mine = [(t, f) for t, f in timed if f[1] in (package, None, SHIPMENT_LEVEL)]
        if mine:
            winners[package] = best(mine)
    if not winners:  # every fact names a package that is not the shipment's (any more)
        return best(timed)[2]
    least = min(winners.values(), key=lambda w: (w[0], -w[1]))
    if len(winners) < len(packages) and least[0] == TERMINAL:
        counted = [(t, f) for t, f in timed if f[1] in (*packages, None, SHIPMENT_LEVEL)]
        open_ = [(t, f) for t, f in counted if RANKS[f[0]] < TERMINAL]
        if open_:
            return best(open_)[2]
    return least[2]


@settings(max_examples=300, deadline=None)
@given(_histories())
def test_the_derived_status_does_not_depend_on_arrival_or_repeats(
    history: tuple[list[JournalRecord], list[JournalRecord], str | None],
) -> None:
    in_order, arrival, expected = history
    assert _status(in_order) == expected
    assert _status(arrival) == expected
