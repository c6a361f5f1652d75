"""Property tests: the processor's result does not depend on arrival order or duplication.

The hub promises (see ``core.sequencing``) that the projection of an entity is a function of
the *set* of facts about it, not of the order in which they arrived nor of how often. Each
property below generates a set of facts about ONE entity from several systems, delivers it
permuted and with duplicates, and compares the outcome with the in-order, duplicate-free run
("in order" = the stamp order of ``core.stamps``) and with an independent oracle that states
the rule in a few lines.

Generated facts respect the one assumption ``core.stamps`` makes: within a system,
``sourceversion`` grows with the event time. Times are drawn from a handful of instants so
that ties in time across systems (decided by system name) and within a system (decided by
version) are frequent.

Each property runs at two levels: pure (``apply_event`` on ``JournalRecord``s built by hand)
and through the whole pipeline (journal, SQLite store, processor).
"""

from __future__ import annotations

import functools
import itertools
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logisync.core.clock import ManualClock, utc_text
from logisync.core.journal import Journal, journal_record
from logisync.core.ports import JournalRecord, Projection
from logisync.core.processor import Processor
from logisync.core.rules import DomainOwnership, FieldRule, OwnershipMap, Rules
from logisync.core.sequencing import apply_event
from logisync.core.stamps import Stamp, version_key
from logisync.model import EVENT_TYPES, LIFECYCLES, Event, new_event
from logisync.model.entities.logistics import MILESTONES
from logisync.store.sqlite import SqliteStore

JsonObject = dict[str, Any]

BASE_TIME = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
ORDER_KEY = "sales_order:SO1"
SHIPMENT_KEY = "shipment:SH1"
STOCK_KEY = "stock_level:L1/SKU1"

RULES = Rules(
    ownership=OwnershipMap(
        {
            "sales_order": DomainOwnership(
                fields={
                    "channel": FieldRule(frozenset({"shop"}), "owner_only"),
                    "customer_ref": FieldRule(frozenset({"odoo"}), "fill_if_empty"),
                    "currency": FieldRule(frozenset({"odoo"}), "propose"),
                }
            )
        }
    )
)
"""channel: shop only; customer_ref: odoo's, others may fill it; currency: odoo's, others
propose; requested_date and status: open to every system."""

PLAIN_FIELDS = ("channel", "customer_ref", "currency", "requested_date")

PURE = settings(max_examples=300, deadline=None)
PIPELINE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- generated facts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A fact before it gets its envelope: who says it, when (minutes after BASE_TIME), what.

    ``copies`` > 1 makes the sender post the same fact again under a new event id (same time,
    same sourceversion, same content), as a sender that regenerates ids on retry does.

    Restricted on purpose: copies share everything but the id. The ledger forgets the ids of
    adjustments absorbed into a stock report, so copies of one adjustment with *different*
    times on both sides of a report are counted twice (in the report and again as a newer
    delta) in some arrival orders, in stamp order too: adjusted@10:01 (+2), reported@10:02
    (10), the same adjustment again @10:03 gives 12 in that order but 10 when the copy
    arrives before the report. Fixing that needs a design decision (keep absorbed ids, for
    how long), so it is reported rather than generated here.
    """

    source: str
    minute: int
    type: str
    data: JsonObject
    copies: int = 1


@dataclass(frozen=True)
class Arrival:
    """How the facts reach the hub: indexes into the distinct events, repeats allowed, cut
    into journal batches; ``eager`` runs the processor after every batch."""

    order: tuple[int, ...]
    cuts: tuple[int, ...] = ()
    eager: bool = False

    def batches(self) -> list[tuple[int, ...]]:
        bounds = [0, *self.cuts, len(self.order)]
        return [self.order[a:b] for a, b in itertools.pairwise(bounds)]


@dataclass(frozen=True)
class History:
    events: tuple[Event, ...]  # distinct facts, in no particular order
    arrival: Arrival

    def arriving(self) -> list[Event]:
        return [self.events[i] for i in self.arrival.order]


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
def arrivals(draw: st.DrawFn, count: int) -> Arrival:
    """Any permutation of the events, with up to ``count`` extra copies, in 1 to 4 batches."""
    extra = draw(st.lists(st.integers(0, count - 1), max_size=count))
    order = tuple(draw(st.permutations([*range(count), *extra])))
    cuts = draw(st.sets(st.integers(1, len(order) - 1), max_size=3)) if len(order) > 1 else set()
    return Arrival(order, tuple(sorted(cuts)), draw(st.booleans()))


@st.composite
def histories(draw: st.DrawFn, drafts: st.SearchStrategy[Draft], max_size: int = 7) -> History:
    """Distinct facts about one entity, and one way for them to arrive."""
    chosen = [
        # every drafted adjustment is a new one (its copies repeat its id)
        Draft(d.source, d.minute, d.type, {**d.data, "adjustment_id": f"ADJ{i}"}, d.copies)
        if d.type == "stock.adjusted"
        else d
        for i, d in enumerate(draw(st.lists(drafts, min_size=1, max_size=max_size)))
    ]
    versions = draw(_versions(chosen))
    events = tuple(
        _event(draft, f"{draft.source}-{i}" + (f"-again{copy}" if copy else ""), versions[i])
        for i, draft in enumerate(chosen)
        for copy in range(draft.copies)
    )
    return History(events, draw(arrivals(len(events))))


MINUTES = st.integers(0, 3)  # few instants: ties in time are common


def order_changes() -> st.SearchStrategy[Draft]:
    data = st.fixed_dictionaries(
        {"number": st.just("SO1")},
        optional={
            "channel": st.sampled_from(["web", "b2b", "pos"]),
            "customer_ref": st.sampled_from(["C1", "C2", "C3"]),
            "currency": st.sampled_from(["EUR", "USD", "CHF"]),
            "requested_date": st.sampled_from(["2026-03-05", "2026-03-06", "2026-03-09"]),
        },
    )
    return st.builds(
        Draft,
        st.sampled_from(["shop", "odoo", "wms"]),
        MINUTES,
        st.just("sales_order.changed"),
        data,
    )


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


def order_status_facts() -> st.SearchStrategy[Draft]:
    return st.builds(
        Draft,
        st.sampled_from(["shop", "odoo", "wms"]),
        MINUTES,
        st.sampled_from(ORDER_STATUS_FACTS),
        st.just({"number": "SO1"}),
    )


def milestones(sources: Sequence[str] = ("carrier", "tms", "wms")) -> st.SearchStrategy[Draft]:
    data = st.fixed_dictionaries(
        {
            "shipment_number": st.just("SH1"),
            "milestone": st.sampled_from(MILESTONES),
            "carrier": st.sampled_from(["dhl", "ups"]),
        }
    )
    return st.builds(
        Draft, st.sampled_from(sources), MINUTES, st.just("shipment.milestone_recorded"), data
    )


AMOUNTS = st.integers(-5, 20).map(str) | st.sampled_from(["0.5", "1.25", "-2.5", "3.10"])
UNIT = {"unit": "H87"}
"""Stock is generated in pieces only, the unit given or left to its default. Restricted on
purpose: a delta in another unit than the stock is refused only once a report has fixed the
unit; before that it is counted and later added to the report's quantity whatever its unit, so
mixed units are order-dependent (a design gap, reported, not generated here)."""


def _quantity(value: str, explicit_unit: bool) -> JsonObject:
    return {"value": value, **(UNIT if explicit_unit else {})}


def stock_reports() -> st.SearchStrategy[Draft]:
    data = st.builds(
        lambda value, unit: {"location": "L1", "sku": "SKU1", "on_hand": _quantity(value, unit)},
        AMOUNTS,
        st.booleans(),
    )
    sources = st.sampled_from(["wms", "odoo"])
    return st.builds(Draft, sources, MINUTES, st.just("stock.level_reported"), data)


def stock_adjustments() -> st.SearchStrategy[Draft]:
    data = st.builds(
        lambda value, unit: {
            "location": "L1",
            "sku": "SKU1",
            "delta": _quantity(value, unit),
            "reason": "found",
        },
        AMOUNTS,
        st.booleans(),
    )
    sources = st.sampled_from(["wms", "odoo"])
    copies = st.integers(1, 2)
    return st.builds(Draft, sources, MINUTES, st.just("stock.adjusted"), data, copies)


# -- stamp order and the pure level --------------------------------------------------------


def stamp_of(event: Event) -> Stamp:
    return Stamp(event.source, version_key(event.sourceversion), utc_text(event.time), event.id)


def _compare(a: Stamp, b: Stamp) -> int:
    return 1 if a.newer_than(b) else -1 if b.newer_than(a) else 0


STAMP_ORDER = functools.cmp_to_key(_compare)


def in_stamp_order(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda event: STAMP_ORDER(stamp_of(event)))


def newest(events: Iterable[Event], rank: Callable[[Event], int] = lambda _: 0) -> Event:
    return max(events, key=lambda event: (rank(event), STAMP_ORDER(stamp_of(event))))


def writer(event: Event, kind: str = "owner") -> JsonObject:
    return {**stamp_of(event).as_json(), "kind": kind}


def record(seq: int, event: Event) -> JournalRecord:
    """The journal record the processor would read for ``event``."""
    return journal_record(event, seq, utc_text(BASE_TIME))


def apply_all(key: str, events: Iterable[Event], rules: Rules = RULES) -> Projection:
    """Apply events in the given order; a repeated event is the same record again."""
    projection = Projection(key)
    records: dict[str, JournalRecord] = {}
    for event in events:
        journaled = records.setdefault(event.id, record(len(records) + 1, event))
        apply_event(projection, journaled, rules)
    return projection


def view(projection: Projection) -> tuple[JsonObject, JsonObject]:
    return projection.state, projection.provenance


def assert_order_free(key: str, history: History) -> tuple[JsonObject, JsonObject]:
    """Permuted and duplicated delivery gives the in-order projection; return the latter."""
    expected = view(apply_all(key, in_stamp_order(history.events)))
    assert view(apply_all(key, history.arriving())) == expected
    return expected


# -- oracles: each rule of core.sequencing in a few lines ------------------------------------


def expected_plain_fields(events: Sequence[Event]) -> tuple[JsonObject, JsonObject]:
    """Per field, the newest write of an owner; failing that the newest fill; else nothing."""
    state: JsonObject = {"number": "SO1"}
    provenance: JsonObject = {}
    for name in PLAIN_FIELDS:
        rule = RULES.ownership.rule("sales_order", name)
        writes = [event for event in events if name in event.data]
        owners = [e for e in writes if rule is None or rule.owned_by(e.source)]
        fills = [e for e in writes if rule is not None and rule.policy == "fill_if_empty"]
        if owners:
            winner, kind = newest(owners), "owner"
        elif fills:
            winner, kind = newest(fills), "fill"
        else:
            continue
        state[name] = winner.data[name]
        provenance[name] = writer(winner, kind)
    return state, provenance


def status_of(event: Event) -> Any:
    return EVENT_TYPES[event.type].effect(event.data)["status"]


def expected_status(events: Sequence[Event], domain: str) -> tuple[Any, JsonObject]:
    """The status of the highest rank, the newest among equals: it never moves back."""
    lifecycle = LIFECYCLES[domain]
    winner = newest(events, rank=lambda event: lifecycle.rank(status_of(event)))
    return status_of(winner), writer(winner)


def expected_stock(events: Sequence[Event]) -> tuple[JsonObject, JsonObject] | None:
    """Latest report plus the adjustments newer than it, each adjustment id once.

    A repeated adjustment id counts from its first posting (copies share its stamp but the
    event id). The provenance is the newest fact that the quantity is made of.
    """
    reports = [e for e in events if e.type == "stock.level_reported"]
    report = newest(reports) if reports else None
    first_postings: dict[str, Event] = {}
    for event in in_stamp_order(e for e in events if e.type == "stock.adjusted"):
        first_postings.setdefault(event.data["adjustment_id"], event)
    counted = [
        event
        for event in first_postings.values()
        if report is None or stamp_of(event).newer_than(stamp_of(report))
    ]
    if report is None and not counted:
        return None
    base = Decimal(report.data["on_hand"]["value"]) if report else Decimal(0)
    total = base + sum((Decimal(e.data["delta"]["value"]) for e in counted), Decimal(0))
    made_of = [*counted, *([report] if report else [])]
    return {"value": str(total), "unit": "H87"}, writer(newest(made_of))


# -- 1a + 2: pure level ----------------------------------------------------------------------


@PURE
@given(histories(order_changes()))
def test_plain_fields_are_the_newest_allowed_write_whatever_the_arrival(history: History) -> None:
    """Ownership decides who may write, the stamp decides among them, and an owner's write
    beats a fill even when older: so arrival order and repeats cannot matter."""
    assert assert_order_free(ORDER_KEY, history) == expected_plain_fields(history.events)


@PURE
@given(histories(order_status_facts()))
def test_order_status_is_the_highest_rank_newest_whatever_the_arrival(history: History) -> None:
    """A late 'confirmed' after 'shipped' must not move the order back."""
    state, provenance = assert_order_free(ORDER_KEY, history)
    status, by = expected_status(history.events, "sales_order")
    assert (state["status"], provenance["status"]) == (status, by)


@PURE
@given(histories(milestones()))
def test_shipment_milestone_is_the_highest_rank_newest_whatever_the_arrival(
    history: History,
) -> None:
    """Carrier scans arrive out of order all the time; the milestone never regresses, and
    among equal ranks (in_transit/exception, the terminal states) the newest scan wins."""
    state, provenance = assert_order_free(SHIPMENT_KEY, history)
    status, by = expected_status(history.events, "shipment")
    assert state == {"status": status}
    assert provenance == {"status": by}


@PURE
@given(histories(stock_reports() | stock_adjustments()))
def test_stock_on_hand_is_latest_report_plus_newer_deltas_whatever_the_arrival(
    history: History,
) -> None:
    """A delta older than the latest report is already in it; an adjustment posted twice
    (even under two event ids) is counted once."""
    state, provenance = assert_order_free(STOCK_KEY, history)
    expected = expected_stock(history.events)
    assert expected is not None
    assert (state["on_hand"], provenance["on_hand"]) == expected
    assert (state["location"], state["sku"]) == ("L1", "SKU1")


# -- 3: no stale value ever becomes current --------------------------------------------------


@PURE
@given(histories(order_changes(), max_size=9))
def test_no_stale_value_ever_becomes_current(history: History) -> None:
    """After every single step, each plain field's provenance is the same or newer: a value
    older than the current one is never shown, not even for a moment. The one allowed step
    back in time is an owner's write replacing a fill."""
    projection = Projection(ORDER_KEY)
    records: dict[str, JournalRecord] = {}
    for event in history.arriving():
        before = {name: dict(value) for name, value in projection.provenance.items()}
        journaled = records.setdefault(event.id, record(len(records) + 1, event))
        apply_event(projection, journaled, RULES)
        for name in PLAIN_FIELDS:
            old, new = before.get(name), projection.provenance.get(name)
            if old is None or new == old:
                continue
            assert new is not None, f"{name} lost its value"
            moved_forward = Stamp.from_json(new).newer_than(Stamp.from_json(old))
            owner_over_fill = (old["kind"], new["kind"]) == ("fill", "owner")
            assert moved_forward or owner_over_fill, f"{name}: {new} replaced newer {old}"


# -- corrections -----------------------------------------------------------------------------


@PURE
@given(
    histories(milestones(("carrier", "wms")), max_size=6),
    st.sampled_from(MILESTONES),
    st.integers(0, 20),
)
def test_a_correction_newer_than_every_fact_wins_whatever_the_arrival(
    history: History, corrected_to: str, position: int
) -> None:
    """Restricted on purpose: the correction is newer than every fact.

    A correction is judged against the status *as it stands when the correction arrives*
    (``_apply_status``), and only facts older than it are cut off afterwards. So with a fact
    newer than the correction, or with a correction older than some facts, the outcome
    depends on arrival order by design: e.g. delivered@1, correction->in_transit@2,
    out_for_delivery@3 gives out_for_delivery in stamp order, but in_transit when the
    out_for_delivery scan arrives before the correction (it is refused by rank then, and the
    correction, newer than delivered@1, applies). Corrections are therefore kept out of the
    permutation properties above; this is the order-free case.
    """
    correction = new_event(
        "shipment.milestone_corrected",
        {
            "shipment_number": "SH1",
            "milestone": corrected_to,
            "occurred_at": (BASE_TIME + timedelta(hours=1)).isoformat(),
        },
        source="tms",
        id="tms-correction",
        time=(BASE_TIME + timedelta(hours=1)).isoformat(),
    )
    events = (*history.events, correction)
    order = list(history.arrival.order)
    order.insert(position % (len(order) + 1), len(history.events))  # before, amid or after
    arrived = apply_all(SHIPMENT_KEY, [events[i] for i in order])
    in_order = apply_all(SHIPMENT_KEY, in_stamp_order(events))
    assert view(arrived) == view(in_order)
    assert arrived.state["status"]["milestone"] == corrected_to
    assert arrived.provenance["status"] == writer(correction)


def _milestone(milestone: str, minute: int, source: str = "carrier") -> Event:
    return _event(
        Draft(
            source,
            minute,
            "shipment.milestone_recorded",
            {"shipment_number": "SH1", "milestone": milestone},
        ),
        f"{source}-{milestone}-{minute}",
        str(100 + minute),
    )


def _milestone_correction(milestone: str, minute: int) -> Event:
    return _event(
        Draft(
            "tms",
            minute,
            "shipment.milestone_corrected",
            {"shipment_number": "SH1", "milestone": milestone},
        ),
        f"tms-correction-{minute}",
        str(100 + minute),
    )


def _order_fact(fact: str, minute: int, status: str | None = None) -> Event:
    data: JsonObject = {"number": "SO1", **({"status": status} if status else {})}
    return _event(
        Draft("odoo", minute, f"sales_order.{fact}", data), f"odoo-{fact}-{minute}", str(minute)
    )


def _apply_one(projection: Projection, event: Event, seq: int) -> str:
    return apply_event(projection, record(seq, event), RULES).outcome


def test_a_newer_shipment_correction_moves_back_and_cuts_off_older_facts() -> None:
    """'delivered' was a scanning mistake: the owner corrects to in_transit. Scans older than
    the correction that arrive late are history, not news; newer scans count again."""
    shipment = Projection(SHIPMENT_KEY)
    assert _apply_one(shipment, _milestone("delivered", 30), 1) == "applied"
    assert _apply_one(shipment, _milestone_correction("in_transit", 40), 2) == "corrected"
    assert shipment.state["status"]["milestone"] == "in_transit"
    assert _apply_one(shipment, _milestone("out_for_delivery", 35), 3) == "superseded"
    assert _apply_one(shipment, _milestone("picked_up", 45), 4) == "superseded"  # by rank
    assert _apply_one(shipment, _milestone("out_for_delivery", 50), 5) == "applied"
    assert shipment.state["status"]["milestone"] == "out_for_delivery"


def test_a_shipment_correction_older_than_the_current_status_is_superseded() -> None:
    """A correction refers to what was known when it was made; a newer fact outranks it."""
    shipment = Projection(SHIPMENT_KEY)
    _apply_one(shipment, _milestone("delivered", 50), 1)
    assert _apply_one(shipment, _milestone_correction("in_transit", 40), 2) == "superseded"
    assert shipment.state["status"]["milestone"] == "delivered"
    assert "floors" not in shipment.meta or not shipment.meta["floors"]


def test_a_newer_order_status_correction_moves_back_and_cuts_off_older_facts() -> None:
    """The order was marked shipped by mistake; odoo corrects it to released. A late
    'delivered' from before the correction is superseded; a later 'packed' applies."""
    order = Projection(ORDER_KEY)
    assert _apply_one(order, _order_fact("shipped", 30), 1) == "applied"
    assert _apply_one(order, _order_fact("status_corrected", 40, "released"), 2) == "corrected"
    assert order.state["status"] == "released"
    assert _apply_one(order, _order_fact("delivered", 35), 3) == "superseded"
    assert order.state["status"] == "released"
    assert _apply_one(order, _order_fact("packed", 50), 4) == "applied"
    assert order.state["status"] == "packed"


def test_an_order_status_correction_older_than_the_current_status_is_superseded() -> None:
    """Correcting to 'placed' after the order has (later) shipped changes nothing."""
    order = Projection(ORDER_KEY)
    _apply_one(order, _order_fact("shipped", 50), 1)
    assert _apply_one(order, _order_fact("status_corrected", 40, "placed"), 2) == "superseded"
    assert order.state["status"] == "shipped"


# -- 1b: the whole pipeline ------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineRun:
    projection: Projection | None
    journal_rows: int
    duplicate_flags: tuple[bool, ...]
    processed: int


def run_pipeline(events: Sequence[Event], arrival: Arrival, key: str) -> PipelineRun:
    """Journal the events batch by batch into a fresh SQLite file and process them."""
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "hub.db")
        try:
            journal = Journal(store, ManualClock())
            processor = Processor(store, RULES, clock=ManualClock())
            flags: list[bool] = []
            for batch in arrival.batches():
                flags += [r.duplicate for r in journal.append([events[i] for i in batch])]
                if arrival.eager:
                    processor.run_until_idle()
            processor.run_until_idle()
            return PipelineRun(
                store.get_projection(key),
                store.counts().journal,
                tuple(flags),
                len(store.history(key)),
            )
        finally:
            store.close()


def stored(run: PipelineRun) -> tuple[JsonObject, JsonObject] | None:
    """State and provenance as stored; ``None`` when no fact changed anything (a fact that
    only names the entity stores no projection)."""
    return None if run.projection is None else view(run.projection)


def version(run: PipelineRun) -> int:
    return 0 if run.projection is None else run.projection.version


def assert_pipeline_order_free(key: str, history: History) -> None:
    """Same state and provenance as a clean in-order run (and as the pure level); repeats
    store and process nothing.

    The projection's ``version`` counts the changes the hub saw, so it depends on arrival
    order by design (an older fact arriving late changes nothing and is not counted); it is
    compared in ``test_pipeline_duplicates_alone_do_not_change_the_version``.
    """
    events = in_stamp_order(history.events)
    clean = run_pipeline(events, Arrival(tuple(range(len(events)))), key)
    shuffled = [events.index(history.events[i]) for i in history.arrival.order]
    arrival = Arrival(tuple(shuffled), history.arrival.cuts, history.arrival.eager)
    mixed = run_pipeline(events, arrival, key)
    assert stored(mixed) == stored(clean)
    pure = apply_all(key, events)
    assert stored(clean) == (view(pure) if pure.provenance else None)
    assert mixed.journal_rows == clean.journal_rows == len(events)
    assert mixed.processed == len(events)
    first_seen = [shuffled.index(i) == n for n, i in enumerate(shuffled)]
    assert list(mixed.duplicate_flags) == [not first for first in first_seen]


@PIPELINE
@given(histories(order_changes()))
def test_pipeline_plain_fields_do_not_depend_on_arrival(history: History) -> None:
    """Journal dedup, batching and persisting the projection between batches keep the
    ownership and ordering rules of the pure level."""
    assert_pipeline_order_free(ORDER_KEY, history)


@PIPELINE
@given(histories(order_status_facts() | order_changes()))
def test_pipeline_order_status_does_not_depend_on_arrival(history: History) -> None:
    """Status and plain fields of one order, mixed, through journal, store and processor."""
    assert_pipeline_order_free(ORDER_KEY, history)


@PIPELINE
@given(histories(milestones()))
def test_pipeline_shipment_milestones_do_not_depend_on_arrival(history: History) -> None:
    """The milestone survives the store round trip of the projection and its meta."""
    assert_pipeline_order_free(SHIPMENT_KEY, history)


@PIPELINE
@given(histories(stock_reports() | stock_adjustments()))
def test_pipeline_stock_ledger_does_not_depend_on_arrival(history: History) -> None:
    """The ledger (latest report, counted adjustment ids) is kept in the projection's meta;
    it must survive being stored and reloaded between batches."""
    assert_pipeline_order_free(STOCK_KEY, history)


@st.composite
def repeated_in_order(draw: st.DrawFn, count: int) -> Arrival:
    """The events in stamp order, each repeat somewhere after its first copy."""
    order = list(range(count))
    for index in draw(st.lists(st.integers(0, count - 1), max_size=count)):
        order.insert(draw(st.integers(order.index(index) + 1, len(order))), index)
    cuts = draw(st.sets(st.integers(1, len(order) - 1), max_size=3)) if len(order) > 1 else set()
    return Arrival(tuple(order), tuple(sorted(cuts)), draw(st.booleans()))


@PIPELINE
@given(
    st.one_of(
        histories(order_changes() | order_status_facts()).map(lambda h: (ORDER_KEY, h)),
        histories(stock_reports() | stock_adjustments()).map(lambda h: (STOCK_KEY, h)),
    ),
    st.data(),
)
def test_pipeline_duplicates_alone_do_not_change_the_version(
    case: tuple[str, History], data: st.DataObject
) -> None:
    """Redelivery is not news: a repeat adds no journal row, no processing, no version."""
    key, history = case
    events = in_stamp_order(history.events)
    arrival = data.draw(repeated_in_order(len(events)))
    clean = run_pipeline(events, Arrival(tuple(range(len(events)))), key)
    repeated = run_pipeline(events, arrival, key)
    assert stored(repeated) == stored(clean)
    assert version(repeated) == version(clean)
    assert repeated.journal_rows == len(events)
