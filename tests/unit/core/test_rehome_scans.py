"""Carrier scans that outran their dispatch end on their shipment, each counted once.

A scan the webhook cannot resolve is journaled under ``shipment:<tracking number>``
(``core.subjects.with_subject``); once a fact links the number to its shipment the processor
re-journals it there (``core.rehome``). Whatever the interleaving of scans, the dispatch and
processor rounds, the shipment must end with every scan (once: original id or ``<id>@<n>``)
and the status they determine; later scans must resolve to the shipment, not the orphan.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from logisync.core.clock import ManualClock
from logisync.core.journal import Journal
from logisync.core.ports import CrosswalkLink, JournalRecord
from logisync.core.processor import Processor
from logisync.core.rehome import rehomed_scans
from logisync.core.rules import Rules
from logisync.core.subjects import with_subject
from logisync.model import LIFECYCLES, new_event
from logisync.model.entities.logistics import MILESTONES
from logisync.model.envelope import Event, parse_event
from logisync.store.sqlite import SqliteStore

TRACKING = "1ZTRACK0001"
RANKS = LIFECYCLES["shipment"].ranks


def _scan_draft(n: int, minute: int, milestone: str) -> dict[str, Any]:
    time = f"2026-03-01T10:{minute:02d}:00Z"
    return {
        "specversion": "1.0",
        "type": "shipment.milestone_recorded",
        "source": "ups",
        "id": f"ups-{n}",
        "time": time,
        "sourceversion": f"{minute:04d}",
        "data": {
            "carrier": "ups",
            "tracking_number": TRACKING,
            "milestone": milestone,
            "occurred_at": time,
        },
    }


def _dispatch(n: int = 1) -> Event:
    return new_event(
        "shipment.dispatched",
        {"number": "SH1", "carrier": "ups", "tracking_number": TRACKING},
        source="wms",
        id=f"dispatch-{n}",
        time="2026-03-01T09:00:00Z",
    )


def _run(store: SqliteStore) -> None:
    Processor(store, Rules(), clock=ManualClock()).run_until_idle()


def _take(store: SqliteStore, draft: dict[str, Any]) -> None:
    """As the webhook route does: resolve through the crosswalk now, journal."""
    Journal(store).append([parse_event(with_subject(draft, store.resolve))])


def _milestone(store: SqliteStore, key: str) -> str | None:
    projection = store.get_projection(key)
    status = None if projection is None else projection.state.get("status")
    return None if status is None else str(status["milestone"])


def test_a_scan_after_the_dispatch_lands_on_the_shipment_even_if_an_orphan_came_first(
    tmp_path: Path,
) -> None:
    """The orphan's own scan linked ``(ups, number) -> shipment:<number>``; the crosswalk
    keeps the first link, so the dispatch could not take the number over and every later
    scan went to the orphan (the shipment never delivered)."""
    store = SqliteStore(tmp_path / "hub.db")
    _take(store, _scan_draft(1, 1, "picked_up"))
    _run(store)
    Journal(store).append([_dispatch()])
    _run(store)
    assert store.resolve("ups", TRACKING) == "shipment:SH1"
    _take(store, _scan_draft(2, 30, "delivered"))
    _run(store)
    assert _milestone(store, "shipment:SH1") == "delivered"
    store.close()


def test_a_scan_resolved_before_the_dispatch_committed_is_moved_too(tmp_path: Path) -> None:
    """The webhook looked the number up before the dispatch's batch committed, and journaled
    the scan after that batch had read the orphan's events: nothing else would move it."""
    store = SqliteStore(tmp_path / "hub.db")
    early = parse_event(with_subject(_scan_draft(1, 5, "in_transit"), store.resolve))
    Journal(store).append([_dispatch()])
    _run(store)
    Journal(store).append([early])  # under shipment:<tracking number>
    _run(store)
    assert _milestone(store, "shipment:SH1") == "in_transit"
    store.close()


_step = st.one_of(
    st.tuples(st.just("scan"), st.integers(0, 59), st.sampled_from(MILESTONES)),
    st.just(("run",)),
    st.just(("dispatch",)),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_step, min_size=1, max_size=12))
def test_every_scan_ends_on_the_shipment_once_whatever_the_interleaving(
    steps: list[tuple[Any, ...]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "hub.db")
        scans: dict[str, tuple[int, str]] = {}
        dispatched = 0
        for step in steps:
            if step[0] == "scan":
                n = len(scans) + 1
                minute, milestone = step[1], step[2]
                scans[f"ups-{n}"] = (minute, milestone)
                _take(store, _scan_draft(n, minute, milestone))
            elif step[0] == "dispatch":
                dispatched += 1
                Journal(store).append([_dispatch(dispatched)])
            else:
                _run(store)
        if not dispatched:
            Journal(store).append([_dispatch()])
        _run(store)
        _run(store)  # re-journaled scans are processed on the next round
        on_shipment = Counter(
            e.event_id.split("@", 1)[0]
            for e in store.events_for("shipment:SH1")
            if e.type == "shipment.milestone_recorded"
        )
        assert on_shipment == Counter(dict.fromkeys(scans, 1)), on_shipment
        if scans:
            top = max((RANKS[m], minute) for minute, m in scans.values())
            tied = {m for minute, m in scans.values() if (RANKS[m], minute) == top}
            assert _milestone(store, "shipment:SH1") in tied  # ties fall to event ids
        store.close()


class _Journal:
    """The one read ``rehomed_scans`` makes, over a fixed list of records."""

    def __init__(self, records: list[JournalRecord]) -> None:
        self.records = records

    def events_for_entities(self, keys: list[str]) -> list[JournalRecord]:
        return [r for r in self.records if r.subject in keys]


def _scan(seq: int, carrier: str, number: str) -> JournalRecord:
    data = {
        "carrier": carrier,
        "tracking_number": number,
        "milestone": "in_transit",
        "occurred_at": "2026-03-01T10:00:00Z",
    }
    return JournalRecord(
        seq, f"e{seq}", carrier, "shipment.milestone_recorded", f"shipment:{number}",
        "2026-03-01T10:00:00.000000Z", None, None, None, None, data, "r",
    )  # fmt: skip


def test_scans_moved_onto_a_shipment_from_several_numbers_keep_journal_order() -> None:
    journal = _Journal([_scan(1, "dhl", "T2"), _scan(2, "dhl", "T1"), _scan(3, "ups", "T1")])
    links = [
        CrosswalkLink("ups", "T1", "shipment:SH1"),
        CrosswalkLink("dhl", "T2", "shipment:SH2"),
        CrosswalkLink("dhl", "T1", "shipment:SH2"),
        CrosswalkLink("dhl", "T1", "shipment:SH2"),  # named twice: moved once
    ]
    moved = [(e.subject, e.id) for e in rehomed_scans(journal, links)]  # type: ignore[arg-type]
    assert moved == [
        ("shipment:SH2", "e1@SH2"),
        ("shipment:SH2", "e2@SH2"),
        ("shipment:SH1", "e3@SH1"),
    ]


def test_one_number_two_carriers_one_shipment_moves_each_carriers_scans() -> None:
    journal = _Journal([_scan(1, "ups", "T1"), _scan(2, "dhl", "T1")])
    links = [CrosswalkLink("ups", "T1", "shipment:SH1"), CrosswalkLink("dhl", "T1", "shipment:SH1")]
    moved = [e.id for e in rehomed_scans(journal, links)]  # type: ignore[arg-type]
    assert moved == ["e1@SH1", "e2@SH1"]
