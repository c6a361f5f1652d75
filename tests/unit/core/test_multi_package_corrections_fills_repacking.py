"""Multi-package status with corrections, fills and repacking: a function of the set of facts.

``test_multi_package_status`` checks shuffled, repeated scans against one packing. Here the
history also holds owner corrections (``shipment.milestone_corrected``), fills (scans from a
system that may only fill the status until the owner speaks), scans from several systems with
tied times, and several packings with different packages (repacking), each arriving before or
after the scans. The projection (status AND its provenance) must equal the in-order run and an
oracle stating ``core.status_rule``'s documented rule on the set of facts.

A second group pins down single-package shortcuts (the fast path) against the general rule,
and the reasons given when a package's scan is not the shipment's status.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logisync.core.clock import utc_text
from logisync.core.journal import journal_record
from logisync.core.ports import JournalRecord, Projection
from logisync.core.rules import DomainOwnership, FieldRule, OwnershipMap, Rules
from logisync.core.sequencing import apply_event
from logisync.core.stamps import Stamp
from logisync.model import EVENT_TYPES, LIFECYCLES, new_event
from logisync.model.entities.logistics import MILESTONES
from logisync.model.identifiers import tracking_key

BASE = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
NUMBERS = (
    "1ZA01",
    "1ZA02",
    "1ZA03",
    "1ZA04",
)  # package tracking numbers (repacking draws from all)
MASTER = "MASTER-1"  # the shipment's own number, no package's: its scans are about them all
LIFECYCLE = LIFECYCLES["shipment"]
TERMINAL = LIFECYCLE.terminal_rank

OPEN = Rules()
CARRIER_OWNS = Rules(
    ownership=OwnershipMap(
        {
            "shipment": DomainOwnership(
                fields={"status": FieldRule(frozenset({"ups"}), "fill_if_empty")}
            )
        }
    )
)
"""ups owns the status; tms may fill it until ups has said anything (and may never correct)."""

PROPERTY = settings(max_examples=200, deadline=None)


@dataclass(frozen=True)
class Draft:
    source: str
    minute: int
    kind: str  # "scan", "correction" or "packed"
    milestone: str = "unknown"
    tracking: str | None = None
    packages: tuple[str, ...] = ()


def _record(seq: int, draft: Draft, version: str) -> JournalRecord:
    time = (BASE + timedelta(minutes=draft.minute)).isoformat()
    if draft.kind == "packed":
        event = new_event(
            "shipment.packed",
            {
                "number": "SH1",
                "tracking_number": MASTER,
                "packages": [{"tracking_number": t} for t in draft.packages],
            },
            source=draft.source,
            id=f"{draft.source}-{seq}",
            time=time,
            sourceversion=version,
        )
    else:
        data: dict[str, Any] = {
            "shipment_number": "SH1",
            "milestone": draft.milestone,
            "occurred_at": time,
            "carrier": "ups",
        }
        if draft.tracking is not None:
            data["tracking_number"] = draft.tracking
        kind = (
            "shipment.milestone_corrected"
            if draft.kind == "correction"
            else "shipment.milestone_recorded"
        )
        event = new_event(
            kind,
            data,
            source=draft.source,
            id=f"{draft.source}-{seq}",
            time=time,
            sourceversion=version,
        )
    return journal_record(event, seq, utc_text(BASE))


def _stamp(record: JournalRecord) -> Stamp:
    return Stamp(record.source, record.version_key, record.time, record.event_id)


def _newest(records: list[JournalRecord], rank: Any = lambda _: 0) -> JournalRecord:
    best = records[0]
    for other in records[1:]:
        r, best_r = rank(other), rank(best)
        if r > best_r or (r == best_r and _stamp(other).newer_than(_stamp(best))):
            best = other
    return best


def _value(record: JournalRecord) -> Any:
    return EVENT_TYPES[record.type].effect(record.data)["status"]


def _part(record: JournalRecord) -> str | None:
    return LIFECYCLE.part_of(_value(record))


def _rank(record: JournalRecord) -> int:
    return LIFECYCLE.rank(_value(record))


def _correction(record: JournalRecord) -> bool:
    return EVENT_TYPES[record.type].correction


# -- generating histories -------------------------------------------------------------------

_scan = st.builds(
    Draft,
    st.sampled_from(("ups", "ups", "tms")),
    st.integers(0, 4),  # few instants: ties across systems are common
    st.sampled_from(("scan", "scan", "correction")),
    st.sampled_from(MILESTONES),
    st.sampled_from((*NUMBERS, MASTER, None)),
)
_packing = st.builds(
    Draft,
    st.just("wms"),
    st.integers(0, 4),
    st.just("packed"),
    st.just("unknown"),
    st.none(),
    st.lists(st.sampled_from(NUMBERS), min_size=1, max_size=3, unique=True).map(tuple),
)


@dataclass(frozen=True)
class History:
    facts: tuple[JournalRecord, ...]
    order: tuple[int, ...]

    def arriving(self) -> list[JournalRecord]:
        return [self.facts[i] for i in self.order]


@st.composite
def histories(draw: st.DrawFn, max_scans: int = 9, max_packings: int = 3) -> History:
    drafts = draw(st.lists(_scan, min_size=1, max_size=max_scans))
    drafts += draw(st.lists(_packing, max_size=max_packings))
    versions = [""] * len(drafts)
    for source in sorted({d.source for d in drafts}):  # versions grow with time per system
        mine = sorted(
            (i for i, d in enumerate(drafts) if d.source == source),
            key=lambda i: (drafts[i].minute, i),
        )
        version = draw(st.integers(1, 9))
        for i in mine:
            versions[i] = f"{version:04d}"
            version += draw(st.integers(1, 30))
    facts = tuple(_record(i + 1, d, versions[i]) for i, d in enumerate(drafts))
    extra = draw(st.lists(st.integers(0, len(facts) - 1), max_size=len(facts)))
    return History(facts, tuple(draw(st.permutations([*range(len(facts)), *extra]))))


# -- the rule stated on the set of facts -----------------------------------------------------


def expected(facts: tuple[JournalRecord, ...], rules: Rules) -> tuple[str, dict[str, Any]] | None:
    """``core.status_rule``'s rule: owners' facts (fills only while no owner spoke, never a
    fill's correction). With fewer than two packages (newest packing), the newest correction
    and the plain facts newer than it compete: highest (rank, stamp). With two or more, each
    package counts the facts naming it, naming no number or the shipment's own number; its
    newest correction cuts off its older facts; its winner is the highest (rank, stamp); the
    shipment shows the least advanced package (lowest rank, newest among equals); a package
    with no fact keeps it from terminal (then the best open counted fact stands); when no
    fact is about a current package, the facts decide as for one package."""
    rule = rules.ownership.rule("shipment", "status")
    scans = [f for f in facts if f.type != "shipment.packed"]
    owners = [f for f in scans if rule is None or rule.owned_by(f.source)]
    fills = [
        f for f in scans if rule is not None and not rule.owned_by(f.source) and not _correction(f)
    ]
    pool, kind = (owners, "owner") if owners else (fills, "fill")
    if not pool:
        return None

    def after_correction(group: list[JournalRecord]) -> list[JournalRecord]:
        corrections = [f for f in group if _correction(f)]
        if not corrections:
            return group
        base = _newest(corrections)
        return [base] + [
            f for f in group if not _correction(f) and _stamp(f).newer_than(_stamp(base))
        ]

    packings = [f for f in facts if f.type == "shipment.packed"]
    parts: frozenset[str] = frozenset()
    if packings:
        packing = _newest(packings)
        parts = frozenset(tracking_key(p["tracking_number"]) for p in packing.data["packages"])
        parts = parts if len(parts) > 1 else frozenset()
    whole = tracking_key(MASTER)
    if not parts:
        winner = _newest(after_correction(pool), _rank)
    else:
        winners, counted = {}, []
        for part in parts:
            mine = [
                f
                for f in pool
                if _part(f) in (part, None) or (_part(f) == whole and whole not in parts)
            ]
            if mine:
                candidates = after_correction(mine)
                counted += candidates
                winners[part] = _newest(candidates, _rank)
        if not winners:
            winner = _newest(after_correction(pool), _rank)
        else:
            least = None
            for w in winners.values():
                if (
                    least is None
                    or _rank(w) < _rank(least)
                    or (_rank(w) == _rank(least) and _stamp(w).newer_than(_stamp(least)))
                ):
                    least = w
            assert least is not None
            if len(winners) < len(parts) and _rank(least) == TERMINAL:
                open_ = [f for f in counted if _rank(f) < TERMINAL]
                if open_:
                    least = _newest(open_, _rank)
            winner = least
    return str(_value(winner)["milestone"]), {**_stamp(winner).as_json(), "kind": kind}


def _apply(records: list[JournalRecord], rules: Rules) -> Projection:
    projection = Projection("shipment:SH1")
    for record in records:
        apply_event(projection, record, rules)
    return projection


def _shown(projection: Projection) -> tuple[str, dict[str, Any]] | None:
    status = projection.state.get("status")
    if status is None:
        return None
    return str(status["milestone"]), projection.provenance["status"]


def _in_order(history: History) -> list[JournalRecord]:
    return sorted(history.facts, key=lambda f: _stamp(f).order_key())


# -- properties -----------------------------------------------------------------------------


@PROPERTY
@given(histories())
def test_status_with_corrections_and_repacking_is_a_function_of_the_set(history: History) -> None:
    want = expected(history.facts, OPEN)
    assert _shown(_apply(_in_order(history), OPEN)) == want
    assert _shown(_apply(history.arriving(), OPEN)) == want


@PROPERTY
@given(histories())
def test_status_with_fills_corrections_and_repacking_is_a_function_of_the_set(
    history: History,
) -> None:
    want = expected(history.facts, CARRIER_OWNS)
    assert _shown(_apply(_in_order(history), CARRIER_OWNS)) == want
    assert _shown(_apply(history.arriving(), CARRIER_OWNS)) == want


@PROPERTY
@given(histories(), st.data())
def test_pruning_never_drops_a_fact_that_could_win_later(
    history: History, data: st.DataObject
) -> None:
    """Whatever arrived so far, whatever arrives next: the kept facts decide as the full set
    would. Apply a prefix, then the rest; at every step the projection equals the oracle on
    the facts seen so far (so a fact pruned early never was needed later)."""
    arriving = history.arriving()
    projection = Projection("shipment:SH1")
    seen: list[JournalRecord] = []
    for record in arriving:
        apply_event(projection, record, OPEN)
        seen.append(record)
        distinct = tuple({(f.source, f.event_id): f for f in seen}.values())
        assert _shown(projection) == expected(distinct, OPEN)


# -- single package: the fast path agrees with the general rule ------------------------------


@PROPERTY
@given(histories(max_packings=0))
def test_single_package_fast_path_equals_the_rule(history: History) -> None:
    for rules in (OPEN, CARRIER_OWNS):
        want = expected(history.facts, rules)
        assert _shown(_apply(history.arriving(), rules)) == want


# -- reasons --------------------------------------------------------------------------------


def _scan_record(seq: int, minute: int, milestone: str, tracking: str | None) -> JournalRecord:
    return _record(seq, Draft("ups", minute, "scan", milestone, tracking), f"{minute:04d}")


def _packed_record(seq: int, packages: tuple[str, ...]) -> JournalRecord:
    return _record(seq, Draft("wms", 0, "packed", packages=packages), "0001")


def test_the_reason_names_the_package_the_shipment_follows() -> None:
    """A shipment-wide scan is what holds the shipment back: the reason must not say that a
    package called ``None`` is in transit."""
    projection = Projection("shipment:SH1")
    apply_event(projection, _packed_record(1, NUMBERS[:2]), OPEN)
    apply_event(projection, _scan_record(2, 10, "in_transit", None), OPEN)
    decision = apply_event(projection, _scan_record(3, 20, "delivered", NUMBERS[0]), OPEN)
    reason = decision.superseded["status"]
    assert "None" not in reason, reason


def test_the_reason_does_not_say_a_package_follows_itself() -> None:
    """A package never scanned keeps the shipment open on the best open scan, here the same
    package's earlier one: 'the shipment follows its least advanced package (A is in
    transit)' after 'package A is delivered' is a contradiction."""
    projection = Projection("shipment:SH1")
    apply_event(projection, _packed_record(1, NUMBERS[:2]), OPEN)
    apply_event(projection, _scan_record(2, 10, "in_transit", NUMBERS[0]), OPEN)
    decision = apply_event(projection, _scan_record(3, 20, "delivered", NUMBERS[0]), OPEN)
    reason = decision.superseded["status"]
    assert f"({NUMBERS[0]} is" not in reason, reason


def test_a_correction_of_one_package_leaves_the_others_delivered() -> None:
    """Package B was delivered; package A's delivery was corrected back to in transit, then
    A was delivered again. Every package is delivered: B's delivery, older than A's
    correction, still counts (a correction cuts off its own package's facts only)."""
    a, b = NUMBERS[:2]
    records = [
        _packed_record(1, (a, b)),
        _scan_record(2, 10, "delivered", b),
        _scan_record(3, 20, "delivered", a),
        _record(4, Draft("ups", 30, "correction", "in_transit", a), "0030"),
        _scan_record(5, 40, "delivered", a),
    ]
    assert _shown(_apply(records, OPEN))[0] == "delivered"  # type: ignore[index]


def test_the_single_package_fast_path_neither_settles_nor_parses_stamps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """~10k events/s go through ``apply_status``: an owner's scan of a one-package shipment
    with no correction must stay a running maximum (no ``_settle``, no stamp parsing)."""
    from logisync.core import status_rule

    projection = Projection("shipment:SH1")
    apply_event(projection, _scan_record(1, 0, "pre_transit", NUMBERS[0]), OPEN)
    calls: Counter[str] = Counter()

    def counted(name: str, original: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(status_rule, "_settle", counted("_settle", status_rule._settle))
    monkeypatch.setattr(
        status_rule.Stamp, "from_json", staticmethod(counted("from_json", Stamp.from_json))
    )
    milestones = ("picked_up", "in_transit", "exception", "in_transit", "delivered")
    for seq, milestone in enumerate(milestones * 10, 2):
        apply_event(projection, _scan_record(seq, seq, milestone, NUMBERS[0]), OPEN)
    assert calls == Counter(), calls
    assert len(projection.meta["status_facts"]["status"]) <= 2


def test_a_package_repacked_away_does_not_deliver_the_others() -> None:
    """Packed in A, B, C; C (delivered) was merged into A and B by a later packing. C's number
    is now no package's and not the shipment's: its delivery counts for neither A nor B, and
    the shipment stays in transit (Odoo must not validate the picking)."""
    a, b, c = NUMBERS[:3]
    records = [
        _record(1, Draft("wms", 0, "packed", packages=(a, b, c)), "0001"),
        _scan_record(2, 1, "in_transit", a),
        _scan_record(3, 2, "in_transit", b),
        _scan_record(4, 3, "delivered", c),
        _record(5, Draft("wms", 4, "packed", packages=(a, b)), "0002"),
    ]
    assert _shown(_apply(records, OPEN))[0] == "in_transit"  # type: ignore[index]
