"""Every fault on command: duplicates, a gap, reordering, late files, bursts, downtime and
malformed interchanges that the hub's X12 parser really refuses, at a named place."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from logisync.connectors.x12 import parse_interchanges
from logisync.testing.edi_partner import (
    START,
    EdiPartner,
    FolderDrop,
    PartnerFaultPlan,
    X12Writer,
)


def partner(inbox: Path, seed: int = 4, **plan: object) -> EdiPartner:
    return EdiPartner(X12Writer(), [FolderDrop(inbox)], seed=seed,
                      faults=PartnerFaultPlan.model_validate(plan))  # fmt: skip


def visible(inbox: Path) -> list[str]:
    return sorted(p.name for p in inbox.iterdir() if not p.name.startswith("."))


def test_the_same_seed_drops_the_same_bytes(tmp_path: Path) -> None:
    first, second = partner(tmp_path / "a"), partner(tmp_path / "b")
    for _ in range(6):
        first.drop(), second.drop()
    assert visible(tmp_path / "a") == visible(tmp_path / "b")
    for name in visible(tmp_path / "a"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_duplicate_is_the_same_control_number_and_the_same_bytes(tmp_path: Path) -> None:
    sent = partner(tmp_path).drop("purchase_order", faults=["duplicate"])
    assert [s.control for s in sent] == [1, 1]
    assert sent[0].body == sent[1].body and sent[0].file != sent[1].file
    first, again = (tmp_path / s.file for s in sent)
    assert first.read_bytes() == again.read_bytes()


def test_a_gap_skips_exactly_one_control_number(tmp_path: Path) -> None:
    simulated = partner(tmp_path)
    simulated.drop(), simulated.drop(faults=["gap"]), simulated.drop()
    assert [s.control for s in simulated.records.sent] == [1, 3, 4]
    assert simulated.records.skipped_controls == [2]
    controls = [
        parse_interchanges((tmp_path / n).read_bytes())[0][0].control for n in visible(tmp_path)
    ]
    assert controls == ["000000001", "000000003", "000000004"]


@pytest.mark.parametrize(
    ("how", "where", "said"),
    [
        ("wrong_se_count", "/interchange/1/group/1/message/1/segment/", "segments, the set has"),
        ("truncated", "/interchange/1", "no IEA trailer"),
        ("bad_separators", "/interchange/1", "segment 1 (ISA)"),
    ],
)
def test_a_malformed_interchange_fails_the_x12_parser_at_a_named_place(
    tmp_path: Path, how: str, where: str, said: str
) -> None:
    (sent,) = partner(tmp_path).drop("ship_notice", faults=[f"malformed:{how}"])
    assert sent.faults == (f"malformed:{how}",) and sent.malformed
    interchanges, problems = parse_interchanges(sent.body)
    found = (
        problems
        + [p for i in interchanges for p in i.problems]
        + [p for i in interchanges for g in i.groups for s in g.sets for p in s.problems]
    )
    assert any(p.location.startswith(where) and said in p.message for p in found), found


def test_malformed_faults_drawn_by_the_plan_use_each_way_and_are_not_expected(
    tmp_path: Path,
) -> None:
    simulated = partner(tmp_path, malformed_rate=0.5, seed=1)
    for _ in range(30):
        simulated.drop("invoice")
    hows = {f for s in simulated.records.sent for f in s.faults}
    assert hows == {"malformed:wrong_se_count", "malformed:truncated", "malformed:bad_separators"}
    expected = {f.key for f in simulated.records.expected()}
    assert expected == {s.documents[0].number for s in simulated.records.sent if not s.malformed}


def test_a_late_file_waits_late_seconds(tmp_path: Path) -> None:
    simulated = partner(tmp_path, late_seconds=600)
    assert simulated.drop(faults=["late"]) == []
    assert visible(tmp_path) == []
    simulated.advance(599)
    assert simulated.tick() == []
    simulated.advance(1)
    (sent,) = simulated.tick()
    assert sent.faults == ("late",) and sent.sent_at - sent.created_at == timedelta(seconds=600)


def test_a_burst_sends_fifty_times_the_normal_pace_for_a_minute(tmp_path: Path) -> None:
    calm = partner(tmp_path / "calm", documents_per_minute=1)
    calm.advance(600)
    assert len(calm.tick()) == 10
    plan = PartnerFaultPlan(documents_per_minute=1).with_burst(START + timedelta(minutes=2))
    bursting = EdiPartner(X12Writer(), [FolderDrop(tmp_path / "burst")], faults=plan)
    bursting.advance(600)
    assert len(bursting.tick()) == 10 + 49


def test_downtime_drops_nothing_and_reads_nothing_then_sends_what_waited(tmp_path: Path) -> None:
    outbox = tmp_path / "out"
    outbox.mkdir()
    plan = PartnerFaultPlan(documents_per_minute=1).with_downtime(START, 300)
    simulated = EdiPartner(X12Writer(), [FolderDrop(tmp_path / "in")], outbox=outbox, faults=plan)
    (outbox / "reply.x12").write_bytes(b"ISA")
    assert simulated.drop("purchase_order") == []
    simulated.advance(120)
    assert simulated.tick() == [] and simulated.read_replies() == []
    assert not (tmp_path / "in").exists() and simulated.records.files_read == []
    simulated.advance(180)
    sent = simulated.tick()
    assert len(sent) == 1 + 5  # the held drop and five minutes' worth
    assert simulated.records.files_read == ["reply.x12"]


def test_reordering_sends_a_tick_in_a_shuffled_order_the_seed_repeats(tmp_path: Path) -> None:
    def run(folder: str) -> list[int]:
        simulated = partner(tmp_path / folder, documents_per_minute=10, reorder_rate=1, seed=3)
        simulated.advance(60)
        return [s.control for s in simulated.tick()]

    order = run("a")
    assert sorted(order) == list(range(1, 11)) and order != sorted(order)
    assert run("b") == order


def test_files_appear_whole_to_a_reader_polling_the_inbox(tmp_path: Path) -> None:
    simulated = partner(tmp_path, documents_per_minute=300)
    simulated.advance(60)
    seen: dict[str, bytes] = {}
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            for path in list(tmp_path.iterdir()) if tmp_path.exists() else []:
                if not path.name.startswith(".") and path.name not in seen:
                    seen[path.name] = path.read_bytes()

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        sent = simulated.tick()
    finally:
        stop.set()
        reader.join()
    assert len(sent) == 300
    for name, body in seen.items():
        assert parse_interchanges(body)[0][0].trailer is not None, name
        assert body == (tmp_path / name).read_bytes()


def test_a_plan_refuses_bursts_without_a_pace_and_drops_refuse_unknown_faults(
    tmp_path: Path,
) -> None:
    with pytest.raises(ValueError, match="set documents_per_minute"):
        PartnerFaultPlan().with_burst(START)
    with pytest.raises(ValueError, match="'lost' is not a fault"):
        partner(tmp_path).drop(faults=["lost"])
    with pytest.raises(ValueError, match="'garbled' is not an X12 malformation"):
        partner(tmp_path).drop(faults=["malformed:garbled"])
    with pytest.raises(ValueError, match="garbled: not a way to break x12 files"):
        partner(tmp_path, malformations=("garbled",))
    with pytest.raises(ValueError, match="'catalogue' is not a document kind"):
        partner(tmp_path).drop("catalogue")  # type: ignore[arg-type]
