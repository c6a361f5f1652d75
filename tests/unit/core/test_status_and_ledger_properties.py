"""Property tests: status and stock on hand are computed from the facts kept in ``meta``.

``core.status_rule`` and ``core.ledger_rule`` no longer patch the current value with the latest
fact; they recompute it from the facts they keep. The projection should therefore be a
function of the *set* of facts about an entity, even with the two features that used to make
it order-dependent: corrections (which may move a status back) and fills (a non-owner's value
that holds only until an owner speaks), and, for stock, adjustments re-posted under new event
ids at other times, on both sides of a report, in more than one unit.

Each property generates a set of facts about ONE entity, delivers it permuted and with
repeats (the same journal record again) to ``apply_event`` and compares the projection with
the in-order run (stamp order of ``core.stamps``, each fact once) and with an oracle that
states the rule directly on the set, independently of the code's incremental bookkeeping.

Generated facts respect the one assumption ``core.stamps`` makes: within a system,
``sourceversion`` grows with the event time. Times come from a handful of instants so that
ties (decided by system name across systems, by version within one) are frequent.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from logisync.core.clock import utc_text
from logisync.core.journal import journal_record
from logisync.core.ports import JournalRecord, Projection
from logisync.core.rules import DomainOwnership, FieldRule, OwnershipMap, Rules
from logisync.core.sequencing import apply_event
from logisync.core.stamps import Stamp
from logisync.model import EVENT_TYPES, LIFECYCLES, Event, new_event
from logisync.model.entities.logistics import MILESTONES

JsonObject = dict[str, Any]

BASE_TIME = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
ORDER_KEY = "sales_order:SO1"
SHIPMENT_KEY = "shipment:SH1"
STOCK_KEY = "stock_level:L1/SKU1"

OPEN = Rules()
"""Nobody owns anything: every fact is an owner's, so only ordering and corrections decide."""

FILLED_BY_OTHERS = Rules(
    ownership=OwnershipMap(
        {
            "sales_order": DomainOwnership(
                fields={"status": FieldRule(frozenset({"odoo"}), "fill_if_empty")}
            )
        }
    )
)
"""The order status is odoo's; wms and shop may fill it until odoo has said anything."""

PURE = settings(max_examples=200, deadline=None)


# -- generated facts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A fact before it gets its envelope: who says it, when (minutes after BASE_TIME), what."""

    source: str
    minute: int
    type: str
    data: JsonObject


@dataclass(frozen=True)
class History:
    """Distinct facts about one entity (one journal record each) and their arrival order:
    indexes into ``facts``, every fact at least once, some more than once."""

    facts: tuple[JournalRecord, ...]
    order: tuple[int, ...]

    def arriving(self) -> list[JournalRecord]:
        return [self.facts[i] for i in self.order]


_TIMED = {"shipment.milestone_recorded", "shipment.milestone_corrected", "stock.adjusted"}


def _event(draft: Draft, event_id: str, sourceversion: str) -> Event:
    time = BASE_TIME + timedelta(minutes=draft.minute)
    data = dict(draft.data)
    if draft.type in _TIMED:
        data["occurred_at"] = time.isoformat()
    return new_event(
        draft.type,
        data,
        source=draft.source,
        id=event_id,
        time=time.isoformat(),
        sourceversion=sourceversion,
    )


def record(seq: int, event: Event) -> JournalRecord:
    """The journal record the processor would read for ``event``."""
    return journal_record(event, seq, utc_text(BASE_TIME))


@st.composite
def _versions(draw: st.DrawFn, drafts: Sequence[Draft]) -> list[str]:
    """Per system, versions that grow with time, with gaps so that 9 < 10 is exercised."""
    versions = [""] * len(drafts)
    for source in sorted({d.source for d in drafts}):
        mine = sorted(
            (i for i, d in enumerate(drafts) if d.source == source),
            key=lambda i: (drafts[i].minute, i),
        )
        version = draw(st.integers(1, 9))
        for i in mine:
            versions[i] = str(version)
            version += draw(st.integers(1, 60))
    return versions


@st.composite
def histories(draw: st.DrawFn, drafts: st.SearchStrategy[list[Draft]]) -> History:
    """Turn drafts into journal records and draw a permutation with up to n repeats."""
    chosen = draw(drafts)
    versions = draw(_versions(chosen))
    facts = tuple(
        record(i + 1, _event(draft, f"{draft.source}-{i}", versions[i]))
        for i, draft in enumerate(chosen)
    )
    count = len(facts)
    extra = draw(st.lists(st.integers(0, count - 1), max_size=count))
    return History(facts, tuple(draw(st.permutations([*range(count), *extra]))))


MINUTES = st.integers(0, 3)  # few instants: ties in time are common

ORDER_STATUSES = tuple(LIFECYCLES["sales_order"].ranks)
ORDER_STATUS_FACTS = (
    "sales_order.placed",
    "sales_order.confirmed",
    "sales_order.released",
    "sales_order.picked",
    "sales_order.packed",
    "sales_order.shipped",
    "sales_order.delivered",
    "sales_order.cancelled",
)


def _order_status_draft(source: str, minute: int, fact: str, corrected_to: str) -> Draft:
    if fact == "sales_order.status_corrected":
        return Draft(source, minute, fact, {"number": "SO1", "status": corrected_to})
    return Draft(source, minute, fact, {"number": "SO1"})


def order_status_facts(sources: Sequence[str]) -> st.SearchStrategy[list[Draft]]:
    """Order status facts and corrections (about half, to any status) from ``sources``."""
    facts = st.sampled_from(ORDER_STATUS_FACTS) | st.just("sales_order.status_corrected")
    draft = st.builds(
        _order_status_draft,
        st.sampled_from(sources),
        MINUTES,
        facts,
        st.sampled_from(ORDER_STATUSES),
    )
    return st.lists(draft, min_size=1, max_size=8)


def shipment_milestones(sources: Sequence[str]) -> st.SearchStrategy[list[Draft]]:
    """Carrier scans and corrections (about one in three) from ``sources``."""
    data = st.fixed_dictionaries(
        {
            "shipment_number": st.just("SH1"),
            "milestone": st.sampled_from(MILESTONES),
            "carrier": st.sampled_from(["dhl", "ups"]),
        }
    )
    kinds = st.sampled_from(["shipment.milestone_recorded"] * 2 + ["shipment.milestone_corrected"])
    draft = st.builds(Draft, st.sampled_from(sources), MINUTES, kinds, data)
    return st.lists(draft, min_size=1, max_size=8)


AMOUNTS = st.integers(-5, 20).map(str) | st.sampled_from(["0.5", "1.25", "-2.5", "3.10"])
UNITS = st.sampled_from(["H87", "H87", None, "KGM"])
"""Mostly pieces (given, or left to the default), sometimes kilograms."""


def _quantity(value: str, unit: str | None) -> JsonObject:
    return {"value": value, **({"unit": unit} if unit else {})}


@st.composite
def ledger_facts(draw: st.DrawFn) -> list[Draft]:
    """Stock reports and adjustments; an adjustment id is posted one to three times under
    new event ids at independent times (so often on both sides of a report), always by the
    same system and with the same delta, as a sender re-posting it does."""
    adjustments = draw(
        st.lists(st.tuples(st.sampled_from(["wms", "odoo"]), AMOUNTS, UNITS), max_size=3)
    )
    drafts: list[Draft] = []
    for number, (source, amount, unit) in enumerate(adjustments):
        for minute in draw(st.lists(st.integers(0, 4), min_size=1, max_size=3)):
            data = {
                "location": "L1",
                "sku": "SKU1",
                "adjustment_id": f"ADJ{number}",
                "delta": _quantity(amount, unit),
                "reason": "found",
            }
            drafts.append(Draft(source, minute, "stock.adjusted", data))
    report = st.builds(
        lambda source, minute, amount, unit: Draft(
            source,
            minute,
            "stock.level_reported",
            {"location": "L1", "sku": "SKU1", "on_hand": _quantity(amount, unit)},
        ),
        st.sampled_from(["wms", "odoo"]),
        st.integers(1, 3),  # inside the adjustments' span: their copies often straddle it
        AMOUNTS,
        UNITS,
    )
    drafts += draw(st.lists(report, min_size=0 if drafts else 1, max_size=3))
    return draw(st.permutations(drafts))


# -- stamp order and applying --------------------------------------------------------------


def stamp_of(fact: JournalRecord) -> Stamp:
    return Stamp(fact.source, fact.version_key, fact.time, fact.event_id)


def _compare(a: Stamp, b: Stamp) -> int:
    return 1 if a.newer_than(b) else -1 if b.newer_than(a) else 0


_STAMP_KEY = functools.cmp_to_key(_compare)


def by_stamp(fact: JournalRecord) -> Any:
    """Sort key: the order of ``Stamp.newer_than``."""
    return _STAMP_KEY(stamp_of(fact))


def apply_all(key: str, facts: Iterable[JournalRecord], rules: Rules) -> Projection:
    projection = Projection(key)
    for fact in facts:
        apply_event(projection, fact, rules)
    return projection


def assert_order_free(key: str, history: History, rules: Rules) -> Projection:
    """Permuted, repeated delivery gives the in-order, repeat-free projection; return it."""
    in_order = apply_all(key, sorted(history.facts, key=by_stamp), rules)
    arrived = apply_all(key, history.arriving(), rules)
    assert (arrived.state, arrived.provenance) == (in_order.state, in_order.provenance)
    return arrived


# -- oracles: the rules stated on the set of facts -----------------------------------------


def status_of(fact: JournalRecord) -> Any:
    return EVENT_TYPES[fact.type].effect(fact.data)["status"]


def is_correction(fact: JournalRecord) -> bool:
    return EVENT_TYPES[fact.type].correction


def expected_status(facts: Iterable[JournalRecord], rules: Rules) -> tuple[Any, JsonObject] | None:
    """The status the set of ``facts`` determines, and the provenance of its fact.

    Owners' facts, or the fills if no owner has spoken. Of those, the newest correction C
    and every non-correction newer than C (all of them when there is no correction) are the
    candidates; the highest (lifecycle rank, stamp) wins.
    """
    distinct = {(fact.source, fact.event_id): fact for fact in facts}.values()
    if not distinct:
        return None
    domain = EVENT_TYPES[next(iter(distinct)).type].domain
    lifecycle = LIFECYCLES[domain]
    rule = rules.ownership.rule(domain, "status")
    owners = [f for f in distinct if rule is None or rule.owned_by(f.source)]
    fills = [  # a non-owner may fill the status, but never correct it
        f
        for f in distinct
        if rule is not None and rule.policy == "fill_if_empty" and not is_correction(f)
    ]
    pool, kind = (owners, "owner") if owners else (fills, "fill")
    if not pool:
        return None
    corrections = [f for f in pool if is_correction(f)]
    candidates = pool
    if corrections:
        newest = max(corrections, key=by_stamp)
        candidates = [newest] + [
            f for f in pool if not is_correction(f) and stamp_of(f).newer_than(stamp_of(newest))
        ]
    winner = max(candidates, key=lambda f: (lifecycle.rank(status_of(f)), by_stamp(f)))
    return status_of(winner), {**stamp_of(winner).as_json(), "kind": kind}


def _unit(quantity: JsonObject) -> str:
    return str(quantity.get("unit", "H87"))


def expected_on_hand(facts: Iterable[JournalRecord]) -> tuple[JsonObject, JsonObject] | None:
    """Stock on hand from the set of ``facts``, and the provenance of its newest part.

    R = the newest report. An adjustment id counts iff its earliest copy is newer than R (or
    there is no report), as that copy's stamp. Only deltas in R's unit are summed (without a
    report: the unit of the earliest counted delta).
    """
    distinct = sorted({fact.event_id: fact for fact in facts}.values(), key=by_stamp)
    reports = [f for f in distinct if f.type == "stock.level_reported"]
    report = reports[-1] if reports else None
    earliest: dict[str, JournalRecord] = {}
    for fact in distinct:
        if fact.type == "stock.adjusted":
            earliest.setdefault(fact.data["adjustment_id"], fact)
    counted = [
        f for f in earliest.values() if report is None or stamp_of(f).newer_than(stamp_of(report))
    ]
    if report is None and not counted:
        return None
    unit = _unit(report.data["on_hand"]) if report else _unit(counted[0].data["delta"])
    summed = [f for f in counted if _unit(f.data["delta"]) == unit]
    total = Decimal(report.data["on_hand"]["value"]) if report else Decimal(0)
    total += sum((Decimal(f.data["delta"]["value"]) for f in summed), Decimal(0))
    newest = max([*summed, *([report] if report else [])], key=by_stamp)
    return {"value": str(total), "unit": unit}, {**stamp_of(newest).as_json(), "kind": "owner"}


def shown_status(projection: Projection) -> tuple[Any, JsonObject] | None:
    if "status" not in projection.state:
        return None
    return projection.state["status"], projection.provenance["status"]


# -- 1: corrections ------------------------------------------------------------------------


@PURE
@given(histories(shipment_milestones(["carrier", "tms", "wms"])))
def test_shipment_status_with_corrections_is_a_function_of_the_set_of_facts(
    history: History,
) -> None:
    """A correction may move the milestone back, and cuts off only what is older than it:
    so the newest correction and the scans after it decide, in whatever order they came."""
    projection = assert_order_free(SHIPMENT_KEY, history, OPEN)
    assert shown_status(projection) == expected_status(history.facts, OPEN)


@PURE
@given(histories(order_status_facts(["odoo", "wms", "shop"])))
def test_order_status_with_corrections_is_a_function_of_the_set_of_facts(
    history: History,
) -> None:
    """``sales_order.status_corrected`` to any status, mixed with status facts of every
    rank: the final status and its provenance do not depend on arrival order or repeats."""
    projection = assert_order_free(ORDER_KEY, history, OPEN)
    assert shown_status(projection) == expected_status(history.facts, OPEN)


# -- 2: fill_if_empty ----------------------------------------------------------------------


@PURE
@given(histories(order_status_facts(["odoo", "wms", "shop"])))
def test_order_status_fills_count_only_until_the_owner_speaks_whatever_the_arrival(
    history: History,
) -> None:
    """A fill that arrived before odoo's first fact is dropped when odoo's fact arrives, and
    one that arrives after it is refused: either way odoo's facts alone decide once there is
    one; before that the fills compete by the same rule. A non-owner's correction is refused:
    only the owner may move a status back."""
    projection = assert_order_free(ORDER_KEY, history, FILLED_BY_OTHERS)
    expected = expected_status(history.facts, FILLED_BY_OTHERS)
    assert shown_status(projection) == expected
    owner_spoke = any(f.source == "odoo" for f in history.facts)
    if expected is not None:
        assert expected[1]["kind"] == ("owner" if owner_spoke else "fill")


# -- 3: the stock ledger -------------------------------------------------------------------


@PURE
@given(histories(ledger_facts()))
def test_stock_on_hand_is_newest_report_plus_adjustments_first_posted_after_it(
    history: History,
) -> None:
    """An adjustment re-posted under another event id at another time is one adjustment,
    dated by its first copy: in the report if that copy is older, counted once if newer, even
    when a copy on the other side of the report arrives first. Other units are left out."""
    projection = assert_order_free(STOCK_KEY, history, OPEN)
    expected = expected_on_hand(history.facts)
    assert expected is not None
    assert (projection.state["on_hand"], projection.provenance["on_hand"]) == expected
    assert (projection.state["location"], projection.state["sku"]) == ("L1", "SKU1")


# -- 4: no stale value, step by step -------------------------------------------------------


@PURE
@given(
    st.one_of(
        histories(shipment_milestones(["carrier", "tms", "wms"])).map(
            lambda h: (SHIPMENT_KEY, OPEN, h)
        ),
        histories(order_status_facts(["odoo", "wms", "shop"])).map(lambda h: (ORDER_KEY, OPEN, h)),
        histories(order_status_facts(["odoo", "wms", "shop"])).map(
            lambda h: (ORDER_KEY, FILLED_BY_OTHERS, h)
        ),
    )
)
def test_status_after_every_step_is_the_winner_of_the_facts_seen_so_far(
    case: tuple[str, Rules, History],
) -> None:
    """Checking only the end state would miss a value that sticks for a while to a fact
    that has since lost (to a correction, to the owner, to a higher rank): after each single
    fact, the status must already be what the facts seen so far determine."""
    key, rules, history = case
    projection = Projection(key)
    seen: list[JournalRecord] = []
    for step, fact in enumerate(history.arriving()):
        apply_event(projection, fact, rules)
        seen.append(fact)
        assert shown_status(projection) == expected_status(seen, rules), f"after step {step}"


@PURE
@given(histories(ledger_facts()))
def test_stock_after_every_step_is_what_the_facts_seen_so_far_determine(
    history: History,
) -> None:
    """The ledger adds a new adjustment in the stock's unit directly, without recomputing;
    after each single fact the quantity must still be what the facts seen so far say."""
    projection = Projection(STOCK_KEY)
    seen: list[JournalRecord] = []
    for step, fact in enumerate(history.arriving()):
        apply_event(projection, fact, OPEN)
        seen.append(fact)
        shown = (projection.state["on_hand"], projection.provenance["on_hand"])
        assert shown == expected_on_hand(seen), f"after step {step}"
